/**
 * The plan of an active-learning run (`nanostudio loop --plan PLAN.yaml`): what to explore in
 * which iteration (the paper's exploration per system type), trust levels per system type, caps
 * on labeled frames, the DP-SE architecture and training budget, the initial BHMC data, and the
 * convergence level. YAML read with `yaml`, validated with zod; every error names the field path
 * (e.g. `systems.1.temperatures.0: must be ≤ 3000 K`).
 *
 * Units: temperatures K, pressures atm, time step fs, lengths Å, trust levels eV/Å.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';

/** The paper's ranges (docs/paper-workflow.md §2). */
export const RANGES = {
  cluster: { tMin: 50, tMax: 1500 },
  bulk: { tMin: 50, tMax: 3000, pMinAtm: 1, pMaxAtm: 50_000 },
  surface: { tMin: 50, tMax: 3000 },
} as const;

const posInt = z.number().int().positive();
const temps = (lo: number, hi: number) =>
  z.array(z.number().min(lo, `must be ≥ ${lo} K`).max(hi, `must be ≤ ${hi} K`)).min(1, 'needs at least one temperature (K)');

const TrustSchema = z.object({
  /** Frames with max_devi_f < lo are accurate, eV/Å. */
  lo: z.number().nonnegative(),
  /** Frames with max_devi_f ≥ hi are failed (unphysical, never labeled), eV/Å. */
  hi: z.number().positive(),
}).strict().refine((t) => t.lo < t.hi, { message: 'lo must be < hi', path: ['hi'] });
export type Trust = z.infer<typeof TrustSchema>;

const MdCommon = {
  /** A unique name (schedule entries refer to it). */
  name: z.string().min(1).regex(/^[\w.+-]+$/, 'letters, digits and ._+- only'),
  /** MD steps per run. */
  steps: posInt,
  /** A frame (with its deviation) every this many steps. */
  saveEvery: posInt,
};

export const START_KINDS = ['bhmc', 'icosahedron', 'decahedron', 'octahedron', 'random'] as const;

const ClusterSystem = z.object({
  ...MdCommon,
  kind: z.literal('cluster'),
  /** Numbers of atoms. */
  sizes: z.array(z.number().int().min(2, 'a cluster needs ≥ 2 atoms').max(2000)).min(1),
  /**
   * Start structures: `bhmc` = the lowest minima of a short BHMC run with model 0 of the current
   * ensemble (the paper's "BHMC update"), the builders (only for sizes they can make), or `random`.
   */
  starts: z.array(z.enum(START_KINDS)).min(1).default(['bhmc']),
  /** BHMC trials for `bhmc` starts, and how many distinct lowest minima start an MD run. */
  bhmcTrials: posInt.default(5),
  bhmcMinima: posInt.default(1),
  /** Largest number of optimizer steps per BHMC relaxation (a young model may never reach fmax). */
  bhmcRelaxSteps: posInt.default(300),
  /** NVT (Langevin) temperatures, K. */
  temperatures: temps(RANGES.cluster.tMin, RANGES.cluster.tMax),
}).strict();

const BulkSystem = z.object({
  ...MdCommon,
  kind: z.literal('bulk'),
  structures: z.array(z.enum(['fcc', 'bcc', 'hcp'])).min(1),
  /** Repetitions of the conventional (hcp: orthorhombic) cell. */
  repeat: z.tuple([posInt, posInt, posInt]).default([2, 2, 2]),
  /** NPT (MTK barostat + Nosé–Hoover chains) temperatures, K, and pressures, atm. */
  temperatures: temps(RANGES.bulk.tMin, RANGES.bulk.tMax),
  pressures: z.array(z.number().min(RANGES.bulk.pMinAtm, `must be ≥ ${RANGES.bulk.pMinAtm} atm`).max(RANGES.bulk.pMaxAtm, `must be ≤ ${RANGES.bulk.pMaxAtm} atm`)).min(1, 'needs at least one pressure (atm)'),
}).strict();

