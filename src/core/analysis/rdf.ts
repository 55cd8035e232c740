/**
 * Radial distribution function g(r) of periodic systems and pair-distance histograms of clusters.
 *
 * g(r) for a periodic cell of volume V with N atoms (ρ = N/V), bins [r_k, r_k + Δr):
 *   g_k = n_k / (N · ρ · (4π/3)(r_{k+1}³ − r_k³)),
 * n_k the number of ordered pairs (i, j ≠ i, periodic images included) with r_ij in bin k, so
 * g → 1 at large r in a homogeneous system, and averaged over frames. The running coordination
 * number n(r) = ρ ∫₀^r 4πr'² g(r') dr' is reported at each bin's upper edge (= the mean number
 * of neighbours closer than that edge; 12 for fcc past the first shell).
 *
 * Clusters have no volume to normalise by: pairDistanceHistogram counts each pair once.
 */
import type { Frame } from '../atoms.ts';
import { det3 } from '../atoms.ts';
import { buildNeighborList } from '../neighbor/neighbor-list.ts';

type Positions = Pick<Frame, 'positions' | 'cell' | 'pbc'>;

export interface BinOptions {
  /** Largest distance, Å (> 0). */
  rmax: number;
  /** Number of bins (integer ≥ 1); bin width rmax/nbins. */
  nbins: number;
}

export interface RdfResult {
  /** Bin edges, Å (nbins + 1 values from 0 to rmax). */
  edges: Float64Array;
  /** Bin centres, Å. */
  r: Float64Array;
  /** g(r) per bin (dimensionless). */
  g: Float64Array;
  /** Running coordination number at each bin's upper edge (neighbours per atom). */
  coordination: Float64Array;
  /** Mean number density over the frames, Å⁻³. */
  density: number;
  /** Number of frames averaged. */
  frames: number;
}

function checkBins(o: BinOptions): void {
  if (!(o.rmax > 0) || !Number.isFinite(o.rmax)) throw new Error(`rmax must be a positive number of Å, got ${o.rmax}`);
  if (!Number.isInteger(o.nbins) || o.nbins < 1) throw new Error(`nbins must be an integer ≥ 1, got ${o.nbins}`);
}

function edgesOf(o: BinOptions): { edges: Float64Array; r: Float64Array } {
  const dr = o.rmax / o.nbins;
  const edges = Float64Array.from({ length: o.nbins + 1 }, (_, k) => k * dr);
  const r = Float64Array.from({ length: o.nbins }, (_, k) => (k + 0.5) * dr);
  return { edges, r };
}

/** g(r) of one or more fully periodic frames (pbc on all three cell vectors), distances in Å. */
export function rdf(frames: Positions | Positions[], opts: BinOptions): RdfResult {
  checkBins(opts);
  const list = Array.isArray(frames) ? frames : [frames];
  if (list.length === 0) throw new Error('rdf needs at least one frame');
  const { edges, r } = edgesOf(opts);
  const nb = opts.nbins;
  const dr = opts.rmax / nb;
  const g = new Float64Array(nb);
  const perAtom = new Float64Array(nb);
  let densitySum = 0;
  list.forEach((f, fi) => {
    if (!f.cell || !f.pbc.every(Boolean)) {
      throw new Error(`rdf: frame ${fi} is not periodic in all three directions; use pairDistanceHistogram for clusters and slabs`);
    }
    const n = f.positions.length / 3;
    if (n === 0) throw new Error(`rdf: frame ${fi} has no atoms`);
    const volume = Math.abs(det3(f.cell));
    if (!(volume > 0)) throw new Error(`rdf: frame ${fi} has a zero-volume cell`);
    const rho = n / volume;
    densitySum += rho;
    const counts = new Float64Array(nb);
    const nl = buildNeighborList(f, opts.rmax);
    for (let p = 0; p < nl.neighbors.length; p++) {
      const d = Math.hypot(nl.vectors[3 * p], nl.vectors[3 * p + 1], nl.vectors[3 * p + 2]);
      const k = Math.floor(d / dr);
      if (k < nb) counts[k]++;
    }
    for (let k = 0; k < nb; k++) {
      const shell = ((4 * Math.PI) / 3) * (edges[k + 1] ** 3 - edges[k] ** 3);
      g[k] += counts[k] / (n * rho * shell);
      perAtom[k] += counts[k] / n;
    }
  });
  const m = list.length;
  const coordination = new Float64Array(nb);
  let run = 0;
  for (let k = 0; k < nb; k++) {
    g[k] /= m;
    run += perAtom[k] / m;
    coordination[k] = run;
  }
  return { edges, r, g, coordination, density: densitySum / m, frames: m };
}

export interface PairHistogram {
  /** Bin edges, Å. */
  edges: Float64Array;
  /** Bin centres, Å. */
  r: Float64Array;
  /** Mean number of pairs (each unordered pair once) per frame in each bin. */
  counts: Float64Array;
  /** Probability density of pair distances, Å⁻¹ (counts / (N(N−1)/2 · Δr); integrates to the fraction of pairs below rmax). */
  pdf: Float64Array;
  /** Number of frames averaged. */
  frames: number;
}

/**
 * Histogram of the pair distances (Å) of one or more frames with the same number of atoms
 * (periodic images included if a frame is periodic, each unordered pair once).
 */
export function pairDistanceHistogram(frames: Positions | Positions[], opts: BinOptions): PairHistogram {
  checkBins(opts);
  const list = Array.isArray(frames) ? frames : [frames];
  if (list.length === 0) throw new Error('pairDistanceHistogram needs at least one frame');
  const { edges, r } = edgesOf(opts);
  const nb = opts.nbins;
  const dr = opts.rmax / nb;
  const counts = new Float64Array(nb);
  const n = list[0].positions.length / 3;
  if (n < 2) throw new Error(`pair distances need at least 2 atoms, got ${n}`);
  list.forEach((f, fi) => {
    if (f.positions.length !== 3 * n) throw new Error(`frame ${fi} has ${f.positions.length / 3} atoms, frame 0 has ${n}`);
    const nl = buildNeighborList(f, opts.rmax);
    for (let p = 0; p < nl.neighbors.length; p++) {
      const d = Math.hypot(nl.vectors[3 * p], nl.vectors[3 * p + 1], nl.vectors[3 * p + 2]);
      const k = Math.floor(d / dr);
      if (k < nb) counts[k] += 0.5; // the full list holds i→j and j→i
    }
  });
  const npairs = (n * (n - 1)) / 2;
  for (let k = 0; k < nb; k++) counts[k] /= list.length;
  const pdf = Float64Array.from(counts, (c) => c / (npairs * dr));
  return { edges, r, counts, pdf, frames: list.length };
}
