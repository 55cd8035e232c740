/**
 * Sharing the main studio: the structure on screen, the potential in use and the settings
 * (MD form, engine preference, trust levels, colouring) as a URL query and as a session file.
 *
 * Link: the parameters go in the URL fragment (`#…`; a query `?…` is read too):
 * `structure=<preset>` when the structure is an unchanged preset, else
 * `title=…&elements=Cu[,Ag…]&types=<b64>&atoms=<b64>[&cell=9 numbers&pbc=TTF]`: positions as
 * little-endian int32 in units of 1e-4 Å (so a link restores them to 0.1 mÅ), base64url; types
 * (one byte per atom, index into `elements`) only when there is more than one element.
 * Settings: `T, dt, steps, every, ens, fric, tau, p, seed, engine, lo, hi, colour, pot`.
 * Session file: JSON (`format: nanostudio-session`, version 1) with full-precision positions.
 * Everything is validated (zod); every problem names the parameter or field. Pure, tested in Node.
 */
import { z } from 'zod';
import { parseSessionFile, zodIssue } from './session-file.ts';
import { MD_ENSEMBLES } from '../../worker/md-ensembles.ts';
import { ENGINE_PREFERENCES } from '../../worker/engine-choice.ts';
import { COLOUR_MODES } from '../colors.ts';

/** Which potential: the bundled demo ensemble, or an ensemble of the backend (by id; the receiver must reach the same backend). */
export const PotentialSchema = z.union([
  z.object({ kind: z.literal('demo') }),
  z.object({ kind: z.literal('backend'), ensembleId: z.number().int().positive(), name: z.string() }),
  z.object({ kind: z.literal('files'), names: z.array(z.string()) }),
]);
export type SharedPotential = z.infer<typeof PotentialSchema>;

const positive = z.number().finite().positive();
export const SettingsSchema = z.object({
  md: z.object({
    ensemble: z.enum(MD_ENSEMBLES),
    temperatureK: positive,
    dtFs: positive.max(20),
    steps: z.number().int().positive(),
    saveEvery: z.number().int().positive(),
    frictionPerFs: positive,
    tauTFs: positive,
    pressureBar: z.number().finite(),
    seed: z.number().int().nonnegative(),
  }),
  engine: z.enum(ENGINE_PREFERENCES),
  trustLo: positive,
  trustHi: positive,
  colourMode: z.enum(COLOUR_MODES),
}).refine((s) => s.trustHi > s.trustLo, { message: 'the trust levels need lo < hi', path: ['trustHi'] });
export type SharedSettings = z.infer<typeof SettingsSchema>;

export interface SharedStructure {
  title: string;
  /** Set when the structure is this unchanged preset of the structure menu. */
  preset?: string;
  symbols: string[];
  /** Å, 3N. */
  positions: Float64Array;
  cell: Float64Array | null;
  pbc: [boolean, boolean, boolean];
}

export interface StudioShare {
  structure: SharedStructure;
  potential: SharedPotential;
  settings: SharedSettings;
}

/** Unit of the positions in a link, Å. */
export const LINK_RESOLUTION_A = 1e-4;