const SurfaceSystem = z.object({
  ...MdCommon,
  kind: z.literal('surface'),
  /** fcc facets of the plan's element. */
  facets: z.array(z.enum(['100', '110', '111'])).min(1),
  /** In-plane repetitions and number of layers. */
  size: z.tuple([posInt, posInt, z.number().int().min(2, 'a slab needs ≥ 2 layers')]).default([2, 2, 4]),
  /** Vacuum on each side, Å. */
  vacuum: z.number().positive().default(8),
  /** NVT (Langevin) temperatures, K. */
  temperatures: temps(RANGES.surface.tMin, RANGES.surface.tMax),
}).strict();

const SystemSchema = z.discriminatedUnion('kind', [ClusterSystem, BulkSystem, SurfaceSystem]);
export type PlanSystem = z.infer<typeof SystemSchema>;
export type SystemKind = PlanSystem['kind'];

const ScheduleEntry = z.object({
  /** Iteration numbers (0-based) this entry applies to; the last entry also covers every later iteration. */
  iterations: z.array(z.number().int().nonnegative()).min(1),
  /** Names of `systems` explored in those iterations. */
  systems: z.array(z.string().min(1)).min(1),
}).strict();

const ModelSchema = z.object({
  rcut: z.number().positive().default(6),
  rcutSmth: z.number().nonnegative().default(0.5),
  /** Neighbours per type, or DeePMD's "auto". */
  sel: z.union([z.array(posInt).min(1), z.literal('auto')]).default('auto'),
  embedding: z.array(posInt).min(1).default([16, 32, 64]),
  axisNeuron: posInt.default(8),
  fitting: z.array(posInt).min(1).default([64, 64, 64]),
}).strict().refine((m) => m.rcutSmth < m.rcut, { message: 'must be < rcut', path: ['rcutSmth'] });

const TrainingSchema = z.object({
  /** Steps per model in the first iteration (from random weights). */
  steps: posInt.default(2000),
  /** Steps per model in later iterations, continuing from the previous iteration's models. */
  continueSteps: posInt.default(1000),
  startLr: z.number().positive().default(1e-3),
  /** Starting learning rate of later iterations (Adam restarts; a lower rate keeps the continued model; default startLr). */
  continueStartLr: z.number().positive().optional(),
  stopLr: z.number().positive().default(1e-5),
  decaySteps: posInt.default(200),
  /**
   * Loss prefactors at the start of later iterations (default: startPrefE / startPrefF, DP-GEN's
   * restart of the schedule). With a short continueSteps budget the restart (force weight 1000,
   * energy 0.02) un-learns the energies; the limit values keep them.
   */
  continueStartPrefE: z.number().nonnegative().optional(),
  continueStartPrefF: z.number().nonnegative().optional(),
  startPrefE: z.number().nonnegative().default(0.02),
  limitPrefE: z.number().nonnegative().default(1),
  startPrefF: z.number().nonnegative().default(1000),
  limitPrefF: z.number().nonnegative().default(1),
  validationFraction: z.number().min(0).max(0.5).default(0.1),
  /**
   * Labeled frames with an atom force above this (eV/Å) stay in the data set but are not trained
   * on: BHMC's random starts and kicked structures reach hundreds of eV/Å and wreck the fit.
   */
  maxForce: z.number().positive().default(10),
  /** A checkpoint (weights + Adam state) every this many steps. */
  checkpointEvery: posInt.default(200),
  /**
   * Lagging-seed rule (what DP-GEN users do by hand): after an iteration's training, a model whose
   * validation force RMSE is more than `factor` × the ensemble's median is trained again from random
   * weights with a fresh seed (first-iteration budget: steps, startLr, startPref*), and the better of
   * the two (validation force RMSE) is kept. `null` turns it off. Default factor 1.5: seeds of one
   * architecture spread by ~10–30 % (the shipped default ensemble: 0.072–0.081 eV/Å), so 1.5× the median
   * is far outside seed noise, while the demo run's slow seed (about 2× the others) is caught with margin.
   * With 2 models the rule fires only when one is > 3× the other (the median is their mean).
   */
  replaceLagging: z.object({ factor: z.number().gt(1, 'must be > 1 (a factor above the median)') }).strict().nullable().default({ factor: 1.5 }),
}).strict();

