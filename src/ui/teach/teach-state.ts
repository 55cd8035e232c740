/**
 * The teaching mode's settings and how they are shared: encoded in the URL
 * (`?mode=teach&structure=…&potential=…&T=…`) so a link restores the same lesson in another
 * browser, and as a session file (JSON, with the current positions) to download and upload.
 * Pure functions, tested in Node.
 */
import { z } from 'zod';
import { parseSessionFile } from '../share/session-file.ts';

export const TEACH_STRUCTURES = ['Cu13 icosahedron', 'Cu38 truncated octahedron', 'Cu55 icosahedron', 'Cu147 icosahedron'] as const;
export const TEACH_POTENTIALS = ['eam-mishin', 'eam-u3', 'lj', 'dp'] as const;
export const POTENTIAL_LABELS: Record<(typeof TEACH_POTENTIALS)[number], string> = {
  'eam-mishin': 'EAM (Mishin 2001, Cu_mishin1.eam.alloy)',
  'eam-u3': 'EAM (Foiles 1986, Cu_u3.eam)',
  lj: 'Lennard-Jones (ε 0.4093 eV, σ 2.338 Å)',
  dp: 'DP model 0 of the demo ensemble',
};

export interface TeachSettings {
  structure: (typeof TEACH_STRUCTURES)[number];
  potential: (typeof TEACH_POTENTIALS)[number];
  /** Target temperature, K. */
  temperatureK: number;
}

export const DEFAULT_TEACH: TeachSettings = { structure: 'Cu55 icosahedron', potential: 'eam-mishin', temperatureK: 300 };

/** Temperatures the slider offers, K. */
export const T_MIN = 10;
export const T_MAX = 2500;

const SettingsSchema = z.object({
  structure: z.enum(TEACH_STRUCTURES),
  potential: z.enum(TEACH_POTENTIALS),
  temperatureK: z.number().min(T_MIN).max(T_MAX),
});

/** Settings from a URL query; unknown or bad values fall back to the defaults, with the reasons. */
export function settingsFromQuery(search: string): { settings: TeachSettings; problems: string[] } {
  const q = new URLSearchParams(search);
  const problems: string[] = [];
  const s: TeachSettings = { ...DEFAULT_TEACH };
  const structure = q.get('structure');
  if (structure !== null) {
    if ((TEACH_STRUCTURES as readonly string[]).includes(structure)) s.structure = structure as TeachSettings['structure'];
    else problems.push(`unknown structure "${structure}" (known: ${TEACH_STRUCTURES.join(', ')})`);
  }
  const potential = q.get('potential');
  if (potential !== null) {
    if ((TEACH_POTENTIALS as readonly string[]).includes(potential)) s.potential = potential as TeachSettings['potential'];
    else problems.push(`unknown potential "${potential}" (known: ${TEACH_POTENTIALS.join(', ')})`);
  }
  const t = q.get('T');
  if (t !== null) {
    const v = Number(t);
    if (Number.isFinite(v) && v >= T_MIN && v <= T_MAX) s.temperatureK = v;
    else problems.push(`temperature "${t}" is not a number of kelvin in ${T_MIN}…${T_MAX}`);
  }
  return { settings: s, problems };
}

/** The query string that restores these settings. */
export function settingsToQuery(s: TeachSettings): string {
  return new URLSearchParams({ mode: 'teach', structure: s.structure, potential: s.potential, T: String(Math.round(s.temperatureK)) }).toString();
}

const SessionSchema = z.object({
  format: z.literal('nanostudio-teach-session'),
  version: z.literal(1),
  settings: SettingsSchema,
  /** Current positions, Å (3N), optional. */
  positions: z.array(z.number()).optional(),
  symbols: z.array(z.string()).optional(),
});
export type TeachSession = z.infer<typeof SessionSchema>;

export function sessionToJson(settings: TeachSettings, atoms?: { symbols: string[]; positions: ArrayLike<number> }): string {
  const s: TeachSession = { format: 'nanostudio-teach-session', version: 1, settings, ...(atoms ? { symbols: atoms.symbols, positions: Array.from(atoms.positions) } : {}) };
  return JSON.stringify(s, null, 1);
}

/** Parse a session file; throws an error naming the problem (not JSON, wrong format, which field). */
export function sessionFromJson(text: string): TeachSession {
  const s = parseSessionFile(text, SessionSchema, 'a nanostudio teaching session');
  if (s.positions && (!s.symbols || s.positions.length !== 3 * s.symbols.length)) throw new Error(`the session file has ${s.positions.length} coordinates for ${s.symbols?.length ?? 0} atoms`);
  if (s.positions?.some((v) => !Number.isFinite(v))) throw new Error('the session file has non-finite coordinates');
  return s;
}
