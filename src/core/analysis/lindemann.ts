/**
 * Lindemann index from pair-distance fluctuations over a window of frames:
 *   δ_i = 1/(N−1) Σ_{j≠i} sqrt(<r_ij²> − <r_ij>²) / <r_ij>,   δ = (1/N) Σ_i δ_i,
 * with <·> the average over the frames (population variance). Dimensionless; δ ≳ 0.1 is the
 * usual melting criterion, and per-atom δ_i shows that surface atoms melt first (paper, Cu1103).
 *
 * Per-pair means and variances are kept with Welford's update (Welford 1962), which is
 * numerically stable and gives exactly 0 for a rigid structure. Memory: two float64 per pair,
 * N(N−1) float64 in all (≈ 100 MB for N = 3535).
 *
 * Periodic frames use the minimum-image distance through fractional coordinates (rounding the
 * fractional difference along periodic directions), exact when the cell is not strongly skewed
 * and pair distances stay below half the smallest plane spacing.
 */
import type { Frame } from '../atoms.ts';
import { inv3 } from '../atoms.ts';

type Positions = Pick<Frame, 'positions' | 'cell' | 'pbc'>;

/** Incremental Lindemann accumulator: add frames during MD, read δ_i and δ at any time. */
export class LindemannAccumulator {
  readonly natoms: number;
  private count = 0;
  private readonly mean: Float64Array;
  private readonly m2: Float64Array;

  /** @param natoms number of atoms of every frame that will be added (≥ 2). */
  constructor(natoms: number) {
    if (!Number.isInteger(natoms) || natoms < 2) throw new Error(`the Lindemann index needs an integer number of atoms ≥ 2, got ${natoms}`);
    this.natoms = natoms;
    const npairs = (natoms * (natoms - 1)) / 2;
    this.mean = new Float64Array(npairs);
    this.m2 = new Float64Array(npairs);
  }

  /** Number of frames added so far. */
  get frames(): number {
    return this.count;
  }

  /** Add one frame (positions in Å, same atoms in the same order as every other frame). */
  add(frame: Positions): void {
    const n = this.natoms;
    if (frame.positions.length !== 3 * n) throw new Error(`frame has ${frame.positions.length / 3} atoms, the accumulator ${n}`);
    this.count++;
    const c = this.count;
    const mean = this.mean, m2 = this.m2;
    let p = 0;
    if (!frame.cell || !frame.pbc.some(Boolean)) {
      // Open boundaries: the hot loop without a closure call per pair.
      const x = frame.positions;
      for (let i = 0; i < n; i++) {
        const xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
        for (let j = i + 1; j < n; j++, p++) {
          const dx = x[3 * j] - xi, dy = x[3 * j + 1] - yi, dz = x[3 * j + 2] - zi;
          const r = Math.sqrt(dx * dx + dy * dy + dz * dz);
          const delta = r - mean[p];
          mean[p] += delta / c;
          m2[p] += delta * (r - mean[p]);
        }
      }
      return;
    }
    const dist = pairDistanceFunction(frame);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++, p++) {
        const r = dist(i, j);
        const delta = r - mean[p];
        mean[p] += delta / c;
        m2[p] += delta * (r - mean[p]);
      }
    }
  }

  /** Per-atom Lindemann indices δ_i (dimensionless); needs ≥ 2 frames. */
  perAtom(): Float64Array {
    if (this.count < 2) throw new Error(`the Lindemann index needs at least 2 frames, got ${this.count}`);
    const n = this.natoms;
    const out = new Float64Array(n);
    let p = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++, p++) {
        const mean = this.mean[p];
        if (!(mean > 0)) throw new Error(`atoms ${i} and ${j} coincide on average (mean distance ${mean} Å)`);
        const q = Math.sqrt(Math.max(0, this.m2[p] / this.count)) / mean;
        out[i] += q;
        out[j] += q;
      }
    }
    for (let i = 0; i < n; i++) out[i] /= n - 1;
    return out;
  }

  /** Whole-structure Lindemann index δ = mean of δ_i (dimensionless); needs ≥ 2 frames. */
  index(): number {
    const d = this.perAtom();
    let s = 0;
    for (let i = 0; i < d.length; i++) s += d[i];
    return s / d.length;
  }

  /** Forget every frame (start a new window). */
  reset(): void {
    this.count = 0;
    this.mean.fill(0);
    this.m2.fill(0);
  }
}

/** Lindemann indices over a window of frames (≥ 2 frames, ≥ 2 atoms, positions in Å). */
export function lindemann(frames: Positions[]): { perAtom: Float64Array; index: number; frames: number } {
  if (frames.length < 2) throw new Error(`the Lindemann index needs at least 2 frames, got ${frames.length}`);
  const acc = new LindemannAccumulator(frames[0].positions.length / 3);
  for (const f of frames) acc.add(f);
  const perAtom = acc.perAtom();
  let s = 0;
  for (let i = 0; i < perAtom.length; i++) s += perAtom[i];
  return { perAtom, index: s / perAtom.length, frames: frames.length };
}

/** Distance function r(i, j) (Å) of a frame: plain for open systems, minimum image for periodic ones. */
function pairDistanceFunction(frame: Positions): (i: number, j: number) => number {
  const x = frame.positions;
  if (!frame.cell || !frame.pbc.some(Boolean)) {
    return (i, j) => Math.hypot(x[3 * j] - x[3 * i], x[3 * j + 1] - x[3 * i + 1], x[3 * j + 2] - x[3 * i + 2]);
  }
  const cell = frame.cell;
  const inv = inv3(cell);
  const n = x.length / 3;
  const frac = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) frac[3 * i + k] = x[3 * i] * inv[k] + x[3 * i + 1] * inv[3 + k] + x[3 * i + 2] * inv[6 + k];
  }
  const pbc = frame.pbc;
  return (i, j) => {
    let s0 = frac[3 * j] - frac[3 * i], s1 = frac[3 * j + 1] - frac[3 * i + 1], s2 = frac[3 * j + 2] - frac[3 * i + 2];
    if (pbc[0]) s0 -= Math.round(s0);
    if (pbc[1]) s1 -= Math.round(s1);
    if (pbc[2]) s2 -= Math.round(s2);
    const dx = s0 * cell[0] + s1 * cell[3] + s2 * cell[6];
    const dy = s0 * cell[1] + s1 * cell[4] + s2 * cell[7];
    const dz = s0 * cell[2] + s1 * cell[5] + s2 * cell[8];
    return Math.hypot(dx, dy, dz);
  };
}
