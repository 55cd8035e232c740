/**
 * Seeded random clusters grown atom by atom (the paper's BHMC starting structures).
 *
 * Atom 0 sits at the origin. Each further atom is proposed at a distance r, uniform in
 * [placeMin, dmax] Å, along an isotropic random direction (normalised Gaussian vector) from a
 * uniformly chosen earlier atom, and kept only if it is ≥ dmin Å from every atom placed so far.
 * Hence, by construction: every pair distance is ≥ dmin, and every atom is within dmax of at
 * least one other (the one it grew from), so the cluster is connected at bond length dmax.
 * The paper's tooling uses dmin 1.5 Å, placeMin 1.8 Å, dmax 3.0 Å for Cu.
 *
 * Nothing is silently dropped: bounds that cannot be met and atoms that cannot be placed within
 * `maxAttempts` proposals are errors. The result is centred (centroid at the origin), open
 * boundaries. Same seed and arguments ⇒ the same cluster on every platform.
 */
import { makeFrame, type Frame } from '../atoms.ts';
import { element } from '../elements.ts';
import { Rng } from '../random.ts';

export interface RandomClusterOptions {
  /** Smallest allowed distance between any two atoms, Å (> 0). */
  dmin: number;
  /** Largest distance of a new atom from the atom it grows from, Å (≥ dmin). */
  dmax: number;
  /** Smallest distance of a new atom from the atom it grows from, Å (default dmin; dmin ≤ placeMin ≤ dmax). */
  placeMin?: number;
  /** Seed of the random numbers (any finite number; see Rng). Ignored when `rng` is given. */
  seed?: number;
  /** Use (and advance) this generator instead of a fresh Rng(seed). */
  rng?: Rng;
  /** Proposals per atom before giving up (default 10 000). */
  maxAttempts?: number;
}

/**
 * Grow a random cluster of `natoms` atoms of `symbol` with all pair distances ≥ dmin Å and every
 * atom within dmax Å of another. Positions in Å, centroid at the origin, cell null.
 */
export function randomCluster(symbol: string, natoms: number, opts: RandomClusterOptions): Frame {
  element(symbol);
  if (!Number.isInteger(natoms) || natoms < 1) throw new Error(`a random cluster needs an integer number of atoms ≥ 1, got ${natoms}`);
  const { dmin, dmax } = opts;
  const lo = opts.placeMin ?? dmin;
  const maxAttempts = opts.maxAttempts ?? 10000;
  if (!Number.isFinite(dmin) || dmin <= 0) throw new Error(`dmin must be a positive number of Å, got ${dmin}`);
  if (!Number.isFinite(dmax) || dmax <= 0) throw new Error(`dmax must be a positive number of Å, got ${dmax}`);
  if (dmin > dmax) throw new Error(`impossible distance bounds: dmin ${dmin} Å > dmax ${dmax} Å`);
  if (!Number.isFinite(lo) || lo < dmin || lo > dmax) throw new Error(`placeMin must lie in [dmin, dmax] = [${dmin}, ${dmax}] Å, got ${lo}`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error(`maxAttempts must be an integer ≥ 1, got ${maxAttempts}`);
  if (!opts.rng && opts.seed === undefined) throw new Error('randomCluster needs a seed (or an rng)');
  const rng = opts.rng ?? new Rng(opts.seed as number);

  const pos = new Float64Array(3 * natoms);
  const dmin2 = dmin * dmin;
  for (let i = 1; i < natoms; i++) {
    let placed = false;
    for (let attempt = 0; attempt < maxAttempts && !placed; attempt++) {
      const parent = rng.int(i);
      let ux = rng.normal(), uy = rng.normal(), uz = rng.normal();
      const norm = Math.hypot(ux, uy, uz);
      if (norm < 1e-12) continue;
      const r = lo + (dmax - lo) * rng.uniform();
      ux = pos[3 * parent] + (r * ux) / norm;
      uy = pos[3 * parent + 1] + (r * uy) / norm;
      uz = pos[3 * parent + 2] + (r * uz) / norm;
      let ok = true;
      for (let j = 0; j < i; j++) {
        const dx = ux - pos[3 * j], dy = uy - pos[3 * j + 1], dz = uz - pos[3 * j + 2];
        if (dx * dx + dy * dy + dz * dz < dmin2) { ok = false; break; }
      }
      if (ok) {
        pos[3 * i] = ux; pos[3 * i + 1] = uy; pos[3 * i + 2] = uz;
        placed = true;
      }
    }
    if (!placed) {
      throw new Error(
        `could not place atom ${i} of ${natoms} at ≥ ${dmin} Å from all others within ${lo}–${dmax} Å of one of them ` +
          `after ${maxAttempts} attempts; widen the bounds or lower natoms`,
      );
    }
  }
  const c = [0, 0, 0];
  for (let i = 0; i < natoms; i++) for (let k = 0; k < 3; k++) c[k] += pos[3 * i + k] / natoms;
  for (let i = 0; i < natoms; i++) for (let k = 0; k < 3; k++) pos[3 * i + k] -= c[k];
  return makeFrame(new Array<string>(natoms).fill(symbol), pos);
}

/**
 * Check the random-cluster bounds of a frame: the smallest pair distance (Å), whether every atom
 * has a neighbour within dmax Å, and whether the cluster is connected at bond length dmax. O(N²).
 */
export function clusterBounds(frame: Frame, dmax: number): { minDistance: number; allHaveNeighbour: boolean; connected: boolean } {
  const n = frame.symbols.length, x = frame.positions;
  let minDistance = Infinity;
  const adj: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = Math.hypot(x[3 * j] - x[3 * i], x[3 * j + 1] - x[3 * i + 1], x[3 * j + 2] - x[3 * i + 2]);
      minDistance = Math.min(minDistance, d);
      if (d <= dmax) { adj[i].push(j); adj[j].push(i); }
    }
  }
  const allHaveNeighbour = n < 2 || adj.every((a) => a.length > 0);
  const seen = new Uint8Array(n);
  const stack = n > 0 ? [0] : [];
  if (n > 0) seen[0] = 1;
  let count = n > 0 ? 1 : 0;
  while (stack.length) {
    const i = stack.pop() as number;
    for (const j of adj[i]) if (!seen[j]) { seen[j] = 1; count++; stack.push(j); }
  }
  return { minDistance, allHaveNeighbour, connected: count === n };
}
