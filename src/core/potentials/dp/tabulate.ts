/**
 * Tabulated embedding net on the CPU (the idea of DeePMD-kit's compressed model, `dp compress`):
 * each output channel a of an embedding net G(s) becomes a piecewise fifth-order polynomial in
 * the normalised radial input s on intervals of width `step` over [lower, upper], fitted on each
 * interval from the net's value, first and second derivative at both ends (quintic Hermite:
 * value, slope and curvature continuous). The value and dG/ds of a neighbour then cost one
 * polynomial per channel instead of the whole net. Inputs outside the table go through the net
 * exactly. float64 coefficients; the error is that of the interpolation (reported as maxFitError
 * at interval midpoints).
 * Derivatives for the fit: G' by forward-mode (exact), G'' by a central difference of G' (δ = 1e-4).
 */
import type { DpModel } from './model.ts';
import { PreparedNetwork } from './network.ts';

/** How to tabulate the embedding nets (CPU and GPU). */
export interface TabulateOptions {
  /** Interval width in s (normalised units), default 0.01 (DeePMD's default `--step`). */
  step?: number;
  /** Smallest neighbour distance the table covers, Å (default 1.0); closer pairs use the exact net (CPU). */
  rmin?: number;
  /**
   * CPU only: largest accepted interpolation error of G at the interval midpoints (default
   * TABLE_MAX_ERROR); a model whose tables fit worse (e.g. a kinked activation) keeps the exact nets.
   */
  maxError?: number;
}

/**
 * Default largest accepted table error of G (dimensionless, like G): far below the 1e-8 eV / eV/Å
 * agreement with the exact nets that test/dp/tabulated-cpu.test.ts documents (smooth activations
 * give 1e-15–1e-13 at step 0.01).
 */
export const TABLE_MAX_ERROR = 1e-9;

/** The default interval width (s units) and smallest covered distance (Å) of the tables. */
export const TABLE_STEP = 0.01;
export const TABLE_RMIN_A = 1.0;

/** The s-interval grid of a table: nint intervals of width step from lower. */
export interface TableRange {
  lower: number;
  step: number;
  nint: number;
}

/**
 * The s-range every embedding table of `models` must cover, with one interval of margin each side:
 *   lower = min over centre types/slots of −davg₀/dstd₀ − step (s of a neighbour at r ≥ rc, = padding)
 *   upper = max of (1/(rmin + p) − davg₀)/dstd₀ + step   (s of a neighbour at rmin, sw = 1)
 * (p = env_protection). One function for the CPU tables and the GPU's (gpu/dp-tabulate.ts).
 */
export function tableRange(models: readonly DpModel[], opts: TabulateOptions = {}): TableRange {
  const step = opts.step ?? TABLE_STEP;
  const rmin = opts.rmin ?? TABLE_RMIN_A;
  if (!(step > 0)) throw new Error(`embedding table needs step > 0, got ${step}`);
  if (!(rmin > 0)) throw new Error(`embedding table needs rmin > 0 Å, got ${rmin}`);
  let lo = Infinity, hi = -Infinity;
  for (const m of models) {
    const d = m.descriptor;
    for (let r = 0; r < m.ntypes * d.nnei; r++) {
      const avg = d.davg[4 * r], std = d.dstd[4 * r];
      lo = Math.min(lo, -avg / std);
      hi = Math.max(hi, (1 / (rmin + d.envProtection) - avg) / std);
    }
  }
  if (!(hi > lo)) throw new Error(`embedding table needs a non-empty s-range, got [${lo}, ${hi}]`);
  const lower = lo - step;
  return { lower, step, nint: Math.ceil((hi - lower) / step) + 1 };
}

/** Quintic Hermite coefficients (powers of t on [0, h]) from (y, y', y'') at both ends. */
export function quinticHermite(y0: number, d0: number, s0: number, y1: number, d1: number, s1: number, h: number): number[] {
  const h2 = h * h, h3 = h2 * h, h4 = h3 * h, h5 = h4 * h;
  const dy = y1 - y0;
  return [
    y0, d0, s0 / 2,
    (20 * dy - (8 * d1 + 12 * d0) * h - (3 * s0 - s1) * h2) / (2 * h3),
    (-30 * dy + (14 * d1 + 16 * d0) * h + (3 * s0 - 2 * s1) * h2) / (2 * h4),
    (12 * dy - 6 * (d1 + d0) * h - (s0 - s1) * h2) / (2 * h5),
  ];
}

