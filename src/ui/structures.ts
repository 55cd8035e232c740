/**
 * Structures the studio builds in the browser (core/build): clusters (icosahedron, decahedron,
 * octahedron/truncated octahedron, random), bulk crystals (fcc/bcc/hcp) and slabs (fcc100/110/111,
 * bcc100/110, hcp0001), each from a spec with element, size, facet and cell parameters (Å).
 * Presets are specs with a name. Every builder error is thrown with the parameter it concerns.
 */
import type { Frame } from '../core/atoms.ts';
import { bulk, decahedron, icosahedron, octahedron, randomCluster, surface, FACETS, type Facet } from '../core/build/index.ts';

export type StructureKind = 'icosahedron' | 'decahedron' | 'octahedron' | 'random' | 'bulk' | 'slab';
export const STRUCTURE_KINDS: { id: StructureKind; label: string }[] = [
  { id: 'icosahedron', label: 'Mackay icosahedron' },
  { id: 'decahedron', label: 'Ino/Marks decahedron' },
  { id: 'octahedron', label: '(truncated) octahedron' },
  { id: 'random', label: 'random cluster' },
  { id: 'bulk', label: 'bulk crystal (periodic)' },
  { id: 'slab', label: 'surface slab (periodic in x, y)' },
];
export { FACETS, type Facet };

export interface StructureSpec {
  kind: StructureKind;
  element: string;
  /** Icosahedron: closed shells (1 = one atom). */
  shells: number;
  /** Decahedron: (100) facet sizes p, q and Marks re-entrance r. */
  p: number; q: number; r: number;
  /** Octahedron: atoms on an edge, layers cut at each vertex. */
  length: number; cutoff: number;
  /** Random cluster: atoms, min distance and max growth distance (Å), seed. */
  natoms: number; dmin: number; dmax: number; seed: number;
  /** Bulk lattice. */
  lattice: 'fcc' | 'bcc' | 'hcp';
  /** Bulk supercell repetitions; slab: nx, ny, layers. */
  repeat: [number, number, number];
  facet: Facet;
  /** Slab vacuum on each side along z, Å. */
  vacuum: number;
  /** Lattice constant a, Å (NaN: the element's reference value). */
  a: number;
  /** hcp c, Å (NaN: reference c/a). */
  c: number;
}

export const DEFAULT_SPEC: StructureSpec = {
  kind: 'icosahedron', element: 'Cu', shells: 3, p: 3, q: 3, r: 0, length: 4, cutoff: 1,
  natoms: 20, dmin: 2.2, dmax: 3.0, seed: 1, lattice: 'fcc', repeat: [3, 3, 3], facet: 'fcc111', vacuum: 8, a: NaN, c: NaN,
};

const opt = (x: number) => (Number.isFinite(x) ? x : undefined);

/** Build a structure and a title for it ("Cu55 Mackay icosahedron (3 shells)"). */
export function buildStructure(s: StructureSpec): { frame: Frame; title: string } {
  const el = s.element.trim();
  const a = opt(s.a), c = opt(s.c);
  let frame: Frame;
  let what: string;
  switch (s.kind) {
    case 'icosahedron':
      frame = icosahedron(el, s.shells, a);
      what = `Mackay icosahedron (${s.shells} shells)`;
      break;
    case 'decahedron':
      frame = decahedron(el, s.p, s.q, s.r, a);
      what = `${s.r > 0 ? 'Marks' : 'Ino'} decahedron (p ${s.p}, q ${s.q}, r ${s.r})`;
      break;
    case 'octahedron':
      frame = octahedron(el, s.length, s.cutoff, a);
      what = `${s.cutoff > 0 ? 'truncated ' : ''}octahedron (length ${s.length}, cutoff ${s.cutoff})`;
      break;
    case 'random':
      frame = randomCluster(el, s.natoms, { dmin: s.dmin, dmax: s.dmax, seed: s.seed });
      what = `random cluster (seed ${s.seed})`;
      break;
    case 'bulk':
      frame = bulk(el, s.lattice, { a, c, repeat: s.repeat, cubic: s.lattice !== 'hcp' });
      what = `bulk ${s.lattice} ${s.repeat.join('×')}`;
      break;
    case 'slab':
      frame = surface(el, s.facet, s.repeat, { a, c, vacuum: s.vacuum });
      what = `${s.facet} slab ${s.repeat.join('×')}, vacuum ${s.vacuum} Å`;
      break;
  }
  return { frame, title: `${el}${frame.symbols.length} ${what}` };
}

export interface StructurePreset {
  id: string;
  spec: Partial<StructureSpec>;
}

/** Named structures of the structure menu. */
export const STRUCTURES: StructurePreset[] = [
  { id: 'Cu13 icosahedron', spec: { kind: 'icosahedron', shells: 2 } },
  { id: 'Cu20 random cluster (seed 1)', spec: { kind: 'random', natoms: 20, dmin: 2.2, dmax: 3.0, seed: 1 } },
  { id: 'Cu38 truncated octahedron', spec: { kind: 'octahedron', length: 4, cutoff: 1 } },
  { id: 'Cu55 Mackay icosahedron', spec: { kind: 'icosahedron', shells: 3 } },
  { id: 'Cu55 Ino decahedron', spec: { kind: 'decahedron', p: 3, q: 3, r: 0 } },
  { id: 'Cu75 Marks decahedron', spec: { kind: 'decahedron', p: 2, q: 2, r: 1 } },
  { id: 'Cu147 Mackay icosahedron', spec: { kind: 'icosahedron', shells: 4 } },
  { id: 'Cu309 Mackay icosahedron', spec: { kind: 'icosahedron', shells: 5 } },
  { id: 'Cu108 bulk fcc 3×3×3', spec: { kind: 'bulk', lattice: 'fcc', repeat: [3, 3, 3] } },
  { id: 'Cu48 fcc(111) slab 3×4×4', spec: { kind: 'slab', facet: 'fcc111', repeat: [3, 4, 4], vacuum: 8 } },
  { id: 'Cu36 fcc(100) slab 3×3×4', spec: { kind: 'slab', facet: 'fcc100', repeat: [3, 3, 4], vacuum: 8 } },
];

export const DEFAULT_STRUCTURE = 'Cu55 Mackay icosahedron';

/** The full spec of a preset. */
export function presetSpec(id: string): StructureSpec {
  const p = STRUCTURES.find((x) => x.id === id) ?? STRUCTURES.find((x) => x.id === DEFAULT_STRUCTURE)!;
  return { ...DEFAULT_SPEC, ...p.spec };
}
