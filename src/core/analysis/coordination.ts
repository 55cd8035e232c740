/**
 * Coordination numbers: CN_i = #{ j ≠ i : |r_ij| < cutoff }, periodic images included along
 * periodic directions (an atom's own images count too, as in a small periodic box), and the
 * distribution P(CN) the paper compares between training set and nanoparticle MD.
 */
import type { Frame } from '../atoms.ts';
import { buildNeighborList } from '../neighbor/neighbor-list.ts';

/** Coordination number of every atom with a strict distance cutoff (Å). */
export function coordinationNumbers(frame: Pick<Frame, 'positions' | 'cell' | 'pbc'>, cutoff: number): Int32Array {
  if (!(cutoff > 0) || !Number.isFinite(cutoff)) throw new Error(`coordination cutoff must be a positive number of Å, got ${cutoff}`);
  const n = frame.positions.length / 3;
  if (n === 0) return new Int32Array(0);
  const nl = buildNeighborList(frame, cutoff);
  const cn = new Int32Array(n);
  for (let i = 0; i < n; i++) cn[i] = nl.offsets[i + 1] - nl.offsets[i];
  return cn;
}

/** Histogram of coordination numbers: CN → number of atoms (only CNs that occur). */
export function cnHistogram(cn: ArrayLike<number>): Map<number, number> {
  const h = new Map<number, number>();
  for (let i = 0; i < cn.length; i++) h.set(cn[i], (h.get(cn[i]) ?? 0) + 1);
  return new Map([...h.entries()].sort((a, b) => a[0] - b[0]));
}

/** A normalised coordination-number distribution over many atoms. */
export interface CnDistribution {
  /** Coordination numbers 0 … max. */
  cn: number[];
  /** Fraction of atoms with that CN (sums to 1). */
  p: number[];
  /** Number of atoms counted (over all frames). */
  atoms: number;
}

/**
 * P(CN) over every atom of every frame (cutoff in Å). An optional `select(frameIndex, atomIndex)`
 * restricts the atoms counted (e.g. surface atoms only); their neighbours are still all atoms.
 */
export function cnDistribution(frames: Array<Pick<Frame, 'positions' | 'cell' | 'pbc'>>, cutoff: number, select?: (frame: number, atom: number) => boolean): CnDistribution {
  const counts: number[] = [];
  let atoms = 0;
  frames.forEach((f, fi) => {
    const cn = coordinationNumbers(f, cutoff);
    for (let i = 0; i < cn.length; i++) {
      if (select && !select(fi, i)) continue;
      while (counts.length <= cn[i]) counts.push(0);
      counts[cn[i]]++;
      atoms++;
    }
  });
  if (atoms === 0) throw new Error('cnDistribution: no atoms to count');
  return { cn: counts.map((_, k) => k), p: counts.map((c) => c / atoms), atoms };
}