/**
 * The quintic Hermite table of one embedding net: nint intervals of width `step` from `lower`,
 * coef[(k·M + a)·6 + p] (float64), and the largest |table − net| at the interval midpoints.
 * Shared by the CPU tables (TabulatedEmbedding) and the GPU's (gpu/dp-tabulate.ts).
 */
export function embeddingTable(net: PreparedNetwork, M: number, lower: number, step: number, nint: number): { coef: Float64Array; maxFitError: number } {
  const y = new Float64Array((nint + 1) * M), d1 = new Float64Array((nint + 1) * M), d2 = new Float64Array((nint + 1) * M);
  const g = new Float64Array(M), t = new Float64Array(M), tp = new Float64Array(M), tm = new Float64Array(M);
  const delta = 1e-4;
  for (let k = 0; k <= nint; k++) {
    const x = lower + k * step;
    net.forwardScalarWithTangent(x, g, t);
    y.set(g, k * M);
    d1.set(t, k * M);
    net.forwardScalarWithTangent(x + delta, g, tp);
    net.forwardScalarWithTangent(x - delta, g, tm);
    for (let a = 0; a < M; a++) d2[k * M + a] = (tp[a] - tm[a]) / (2 * delta);
  }
  const coef = new Float64Array(nint * M * 6);
  let err = 0;
  for (let k = 0; k < nint; k++) {
    net.forwardScalarWithTangent(lower + (k + 0.5) * step, g, t);
    for (let a = 0; a < M; a++) {
      const i0 = k * M + a, i1 = (k + 1) * M + a;
      const c = quinticHermite(y[i0], d1[i0], d2[i0], y[i1], d1[i1], d2[i1], step);
      coef.set(c, (k * M + a) * 6);
      const h = step / 2;
      err = Math.max(err, Math.abs(c[0] + h * (c[1] + h * (c[2] + h * (c[3] + h * (c[4] + h * c[5])))) - g[a]));
    }
  }
  return { coef, maxFitError: err };
}

export class TabulatedEmbedding {
  readonly M: number;
  readonly lower: number;
  readonly step: number;
  readonly nint: number;
  /** coef[(k·M + a)·6 + p]: coefficient p of channel a on interval k. */
  private readonly coef: Float64Array;
  /** Largest |table − net| at the interval midpoints. */
  readonly maxFitError: number;

  constructor(readonly net: PreparedNetwork, M: number, range: TableRange) {
    this.M = M;
    this.lower = range.lower;
    this.step = range.step;
    this.nint = range.nint;
    const t = embeddingTable(net, M, range.lower, range.step, range.nint);
    this.coef = t.coef;
    this.maxFitError = t.maxFitError;
  }

  /** G(s) into out and dG/ds into dOut (length M each), as PreparedNetwork.forwardScalarWithTangent. */
  evaluate(s: number, out: Float64Array, dOut: Float64Array): void {
    const u = (s - this.lower) / this.step;
    const k = Math.floor(u);
    if (!(k >= 0 && k < this.nint)) { this.net.forwardScalarWithTangent(s, out, dOut); return; }
    const t = s - (this.lower + k * this.step);
    const c = this.coef, M = this.M;
    let o = k * M * 6;
    for (let a = 0; a < M; a++, o += 6) {
      const c1 = c[o + 1], c2 = c[o + 2], c3 = c[o + 3], c4 = c[o + 4], c5 = c[o + 5];
      out[a] = c[o] + t * (c1 + t * (c2 + t * (c3 + t * (c4 + t * c5))));
      dOut[a] = c1 + t * (2 * c2 + t * (3 * c3 + t * (4 * c4 + t * 5 * c5)));
    }
  }
}
