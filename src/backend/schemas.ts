/**
 * Request schemas of the HTTP API (zod). Units: positions and cell Å, maxDeviF eV/Å.
 * A frame is the JSON form of an extended-XYZ frame: symbols, positions (flat 3N or N×3),
 * cell (9 numbers or 3×3 rows, or null for a cluster), pbc, info, plus provenance.
 */
import { z } from 'zod';
import type { Frame, Pbc } from '../core/atoms.ts';
import type { Provenance } from './store/frames.ts';
import { LabelerSpecSchema } from './labelers/spec.ts';
import { ExecutorRequestSchema } from './executor/config.ts';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const vec3 = z.array(finite).length(3);

export const ProvenanceSchema = z.object({
  source: z.string().max(500).optional(),
  exploration: z.string().max(500).nullable().optional(),
  ensembleId: z.number().int().positive().nullable().optional(),
  iterationId: z.number().int().positive().nullable().optional(),
  maxDeviF: finite.nonnegative().nullable().optional(),
  exploredAt: z.iso.datetime().nullable().optional(),
}).strict();

export const FrameInputSchema = z.object({
  symbols: z.array(z.string().regex(/^[A-Z][a-z]?$/, 'must be a chemical symbol like Cu')).min(1),
  positions: z.union([z.array(finite), z.array(vec3)]),
  cell: z.union([z.array(finite).length(9), z.array(vec3).length(3)]).nullable().optional(),
  pbc: z.tuple([z.boolean(), z.boolean(), z.boolean()]).optional(),
  info: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  provenance: ProvenanceSchema.optional(),
}).strict().superRefine((f, ctx) => {
  const flat = (f.positions as unknown[]).flat();
  if (flat.length !== 3 * f.symbols.length) {
    ctx.addIssue({ code: 'custom', path: ['positions'], message: `has ${flat.length} numbers, expected 3 × ${f.symbols.length} atoms` });
  }
  if (f.pbc?.some(Boolean) && !f.cell) ctx.addIssue({ code: 'custom', path: ['cell'], message: 'is required when pbc has a periodic direction' });
});
export type FrameInput = z.infer<typeof FrameInputSchema>;

/** API frame → core Frame + provenance. */
export function frameFromInput(f: FrameInput): { frame: Frame; provenance: Provenance } {
  const positions = Float64Array.from((f.positions as Array<number | number[]>).flat());
  const cell = f.cell ? Float64Array.from((f.cell as Array<number | number[]>).flat()) : null;
  const pbc: Pbc = f.pbc ?? (cell ? [true, true, true] : [false, false, false]);
  const frame: Frame = { symbols: [...f.symbols], positions, cell, pbc };
  if (f.info) frame.info = { ...f.info };
  return { frame, provenance: f.provenance ?? {} };
}

export const FramesBodySchema = z.object({
  frames: z.array(FrameInputSchema).min(1).max(100_000),
  /** Provenance applied to every frame that does not carry its own. */
  provenance: ProvenanceSchema.optional(),
}).strict();

export const DatasetBodySchema = z.object({
  name: z.string().min(1).max(200).regex(/^[\w.\-+ ]+$/, 'letters, digits, space and ._-+ only'),
  description: z.string().max(10_000).optional(),
}).strict();

export const DatasetPatchSchema = DatasetBodySchema.partial().strict();

export const IdParams = z.object({ id: z.coerce.number().int().positive() });

/** Built-in DP-SE trainer settings; defaults are the paper's (§3). Lengths Å, learning rates per step. */
export const TrainJobSettingsSchema = z.object({
  /** Number of models of the ensemble (differing by seed). */
  models: z.number().int().min(1).max(16).default(4),
  /** Training steps per model. */
  steps: z.number().int().min(1).max(10_000_000).default(400_000),
  seed: z.number().int().nonnegative().default(1),
  rcut: z.number().positive().default(8.0),
  rcutSmth: z.number().nonnegative().default(0.5),
  sel: z.array(z.number().int().positive()).optional(),
  embedding: z.array(z.number().int().positive()).default([25, 50, 100]),
  fitting: z.array(z.number().int().positive()).default([240, 240, 240]),
  axisNeuron: z.number().int().positive().default(16),
  startLr: z.number().positive().default(1e-3),
  stopLr: z.number().positive().default(3.5e-8),
  decaySteps: z.number().int().positive().default(2000),
  /** Loss prefactor schedules (DeePMD: pref = limit + (start − limit)·lr/start_lr); force 0/0 = energy only. */
  startPrefE: z.number().nonnegative().default(0.02),
  limitPrefE: z.number().nonnegative().default(1),
  startPrefF: z.number().nonnegative().default(1000),
  limitPrefF: z.number().nonnegative().default(1),
  /** Virial prefactors (DeePMD's pref_v); only frames labeled with a virial (periodic cells) contribute. */
  startPrefV: z.number().nonnegative().default(0.02),
  limitPrefV: z.number().nonnegative().default(1),
  /** Fraction of frames held out for validation. */
  validationFraction: z.number().min(0).max(0.5).default(0.1),
  /** A checkpoint (parameters + Adam state) of each model every this many seconds; a crashed job resumes from it. */
  checkpointEverySeconds: z.number().positive().default(300),
  /** Who trains: the built-in trainer, or DeePMD-kit's `dp train` + `dp freeze` where `dp` is on the PATH (src/backend/train/deepmd.ts). */
  trainer: z.enum(['builtin', 'deepmd']).default('builtin'),
  /** DeePMD-kit backend of `dp` (trainer 'deepmd'): pytorch (`dp --pt`, .pth) or tensorflow (`dp`, .pb). */
  deepmdBackend: z.enum(['pytorch', 'tensorflow']).default('pytorch'),
}).strict();
export type TrainJobSettings = z.infer<typeof TrainJobSettingsSchema>;

export const JobBodySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('label'),
    datasetId: z.number().int().positive(),
    calculator: LabelerSpecSchema,
    /** Frames to label (default: every frame of the data set without a successful label). */
    frameIds: z.array(z.number().int().positive()).min(1).optional(),
    /** Where the frames are labeled (default: the service's --executor). */
    executor: ExecutorRequestSchema.optional(),
  }).strict(),
  z.object({
    kind: z.literal('train'),
    datasetId: z.number().int().positive(),
    name: z.string().min(1).max(200).optional(),
    /** Active-learning iteration the trained ensemble belongs to. */
    iterationId: z.number().int().positive().optional(),
    settings: TrainJobSettingsSchema.default(TrainJobSettingsSchema.parse({})),
    /** Where the models are trained (default: the service's --executor). */
    executor: ExecutorRequestSchema.optional(),
  }).strict(),
]);
export type JobBody = z.infer<typeof JobBodySchema>;