const InitDataSchema = z.object({
  /** BHMC runs (labeler as the calculator) whose relaxation trajectories are the initial data. */
  bhmcSizes: z.array(z.number().int().min(2)).min(1).default([13]),
  bhmcTrials: posInt.default(5),
  bhmcTemperature: z.number().positive().default(600),
  /** Keep every k-th frame of each relaxation trajectory (and always its last). */
  keepEvery: posInt.default(3),
  /** Labeled bulk / slab frames to add (rattled by rattle Å), so every system type starts with data. */
  rattledBulk: z.number().int().nonnegative().default(4),
  rattledSurfaces: z.number().int().nonnegative().default(4),
  rattle: z.number().nonnegative().default(0.05),
}).strict();

export const PlanSchema = z.object({
  name: z.string().min(1),
  element: z.string().regex(/^[A-Z][a-z]?$/, 'must be a chemical symbol like Cu').default('Cu'),
  /** MD time step, fs (house 0.5–1 fs). */
  dt: z.number().positive().max(5).default(1),
  /** Trust levels per system type, eV/Å (DP-GEN metals 0.05/0.15; house 0.15/0.45). */
  trust: z.object({ cluster: TrustSchema, bulk: TrustSchema, surface: TrustSchema }).strict(),
  systems: z.array(SystemSchema).min(1),
  schedule: z.array(ScheduleEntry).min(1),
  selection: z.object({
    /** Most frames labeled per iteration. */
    maxPerIteration: posInt,
    /** Most frames per system type per iteration (default: maxPerIteration). */
    maxPerKind: z.object({ cluster: z.number().int().nonnegative(), bulk: z.number().int().nonnegative(), surface: z.number().int().nonnegative() }).partial().strict().default({}),
    /** Coordination cutoff of the diversity descriptor, Å (between the first and second fcc shells). */
    cnCutoff: z.number().positive().default(3.0),
  }).strict(),
  /** Stop when the accurate fraction of every explored system type reaches this (DP-GEN 0.99). */
  convergence: z.object({ accurate: z.number().gt(0).max(1).default(0.99) }).strict().default({ accurate: 0.99 }),
  model: ModelSchema.default(ModelSchema.parse({})),
  training: TrainingSchema.default(TrainingSchema.parse({})),
  initData: InitDataSchema.default(InitDataSchema.parse({})),
  /** The report's reference MD (P(CN) of the data set vs a long MD, paper Fig. 5). */
  report: z.object({
    mdAtoms: z.number().int().min(2).default(147),
    mdTemperature: z.number().positive().default(300),
    mdSteps: posInt.default(2000),
    mdSaveEvery: posInt.default(20),
  }).strict().default({ mdAtoms: 147, mdTemperature: 300, mdSteps: 2000, mdSaveEvery: 20 }),
}).strict().superRefine((p, ctx) => {
  const names = new Map<string, number>();
  p.systems.forEach((s, i) => {
    if (names.has(s.name)) ctx.addIssue({ code: 'custom', path: ['systems', i, 'name'], message: `'${s.name}' is already the name of systems.${names.get(s.name)}` });
    names.set(s.name, i);
    if (s.saveEvery > s.steps) ctx.addIssue({ code: 'custom', path: ['systems', i, 'saveEvery'], message: `must be ≤ steps (${s.steps})` });
  });
  const seen = new Map<number, number>();
  p.schedule.forEach((e, i) => {
    e.systems.forEach((n, j) => {
      if (!names.has(n)) ctx.addIssue({ code: 'custom', path: ['schedule', i, 'systems', j], message: `no system named '${n}' (known: ${[...names.keys()].join(', ')})` });
    });
    e.iterations.forEach((it, j) => {
      if (seen.has(it)) ctx.addIssue({ code: 'custom', path: ['schedule', i, 'iterations', j], message: `iteration ${it} is already scheduled by schedule.${seen.get(it)}` });
      seen.set(it, i);
    });
  });
});
export type Plan = z.infer<typeof PlanSchema>;

