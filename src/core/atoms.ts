/**
 * The Frame value: one configuration of atoms. Positions in Å (Cartesian, xyz interleaved),
 * cell rows are the lattice vectors in Å (row-major 3×3), pbc per lattice direction.
 * Frames are plain data: functions return new frames rather than mutating shared ones.
 */
import { element } from './elements.ts';

export type Pbc = [boolean, boolean, boolean];

export interface Frame {
  /** Chemical symbol per atom. */
  symbols: string[];
  /** Cartesian positions, Å, length 3N. */
  positions: Float64Array;
  /** Lattice vectors as rows (a1, a2, a3), Å, length 9; null for an open (cluster) system. */
  cell: Float64Array | null;
  /** Periodicity along each lattice vector. Must be all false when cell is null. */
  pbc: Pbc;
  /** Velocities, Å/fs, length 3N (optional). */
  velocities?: Float64Array;
  /** Free-form per-frame metadata (extxyz comment key=value pairs). */
  info?: Record<string, string | number | boolean>;
}

/** Number of atoms of a frame. */
export function natoms(frame: Frame): number {
  return frame.symbols.length;
}

/** Make a frame, copying the inputs. Positions in Å; cell rows in Å. */
export function makeFrame(
  symbols: string[],
  positions: ArrayLike<number>,
  cell: ArrayLike<number> | null = null,
  pbc: Pbc = [false, false, false],
): Frame {
  return {
    symbols: [...symbols],
    positions: Float64Array.from(positions),
    cell: cell ? Float64Array.from(cell) : null,
    pbc: [...pbc] as Pbc,
  };
}

/** Deep copy of a frame. */
export function cloneFrame(f: Frame): Frame {
  const out: Frame = {
    symbols: [...f.symbols],
    positions: new Float64Array(f.positions),
    cell: f.cell ? new Float64Array(f.cell) : null,
    pbc: [...f.pbc] as Pbc,
  };
  if (f.velocities) out.velocities = new Float64Array(f.velocities);
  if (f.info) out.info = { ...f.info };
  return out;
}

/** Determinant of a row-major 3×3 matrix (the signed cell volume, Å³, for a cell). */
export function det3(m: ArrayLike<number>): number {
  return (
    m[0] * (m[4] * m[8] - m[5] * m[7]) -
    m[1] * (m[3] * m[8] - m[5] * m[6]) +
    m[2] * (m[3] * m[7] - m[4] * m[6])
  );
}

/** Inverse of a row-major 3×3 matrix; throws on a singular one. */
export function inv3(m: ArrayLike<number>): Float64Array {
  const d = det3(m);
  if (!Number.isFinite(d) || Math.abs(d) < 1e-12) throw new Error(`singular 3×3 matrix (determinant ${d})`);
  const r = new Float64Array(9);
  r[0] = (m[4] * m[8] - m[5] * m[7]) / d;
  r[1] = (m[2] * m[7] - m[1] * m[8]) / d;
  r[2] = (m[1] * m[5] - m[2] * m[4]) / d;
  r[3] = (m[5] * m[6] - m[3] * m[8]) / d;
  r[4] = (m[0] * m[8] - m[2] * m[6]) / d;
  r[5] = (m[2] * m[3] - m[0] * m[5]) / d;
  r[6] = (m[3] * m[7] - m[4] * m[6]) / d;
  r[7] = (m[1] * m[6] - m[0] * m[7]) / d;
  r[8] = (m[0] * m[4] - m[1] * m[3]) / d;
  return r;
}

/** Cell volume, Å³ (absolute value of the determinant); throws if there is no cell. */
export function cellVolume(frame: Frame): number {
  if (!frame.cell) throw new Error('frame has no cell');
  return Math.abs(det3(frame.cell));
}

/** Masses (amu) of the atoms of a frame, from the element table. */
export function masses(frame: Frame): Float64Array {
  return Float64Array.from(frame.symbols, (s) => element(s).mass);
}

/** Options for validateFrame. */
export interface ValidateOptions {
  /** Atoms closer than this (Å) are an error. Default 0.5 Å. */
  minDistance?: number;
}

/**
 * Check a frame for the problems that make every calculator produce garbage: non-finite
 * coordinates, unknown elements, a degenerate cell, pbc without a cell, overlapping atoms.
 * Throws an Error naming the first offending atom (0-based index) or the cell.
 */
export function validateFrame(frame: Frame, opts: ValidateOptions = {}): void {
  const n = frame.symbols.length;
  if (frame.positions.length !== 3 * n) {
    throw new Error(`positions has ${frame.positions.length} numbers, expected 3×${n} atoms`);
  }
  for (let i = 0; i < n; i++) {
    element(frame.symbols[i]);
    for (let k = 0; k < 3; k++) {
      const x = frame.positions[3 * i + k];
      if (!Number.isFinite(x)) throw new Error(`atom ${i} (${frame.symbols[i]}) has a non-finite coordinate ${'xyz'[k]} = ${x}`);
    }
  }
  if (frame.cell) {
    if (frame.cell.length !== 9) throw new Error(`cell must have 9 numbers, got ${frame.cell.length}`);
    if (!frame.cell.every(Number.isFinite)) throw new Error('cell has a non-finite entry');
    const det = det3(frame.cell);
    const v = Math.abs(det);
    if (frame.pbc.some(Boolean) && v < 1e-6) throw new Error(`cell has zero volume (${v} Å³)`);
    if (frame.pbc.some(Boolean) && det < 0) throw new Error(`cell is left-handed (det = ${det.toFixed(2)} Å³): swap two lattice vectors or negate one`);
  } else if (frame.pbc.some(Boolean)) {
    throw new Error('pbc is set but the frame has no cell');
  }
  const dmin = opts.minDistance ?? 0.5;
  if (dmin > 0 && n > 1) {
    // Imported lazily-free: the neighbour list is the linear-cost way to find close pairs.
    const close = closestPair(frame, dmin);
    if (close) {
      throw new Error(
        `atoms ${close.i} (${frame.symbols[close.i]}) and ${close.j} (${frame.symbols[close.j]}) overlap: ` +
          `distance ${close.r.toFixed(4)} Å < ${dmin} Å`,
      );
    }
  }
}

import { buildNeighborList } from './neighbor/neighbor-list.ts';

function closestPair(frame: Frame, cutoff: number): { i: number; j: number; r: number } | null {
  const nl = buildNeighborList(frame, cutoff);
  let best: { i: number; j: number; r: number } | null = null;
  for (let i = 0; i < nl.natoms; i++) {
    for (let p = nl.offsets[i]; p < nl.offsets[i + 1]; p++) {
      const r = Math.hypot(nl.vectors[3 * p], nl.vectors[3 * p + 1], nl.vectors[3 * p + 2]);
      if (!best || r < best.r) best = { i, j: nl.neighbors[p], r };
    }
  }
  return best;
}
