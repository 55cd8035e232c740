/**
 * Tabulated embedding nets (as DeePMD-kit's `dp compress`, shared/docs/performance-model.md §5):
 * every channel a of every embedding net becomes a piecewise fifth-order polynomial in the
 * normalised radial input s, on intervals of width `step` over [lower, upper], fitted on each
 * interval from the net's value, first and second derivative at both ends (quintic Hermite;
 * value, slope and curvature continuous). Outside the table the kernels extrapolate linearly.
 * The s-range is core's tableRange (the same as the CPU tables').
 * Derivatives: G' by forward-mode (exact), G'' by a central difference of G' (δ = 1e-4).
 * Table layout: [model][net][interval][channel][6] float32 (a0 … a5 in powers of t = s − x_k).
 */
import type { DpModel } from '../core/potentials/dp/model.ts';
import { embeddingWidth } from '../core/potentials/dp/model.ts';
import { PreparedNetwork } from '../core/potentials/dp/network.ts';
import { embeddingTable, quinticHermite, tableRange, type TabulateOptions } from '../core/potentials/dp/tabulate.ts';
import type { DpLayout } from './dp-layout.ts';

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

// The quintic Hermite fit and the options are shared with the CPU tables (core/potentials/dp/tabulate.ts).
export { quinticHermite };
export type { TabulateOptions };

/** Build the tables of all embedding nets of `models` (one layout). */
export function buildEmbeddingTables(models: DpModel[], L: DpLayout, opts: TabulateOptions = {}): EmbeddingTables {
  const { lower: lo, step, nint } = tableRange(models, opts);
  const M = L.M;
  const netStride = nint * M * 6;
  const modelStride = L.nEmbNets * netStride;
  const data = new Float32Array(modelStride * models.length);
  let maxFitError = 0;
  models.forEach((m, mi) => {
    if (embeddingWidth(m.descriptor) !== M) throw new Error('embedding width mismatch');
    m.descriptor.embeddings.networks.forEach((net, ni) => {
      const t = embeddingTable(new PreparedNetwork(net!), M, lo, step, nint);
      data.set(t.coef, mi * modelStride + ni * netStride);
      maxFitError = Math.max(maxFitError, t.maxFitError);
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