/** A plan error: every problem with its field path. */
export class PlanError extends Error {
  constructor(readonly source: string, readonly issues: { field: string; message: string }[]) {
    super(`${source}: invalid plan:\n${issues.map((i) => `  ${i.field}: ${i.message}`).join('\n')}`);
    this.name = 'PlanError';
  }
}

/** Validate a parsed plan object; throws PlanError naming each bad field. */
export function validatePlan(raw: unknown, source = 'plan'): Plan {
  const r = PlanSchema.safeParse(raw);
  if (r.success) return r.data;
  throw new PlanError(source, r.error.issues.map((i) => ({ field: i.path.length ? i.path.map(String).join('.') : '(plan)', message: i.message })));
}

/** YAML text as a value; a syntax error is a PlanError of `source` naming the line and column. */
function yamlValue(text: string, source: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '';
    throw new PlanError(source, [{ field: '(yaml)', message: `${(e as Error).message.split('\n')[0]}${where}` }]);
  }
}

/** Parse and validate plan YAML text. */
export function parsePlan(text: string, source = 'plan'): Plan {
  return validatePlan(yamlValue(text, source), source);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const named = (v: unknown): v is Array<Record<string, unknown> & { name: string }> =>
  Array.isArray(v) && v.every((x) => isObject(x) && typeof x.name === 'string');

/**
 * A plan with an override applied (before validation): objects merge key by key, lists of named
 * objects (`systems`) merge by `name` (an unknown name is appended), any other value is replaced.
 * So `{ training: { steps: 20 }, systems: [{ name: bulk, steps: 40 }] }` changes those fields only.
 */
export function applyPlanOverride(base: unknown, override: unknown): unknown {
  if (isObject(base) && isObject(override)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? applyPlanOverride(base[k], v) : v;
    return out;
  }
  if (named(base) && named(override)) {
    const out: unknown[] = base.map((b) => {
      const o = override.find((x) => x.name === b.name);
      return o ? applyPlanOverride(b, o) : b;
    });
    for (const o of override) if (!base.some((b) => b.name === o.name)) out.push(o);
    return out;
  }
  return override;
}

function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new PlanError(path, [{ field: '(file)', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  return yamlValue(text, path);
}

/**
 * Read and validate a plan file, optionally with an override file (YAML, merged as
 * applyPlanOverride does; e.g. a short test budget). Errors name the plan file (and the override).
 */
export function readPlan(path: string, overridePath?: string): Plan {
  const raw = readYaml(path);
  if (overridePath === undefined) return validatePlan(raw, path);
  const over = readYaml(overridePath);
  if (!isObject(over)) throw new PlanError(overridePath, [{ field: '(plan override)', message: 'must be a YAML mapping of plan fields' }]);
  return validatePlan(applyPlanOverride(raw, over), `${path} with override ${overridePath}`);
}

/** The systems explored in iteration `n` (the last schedule entry also covers later iterations). */
export function systemsFor(plan: Plan, n: number): PlanSystem[] {
  let entry = plan.schedule.find((e) => e.iterations.includes(n));
  if (!entry) {
    const last = plan.schedule.reduce((a, e) => (Math.max(...e.iterations) > Math.max(...a.iterations) ? e : a));
    if (n > Math.max(...last.iterations)) entry = last;
  }
  if (!entry) return [];
  return entry.systems.map((name) => plan.systems.find((s) => s.name === name)!);
}
