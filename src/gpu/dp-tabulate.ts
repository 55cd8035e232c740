/**
 * Tabulated embedding nets (as DeePMD-kit's `dp compress`, shared/docs/performance-model.md §5):
 * every channel a of every embedding net becomes a piecewise fifth-order polynomial in the
 * normalised radial input s, on intervals of width `step` over [lower, upper], fitted on each
 * interval from the net's value, first and second derivative at both ends (quintic Hermite;
 * value, slope and curvature continuous). Outside the table the kernels extrapolate linearly.
 *   lower = min over centre types/slots of −davg₀/dstd₀ (s of a neighbour at r ≥ rc, = padding)
 *   upper = max of (1/(r_min + p) − davg₀)/dstd₀ (s of a neighbour at r_min, sw = 1)
 * Derivatives: G' by forward-mode (exact), G'' by a central difference of G' (δ = 1e-4).
 * Table layout: [model][net][interval][channel][6] float32 (a0 … a5 in powers of t = s − x_k).
 */
import type { DpModel } from '../core/potentials/dp/model.ts';
import { embeddingWidth } from '../core/potentials/dp/model.ts';
import { PreparedNetwork } from '../core/potentials/dp/network.ts';
import { quinticHermite } from '../core/potentials/dp/tabulate.ts';
import type { DpLayout } from './dp-layout.ts';

export interface TabulateOptions {
  /** Interval width in s (normalised units), default 0.01 (DeePMD's default `--step`). */
  step?: number;
  /** Smallest neighbour distance the table covers exactly, Å (default 1.0). */
  rmin?: number;
}

export interface EmbeddingTables {
  lower: number;
  step: number;
  nint: number;
  /** Floats per net and per model. */
  netStride: number;
  modelStride: number;
  data: Float32Array<ArrayBuffer>;
  /** Max |poly − net| at interval midpoints (float64), over all channels, nets and models. */
  maxFitError: number;
}

// The quintic Hermite fit is shared with the CPU tables (core/potentials/dp/tabulate.ts).
export { quinticHermite };

/** Build the tables of all embedding nets of `models` (one layout). */
export function buildEmbeddingTables(models: DpModel[], L: DpLayout, opts: TabulateOptions = {}): EmbeddingTables {
  const step = opts.step ?? 0.01;
  const rmin = opts.rmin ?? 1.0;
  let lo = Infinity, hi = -Infinity;
  for (const m of models) {
    const d = m.descriptor;
    for (let r = 0; r < m.ntypes * d.nnei; r++) {
      const avg = d.davg[4 * r], std = d.dstd[4 * r];
      lo = Math.min(lo, -avg / std);
      hi = Math.max(hi, (1 / (rmin + d.envProtection) - avg) / std);
    }
  }
  lo -= step;
  const nint = Math.ceil((hi - lo) / step) + 1;
  const M = L.M;
  const netStride = nint * M * 6;
  const modelStride = L.nEmbNets * netStride;
  const data = new Float32Array(modelStride * models.length);
  const y = new Float64Array((nint + 1) * M), d1 = new Float64Array((nint + 1) * M), d2 = new Float64Array((nint + 1) * M);
  const g = new Float64Array(M), gp = new Float64Array(M), gm = new Float64Array(M), tmp = new Float64Array(M);
  const delta = 1e-4;
  let maxFitError = 0;
  models.forEach((m, mi) => {
    m.descriptor.embeddings.networks.forEach((net, ni) => {
      const p = new PreparedNetwork(net!);
      if (embeddingWidth(m.descriptor) !== M) throw new Error('embedding width mismatch');
      for (let k = 0; k <= nint; k++) {
        const x = lo + k * step;
        p.forwardScalarWithTangent(x, g, tmp);
        y.set(g, k * M);
        d1.set(tmp, k * M);
        p.forwardScalarWithTangent(x + delta, g, gp);
        p.forwardScalarWithTangent(x - delta, g, gm);
        for (let a = 0; a < M; a++) d2[k * M + a] = (gp[a] - gm[a]) / (2 * delta);
      }
      const base = mi * modelStride + ni * netStride;
      for (let k = 0; k < nint; k++) {
        p.forwardScalarWithTangent(lo + (k + 0.5) * step, g, tmp);
        for (let a = 0; a < M; a++) {
          const i0 = k * M + a, i1 = (k + 1) * M + a;
          const c = quinticHermite(y[i0], d1[i0], d2[i0], y[i1], d1[i1], d2[i1], step);
          data.set(c, base + (k * M + a) * 6);
          const t = step / 2;
          const v = c[0] + t * (c[1] + t * (c[2] + t * (c[3] + t * (c[4] + t * c[5]))));
          maxFitError = Math.max(maxFitError, Math.abs(v - g[a]));
        }
      }
    });
  });
  return { lower: lo, step, nint, netStride, modelStride, data, maxFitError };
}

/** WGSL constants of a table. */
export function tablePrelude(t: EmbeddingTables): string {
  const f = (x: number) => {
    const s = Math.fround(x).toPrecision(9);
    return /[.eE]/.test(s) ? s : `${s}.0`;
  };
  return [
    `const TAB_LO: f32 = ${f(t.lower)};`,
    `const TAB_H: f32 = ${f(t.step)};`,
    `const TAB_NINT: u32 = ${t.nint}u;`,
    `const TAB_NET_STRIDE: u32 = ${t.netStride}u;`,
    `const TAB_MODEL_STRIDE: u32 = ${t.modelStride}u;`,
    '',
  ].join('\n');
}
