/**
 * The se_e2_a neighbour slots of every atom (docs/dp-se.md §3.2), from the cell-list neighbour list:
 *  1. candidates: every neighbour image within rc (periodic images of other atoms and of the
 *     centre itself included; from `buildNeighborList`);
 *  2. v3 overflow semantics: keep the nearest Σsel candidates overall, then per neighbour type
 *     the nearest sel[t] of those (DeePMD-kit v3 / dpmodel / LAMMPS-pt); report any truncation;
 *  3. type-t neighbours fill slots sec[t], sec[t]+1, … in increasing distance; the remaining
 *     slots of the block are padding;
 *  4. model `pair_exclude_types` turn a kept neighbour's slot into padding (after truncation,
 *     as DeePMD-kit does); descriptor `exclude_types` rows contribute nothing and are dropped
 *     here (they still occupy their slot).
 * Cost is linear in the number of atoms (k log k per atom with k ≈ neighbours within rc).
 */
import type { Frame } from '../../atoms.ts';
import { buildNeighborList } from '../../neighbor/neighbor-list.ts';
import type { DpModel } from './model.ts';

export interface SeASlots {
  natoms: number;
  /** Real neighbour entries of atom i: entries offsets[i] … offsets[i+1]−1. */
  offsets: Int32Array;
  /** Slot index (0 … nnei−1) of each entry; determines davg/dstd row. */
  slot: Int32Array;
  /** Atom index (0 … N−1) whose image the entry is (the neighbour's owner). */
  atom: Int32Array;
  /** Displacement r_j(image) − r_i, Å, 3 per entry. */
  vec: Float64Array;
  /** Number of occupied slots of block t of atom i: fill[i*T + t] (padding = the rest of the block). */
  fill: Int32Array;
  /** Slots inside the occupied range that are padding (model pair_exclude_types): padOffsets CSR. */
  padOffsets: Int32Array;
  padSlots: Int32Array;
  /** Atoms whose neighbour list was truncated to sel (0 when sel is large enough). */
  truncatedAtoms: number;
  /** Largest neighbour count within rc per neighbour type (compare with sel). */
  maxPerType: number[];
  /** Largest total neighbour count within rc. */
  maxTotal: number;
}

/** Build the slots of every atom; `types[i]` are model type indices. Positions in Å. */
export function buildSeASlots(frame: Pick<Frame, 'positions' | 'cell' | 'pbc'>, types: Int32Array, model: DpModel): SeASlots {
  const d = model.descriptor;
  const T = model.ntypes;
  const n = types.length;
  const nl = buildNeighborList(frame, d.rcut);
  const descExcl = new Uint8Array(T * T);
  for (const [a, b] of d.excludeTypes) descExcl[a * T + b] = 1;
  const pairExcl = new Uint8Array(T * T);
  for (const [a, b] of model.pairExcludeTypes) pairExcl[a * T + b] = 1;

  const offsets = new Int32Array(n + 1);
  const fill = new Int32Array(n * T);
  const padOffsets = new Int32Array(n + 1);
  const slot: number[] = [];
  const atom: number[] = [];
  const vec: number[] = [];
  const padSlots: number[] = [];
  const maxPerType = new Array<number>(T).fill(0);
  let maxTotal = 0;
  let truncatedAtoms = 0;

  let cand: number[] = [];
  const r2 = new Float64Array(Math.max(16, nl.neighbors.length));
  for (let p = 0; p < nl.neighbors.length; p++) {
    const x = nl.vectors[3 * p], y = nl.vectors[3 * p + 1], z = nl.vectors[3 * p + 2];
    r2[p] = x * x + y * y + z * z;
  }
  const byDistance = (a: number, b: number) => r2[a] - r2[b];
  const perType: number[][] = Array.from({ length: T }, () => []);
  const counts = new Int32Array(T);

  for (let i = 0; i < n; i++) {
    const ti = types[i];
    const p0 = nl.offsets[i], p1 = nl.offsets[i + 1];
    const total = p1 - p0;
    if (total > maxTotal) maxTotal = total;
    for (const list of perType) list.length = 0;
    let truncated = false;
    counts.fill(0);
    for (let p = p0; p < p1; p++) counts[types[nl.neighbors[p]]]++;
    for (let t = 0; t < T; t++) if (counts[t] > maxPerType[t]) maxPerType[t] = counts[t];
    if (total > d.nnei) {
      // v3: nearest Σsel overall first, then per type.
      cand = [];
      for (let p = p0; p < p1; p++) cand.push(p);
      cand.sort(byDistance);
      cand.length = d.nnei;
      truncated = true;
      for (const p of cand) perType[types[nl.neighbors[p]]].push(p);
    } else {
      for (let p = p0; p < p1; p++) perType[types[nl.neighbors[p]]].push(p);
    }
    for (let t = 0; t < T; t++) {
      const list = perType[t];
      list.sort(byDistance);
      if (list.length > d.sel[t]) {
        list.length = d.sel[t];
        truncated = true;
      }
      fill[i * T + t] = list.length;
      for (let k = 0; k < list.length; k++) {
        const p = list[k];
        const j = nl.neighbors[p];
        const s = d.sec[t] + k;
        if (pairExcl[ti * T + t]) {
          padSlots.push(s);
        } else if (!descExcl[ti * T + t]) {
          slot.push(s);
          atom.push(j);
          vec.push(nl.vectors[3 * p], nl.vectors[3 * p + 1], nl.vectors[3 * p + 2]);
        }
      }
    }
    if (truncated) truncatedAtoms++;
    offsets[i + 1] = slot.length;
    padOffsets[i + 1] = padSlots.length;
  }

  return {
    natoms: n,
    offsets,
    slot: Int32Array.from(slot),
    atom: Int32Array.from(atom),
    vec: Float64Array.from(vec),
    fill,
    padOffsets,
    padSlots: Int32Array.from(padSlots),
    truncatedAtoms,
    maxPerType,
    maxTotal,
  };
}
