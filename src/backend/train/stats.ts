/**
 * Data statistics set before training, as DeePMD-kit computes them:
 *  - environment normalisation (EnvMatStatSe): per centre type, over every slot of every atom
 *    (padding included), davg = (mean e0, 0, 0, 0), dstd = (std e0, s_a, s_a, s_a) with
 *    s_a = sqrt(Σ(e1²+e2²+e3²) / (3 n)); stds below 1e-2 are raised to 1e-2;
 *  - energy bias (out_bias): least squares E_frame ≈ Σ_t n_t(frame) · b_t, eV per atom of type t.
 */
import type { DpModel } from '../../core/potentials/dp/model.ts';
import type { Sample } from './samples.ts';

const STD_FLOOR = 1e-2;

/** Fill model.descriptor.davg/dstd from the samples' raw env rows. */
export function setEnvStats(model: DpModel, samples: Sample[]): void {
  const d = model.descriptor;
  const T = model.ntypes;
  const sumr = new Float64Array(T), sumr2 = new Float64Array(T), suma2 = new Float64Array(T), n = new Float64Array(T);
  for (const s of samples) {
    for (let i = 0; i < s.natoms; i++) {
      const t = s.types[i];
      for (let j = 0; j < d.nnei; j++) {
        const o = (i * d.nnei + j) * 4;
        sumr[t] += s.env[o];
        sumr2[t] += s.env[o] * s.env[o];
        suma2[t] += s.env[o + 1] ** 2 + s.env[o + 2] ** 2 + s.env[o + 3] ** 2;
        n[t] += 1;
      }
    }
  }
  for (let t = 0; t < T; t++) {
    const avg = n[t] > 0 ? sumr[t] / n[t] : 0;
    const stdr = n[t] > 0 ? Math.sqrt(Math.max(0, sumr2[t] / n[t] - avg * avg)) : 1;
    const stda = n[t] > 0 ? Math.sqrt(suma2[t] / (3 * n[t])) : 1;
    for (let j = 0; j < d.nnei; j++) {
      const o = (t * d.nnei + j) * 4;
      d.davg.set([avg, 0, 0, 0], o);
      d.dstd.set([Math.max(stdr, STD_FLOOR), Math.max(stda, STD_FLOOR), Math.max(stda, STD_FLOOR), Math.max(stda, STD_FLOOR)], o);
    }
  }
}

/** Per-type energy bias b (eV/atom) minimising Σ_f (E_f − Σ_t n_ft b_t)² (ridge 1e-10 for types that never vary independently). */
export function energyBias(samples: Array<Pick<Sample, 'types' | 'energy'>>, ntypes: number): Float64Array {
  const T = ntypes;
  const AtA = new Float64Array(T * T);
  const Atb = new Float64Array(T);
  for (const s of samples) {
    const c = new Float64Array(T);
    for (const t of s.types) c[t]++;
    for (let a = 0; a < T; a++) {
      Atb[a] += c[a] * s.energy;
      for (let b = 0; b < T; b++) AtA[a * T + b] += c[a] * c[b];
    }
  }
  let scale = 0;
  for (let a = 0; a < T; a++) scale = Math.max(scale, AtA[a * T + a]);
  for (let a = 0; a < T; a++) AtA[a * T + a] += 1e-10 * (scale || 1);
  return solve(AtA, Atb, T);
}

/** Gaussian elimination with partial pivoting of a small dense system. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A), x = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[p * n + c])) p = r;
    if (p !== c) {
      for (let k = 0; k < n; k++) [M[c * n + k], M[p * n + k]] = [M[p * n + k], M[c * n + k]];
      [x[c], x[p]] = [x[p], x[c]];
    }
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / M[c * n + c];
      for (let k = c; k < n; k++) M[r * n + k] -= f * M[c * n + k];
      x[r] -= f * x[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r];
    for (let k = r + 1; k < n; k++) s -= M[r * n + k] * x[k];
    x[r] = s / M[r * n + r];
  }
  return x;
}
