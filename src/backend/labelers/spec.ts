/**
 * Labeler specifications as data (job parameters, API bodies) and as CLI strings:
 *   { kind: 'eam', file?: 'Cu_u3.eam' }  ⇔  eam[:FILE]
 *   { kind: 'cp2k', settings?: {...} }    ⇔  cp2k
 */
import { z } from 'zod';
import { Cp2kSettingsSchema } from './cp2k-settings.ts';
import type { Labeler } from './labeler.ts';
import { EamLabeler, DEFAULT_EAM_FILE } from './eam.ts';
import { Cp2kLabeler } from './cp2k.ts';

export const LabelerSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('eam'), file: z.string().min(1).default(DEFAULT_EAM_FILE) }),
  z.object({ kind: z.literal('cp2k'), settings: Cp2kSettingsSchema.partial().default({}) }),
]);
export type LabelerSpec = z.infer<typeof LabelerSpecSchema>;

/** Parse `eam`, `eam:FILE` or `cp2k` (CP2K overrides come separately). */
export function parseLabelerString(s: string): LabelerSpec {
  const t = s.trim();
  if (t === 'eam') return { kind: 'eam', file: DEFAULT_EAM_FILE };
  if (t.startsWith('eam:')) return { kind: 'eam', file: t.slice(4) };
  if (t === 'cp2k') return { kind: 'cp2k', settings: {} };
  throw new Error(`calculator must be eam[:FILE] or cp2k, got '${s}'`);
}

/** Build the labeler a spec names (loads the EAM file / finds cp2k). */
export async function createLabeler(spec: LabelerSpec): Promise<Labeler> {
  if (spec.kind === 'eam') return EamLabeler.load(spec.file);
  return Cp2kLabeler.create(spec.settings);
}