function toB64url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromB64url(s: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error(`link parameter "${what}" is not base64url`);
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Positions (Å) as base64url of int32 little-endian multiples of LINK_RESOLUTION_A. */
export function encodePositions(x: ArrayLike<number>): string {
  const buf = new DataView(new ArrayBuffer(4 * x.length));
  for (let i = 0; i < x.length; i++) {
    const q = Math.round(x[i] / LINK_RESOLUTION_A);
    if (!Number.isFinite(x[i]) || Math.abs(q) > 0x7fffffff) throw new Error(`coordinate ${i} (${x[i]} Å) cannot go in a link`);
    buf.setInt32(4 * i, q, true);
  }
  return toB64url(new Uint8Array(buf.buffer));
}

export function decodePositions(s: string): Float64Array {
  const bytes = fromB64url(s, 'atoms');
  if (bytes.length % 12 !== 0) throw new Error(`link parameter "atoms" holds ${bytes.length} bytes, not a whole number of atoms (12 bytes each)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float64Array.from({ length: bytes.length / 4 }, (_, i) => dv.getInt32(4 * i, true) * LINK_RESOLUTION_A);
}

const ELEMENT = /^[A-Z][a-z]?$/;

/** The query string (without `?`) of a share. */
export function shareToQuery(s: StudioShare): string {
  const q = new URLSearchParams();
  const st = s.structure;
  if (st.preset) q.set('structure', st.preset);
  else {
    q.set('title', st.title);
    const elements = [...new Set(st.symbols)];
    q.set('elements', elements.join(','));
    if (elements.length > 1) q.set('types', toB64url(Uint8Array.from(st.symbols, (e) => elements.indexOf(e))));
    q.set('atoms', encodePositions(st.positions));
    if (st.cell) q.set('cell', Array.from(st.cell, (v) => String(Number(v.toFixed(6)))).join(','));
    if (st.pbc.some(Boolean)) q.set('pbc', st.pbc.map((b) => (b ? 'T' : 'F')).join(''));
  }
  const m = s.settings.md;
  q.set('ens', m.ensemble);
  q.set('T', String(m.temperatureK));
  q.set('dt', String(m.dtFs));
  q.set('steps', String(m.steps));
  q.set('every', String(m.saveEvery));
  q.set('fric', String(m.frictionPerFs));
  q.set('tau', String(m.tauTFs));
  q.set('p', String(m.pressureBar));
  q.set('seed', String(m.seed));
  q.set('engine', s.settings.engine);
  q.set('lo', String(s.settings.trustLo));
  q.set('hi', String(s.settings.trustHi));
  q.set('colour', s.settings.colourMode);
  const p = s.potential;
  q.set('pot', p.kind === 'demo' ? 'demo' : p.kind === 'backend' ? `backend:${p.ensembleId}:${p.name}` : `files:${p.names.join('|')}`);
  return q.toString();
}

/** Does this query carry a shared studio state? */
export function isShareQuery(search: string): boolean {
  const q = new URLSearchParams(search);
  return q.has('structure') || q.has('atoms');
}

export interface ParsedShare {
  /** A preset to build, or the atoms themselves. */
  structure: { preset: string } | Omit<SharedStructure, 'preset'>;
  potential: SharedPotential;
  settings: SharedSettings;
}

function num(q: URLSearchParams, key: string, fallback: number): number {
  const v = q.get(key);
  if (v === null) return fallback;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x)) throw new Error(`link parameter "${key}" is not a number: "${v}"`);
  return x;
}


/** Parse a share query; `defaults` fill what the link leaves out. Throws an error naming the parameter. */
export function shareFromQuery(search: string, defaults: SharedSettings): ParsedShare {
  const q = new URLSearchParams(search);
  let structure: ParsedShare['structure'];
  const preset = q.get('structure');
  if (preset !== null) structure = { preset };
  else {
    const atoms = q.get('atoms');
    if (atoms === null) throw new Error('the link has neither "structure" (a preset) nor "atoms"');
    const positions = decodePositions(atoms);
    const n = positions.length / 3;
    const elements = (q.get('elements') ?? '').split(',').filter(Boolean);
    if (elements.length === 0) throw new Error('link parameter "elements" is missing');
    const bad = elements.find((e) => !ELEMENT.test(e));
    if (bad !== undefined) throw new Error(`link parameter "elements": "${bad}" is not an element symbol`);
    let symbols: string[];
    if (elements.length === 1) symbols = Array.from({ length: n }, () => elements[0]);
    else {
      const t = q.get('types');
      if (t === null) throw new Error(`link parameter "types" is missing (needed with ${elements.length} elements)`);
      const types = fromB64url(t, 'types');
      if (types.length !== n) throw new Error(`link parameter "types" has ${types.length} entries for ${n} atoms`);
      symbols = Array.from(types, (k, i) => {
        if (k >= elements.length) throw new Error(`link parameter "types": atom ${i} has type ${k}, but there are ${elements.length} elements`);
        return elements[k];
      });
    }
    const c = q.get('cell');
    let cell: Float64Array | null = null;
    if (c !== null) {
      const v = c.split(',').map(Number);
      if (v.length !== 9 || v.some((x) => !Number.isFinite(x))) throw new Error(`link parameter "cell" must be 9 numbers (Å), got "${c}"`);
      cell = Float64Array.from(v);
    }
    const p = q.get('pbc') ?? 'FFF';
    if (!/^[TF]{3}$/.test(p)) throw new Error(`link parameter "pbc" must be three of T/F (e.g. TTT), got "${p}"`);
    const pbc = [...p].map((x) => x === 'T') as [boolean, boolean, boolean];
    if (pbc.some(Boolean) && !cell) throw new Error('link parameter "pbc" is periodic but there is no "cell"');
    if (n === 0) throw new Error('link parameter "atoms" holds no atoms');
    structure = { title: q.get('title') ?? `${n} atoms`, symbols, positions, cell, pbc };
  }
  const d = defaults.md;
  const ens = q.get('ens') ?? d.ensemble;
  if (!(MD_ENSEMBLES as readonly string[]).includes(ens)) throw new Error(`link parameter "ens": unknown ensemble "${ens}" (known: ${MD_ENSEMBLES.join(', ')})`);
  const raw = {
    md: {
      ensemble: ens, temperatureK: num(q, 'T', d.temperatureK), dtFs: num(q, 'dt', d.dtFs), steps: num(q, 'steps', d.steps), saveEvery: num(q, 'every', d.saveEvery),
      frictionPerFs: num(q, 'fric', d.frictionPerFs), tauTFs: num(q, 'tau', d.tauTFs), pressureBar: num(q, 'p', d.pressureBar), seed: num(q, 'seed', d.seed),
    },
    engine: q.get('engine') ?? defaults.engine,
    trustLo: num(q, 'lo', defaults.trustLo),
    trustHi: num(q, 'hi', defaults.trustHi),
    colourMode: q.get('colour') ?? defaults.colourMode,
  };
  const r = SettingsSchema.safeParse(raw);
  if (!r.success) throw zodIssue(r.error, 'the link settings');
  return { structure, potential: potentialFromParam(q.get('pot') ?? 'demo'), settings: r.data };
}

function potentialFromParam(p: string): SharedPotential {
  if (p === 'demo') return { kind: 'demo' };
  const b = /^backend:(\d+):(.*)$/.exec(p);
  if (b) return { kind: 'backend', ensembleId: Number(b[1]), name: b[2] };
  if (p.startsWith('files:')) return { kind: 'files', names: p.slice(6).split('|').filter(Boolean) };
  throw new Error(`link parameter "pot": unknown potential "${p}" (demo, backend:<id>:<name> or files:<names>)`);
}

const SessionSchema = z.object({
  format: z.literal('nanostudio-session'),
  version: z.literal(1),
  structure: z.object({
    title: z.string(),
    preset: z.string().optional(),
    symbols: z.array(z.string().regex(ELEMENT, 'not an element symbol')).min(1),
    positions: z.array(z.number().finite()),
    cell: z.array(z.number().finite()).length(9).nullable(),
    pbc: z.tuple([z.boolean(), z.boolean(), z.boolean()]),
  }),
  potential: PotentialSchema,
  settings: SettingsSchema,
});

export function sessionToJson(s: StudioShare): string {
  const st = s.structure;
  return JSON.stringify({
    format: 'nanostudio-session', version: 1,
    structure: { title: st.title, ...(st.preset ? { preset: st.preset } : {}), symbols: st.symbols, positions: Array.from(st.positions), cell: st.cell ? Array.from(st.cell) : null, pbc: st.pbc },
    potential: s.potential,
    settings: s.settings,
  }, null, 1);
}

/** Parse a session file; throws an error naming the problem (not JSON, wrong format, which field). */
export function sessionFromJson(text: string): StudioShare {
  const data = parseSessionFile(text, SessionSchema, 'a nanostudio studio session');
  const st = data.structure;
  if (st.positions.length !== 3 * st.symbols.length) throw new Error(`the session file has ${st.positions.length} coordinates for ${st.symbols.length} atoms (expected ${3 * st.symbols.length})`);
  if (st.pbc.some(Boolean) && !st.cell) throw new Error('the session file: structure.pbc is periodic but structure.cell is null');
  return {
    structure: { title: st.title, ...(st.preset ? { preset: st.preset } : {}), symbols: st.symbols, positions: Float64Array.from(st.positions), cell: st.cell ? Float64Array.from(st.cell) : null, pbc: st.pbc },
    potential: data.potential,
    settings: data.settings,
  };
}
