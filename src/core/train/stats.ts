/**
 * Data statistics of a DP-SE model, as DeePMD-kit computes them before training.
 *
 * Environment statistics (deepmd/dpmodel/utils/env_mat_stat.py `EnvMatStatSe`, deepmd/utils/env_mat_stat.py
 * `StatItem`): for every centre type t, over all atoms of that type and ALL nnei = Σsel slots
 * (padding slots count, with env-matrix rows 0), of the raw env matrix e (davg 0, dstd 1):
 *   r_avg = mean(e0),  r_std = std(e0),  a_std = std of the pooled 3 angular columns (e1, e2, e3)
 *   davg[t, j] = (r_avg, 0, 0, 0),  dstd[t, j] = (r_std, a_std, a_std, a_std)   for every slot j
 * std = sqrt(Σx²/n − (Σx/n)²) replaced by 1e-2 when below 1e-2 (DeePMD's protection);
 * a type without atoms gets davg 0 and dstd 0.1 (DeePMD's defaults).
 *
 * Energy bias (deepmd/pt/utils/stat.py `compute_output_stats` → least squares): per-type atomic
 * energies b minimise Σ_frames (E_f − Σ_t n_{f,t} b_t)², solved as numpy.linalg.lstsq does
 * (minimum-norm solution, singular values below eps·max(F, T)·σ_max dropped). eV per atom.
 */
import { buildSeASlots, type SeASlots } from '../potentials/dp/nlist-slots.ts';
import { envRow } from '../potentials/dp/env-mat.ts';
import { mapSpeciesToTypes, type DpModel } from '../potentials/dp/model.ts';
import { buildNeighborList } from '../neighbor/neighbor-list.ts';
import type { DpArchitecture, LabeledFrame } from './types.ts';

/** DeePMD's std protection and the default std of an empty type. */
export const STD_PROTECTION = 1e-2;
export const STD_DEFAULT = 1e-1;

/** Running sums of one statistic (DeePMD's StatItem). */
export interface StatItem {
  number: number;
  sum: number;
  squaredSum: number;
}

export interface EnvStats {
  /** Per type: sums of the radial column (r) and of the three angular columns (a). */
  r: StatItem[];
  a: StatItem[];
  /** davg/dstd, shape [T, nnei, 4] row-major, ready for model.descriptor. */
  davg: Float64Array;
  dstd: Float64Array;
}

/** Mean of a StatItem (default when empty). */
export function statAvg(s: StatItem, def = 0): number {
  return s.number === 0 ? def : s.sum / s.number;
}

/** Standard deviation with DeePMD's protection (default when empty). */
export function statStd(s: StatItem, def = STD_DEFAULT, protection = STD_PROTECTION): number {
  if (s.number === 0) return def;
  const m = s.sum / s.number;
  const v = Math.sqrt(Math.max(0, s.squaredSum / s.number - m * m));
  return Math.abs(v) < protection ? protection : v;
}

/**
 * davg/dstd of a model's descriptor over frames (positions Å). `slots` may pass precomputed
 * neighbour slots (same order as frames) for this model's rcut/sel.
 */
export function computeEnvStats(model: DpModel, frames: LabeledFrame['frame'][], slots?: SeASlots[]): EnvStats {
  const d = model.descriptor;
  const T = model.ntypes;
  const r: StatItem[] = Array.from({ length: T }, () => ({ number: 0, sum: 0, squaredSum: 0 }));
  const a: StatItem[] = Array.from({ length: T }, () => ({ number: 0, sum: 0, squaredSum: 0 }));
  const e = new Float64Array(4);
  frames.forEach((frame, f) => {
    const types = mapSpeciesToTypes(model, frame.symbols);
    const s = slots?.[f] ?? buildSeASlots(frame, types, model);
    for (let i = 0; i < types.length; i++) {
      const ti = types[i];
      r[ti].number += d.nnei;
      a[ti].number += 3 * d.nnei;
      for (let q = s.offsets[i]; q < s.offsets[i + 1]; q++) {
        envRow(s.vec[3 * q], s.vec[3 * q + 1], s.vec[3 * q + 2], d.rcutSmth, d.rcut, d.envProtection, e);
        r[ti].sum += e[0];
        r[ti].squaredSum += e[0] * e[0];
        a[ti].sum += e[1] + e[2] + e[3];
        a[ti].squaredSum += e[1] * e[1] + e[2] * e[2] + e[3] * e[3];
      }
    }
  });
  const davg = new Float64Array(T * d.nnei * 4);
  const dstd = new Float64Array(T * d.nnei * 4);
  for (let t = 0; t < T; t++) {
    const ravg = statAvg(r[t]), rstd = statStd(r[t]), astd = statStd(a[t]);
    for (let j = 0; j < d.nnei; j++) {
      const b = (t * d.nnei + j) * 4;
      davg[b] = ravg;
      dstd[b] = rstd;
      dstd[b + 1] = astd;
      dstd[b + 2] = astd;
      dstd[b + 3] = astd;
    }
  }
  return { r, a, davg, dstd };
}

/** Symmetric eigen-decomposition by cyclic Jacobi (small matrices). Returns eigenvalues and column eigenvectors. */
function jacobiEigen(A: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  const a = A.slice();
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}

/**
 * Per-type atomic energy bias, eV (length T), by least squares of frame energies (eV) on the
 * per-type atom counts, minimum-norm like numpy.linalg.lstsq(rcond=None).
 */
export function computeEnergyBias(model: Pick<DpModel, 'typeMap' | 'ntypes'>, data: Pick<LabeledFrame, 'frame' | 'energy'>[]): Float64Array {
  const T = model.ntypes;
  const F = data.length;
  if (F === 0) return new Float64Array(T);
  const AtA = new Float64Array(T * T);
  const Atb = new Float64Array(T);
  const counts = new Float64Array(T);
  for (const { frame, energy } of data) {
    counts.fill(0);
    for (const t of mapSpeciesToTypes(model, frame.symbols)) counts[t]++;
    for (let p = 0; p < T; p++) {
      Atb[p] += counts[p] * energy;
      for (let q = 0; q < T; q++) AtA[p * T + q] += counts[p] * counts[q];
    }
  }
  const { values, vectors } = jacobiEigen(AtA, T);
  let smax = 0;
  for (const ev of values) smax = Math.max(smax, Math.sqrt(Math.max(ev, 0)));
  const cut = Number.EPSILON * Math.max(F, T) * smax;
  const bias = new Float64Array(T);
  for (let k = 0; k < T; k++) {
    const sk = Math.sqrt(Math.max(values[k], 0));
    if (!(sk > cut)) continue;
    let proj = 0;
    for (let p = 0; p < T; p++) proj += vectors[p * T + k] * Atb[p];
    for (let p = 0; p < T; p++) bias[p] += (vectors[p * T + k] * proj) / values[k];
  }
  return bias;
}

/** Largest number of neighbours of each type within rcut (Å, strict <) over all atoms of the frames. */
export function maxNeighbours(typeMap: string[], rcut: number, frames: LabeledFrame['frame'][]): number[] {
  const T = typeMap.length;
  const max = new Array<number>(T).fill(0);
  const counts = new Int32Array(T);
  for (const frame of frames) {
    const types = mapSpeciesToTypes({ typeMap }, frame.symbols);
    const nl = buildNeighborList(frame, rcut);
    for (let i = 0; i < types.length; i++) {
      counts.fill(0);
      for (let p = nl.offsets[i]; p < nl.offsets[i + 1]; p++) counts[types[nl.neighbors[p]]]++;
      for (let t = 0; t < T; t++) if (counts[t] > max[t]) max[t] = counts[t];
    }
  }
  return max;
}

/**
 * DeePMD's sel "auto[:ratio]" (deepmd/utils/update_sel.py): per type 4·⌈int(max·ratio)/4⌉ with the
 * neighbour maxima of the frames, ratio 1.1 by default. Numeric sel is returned unchanged.
 */
export function resolveAutoSel(arch: DpArchitecture, frames: LabeledFrame['frame'][]): number[] {
  if (Array.isArray(arch.sel)) return [...arch.sel];
  const m = /^auto(?::([0-9.eE+-]+))?$/.exec(arch.sel);
  const ratio = m ? (m[1] !== undefined ? Number(m[1]) : 1.1) : Number.NaN;
  if (!(ratio > 0)) throw new Error(`architecture: sel '${arch.sel}' is not a list of numbers, 'auto' or 'auto:<ratio>'`);
  return maxNeighbours(arch.typeMap, arch.rcut, frames).map((n) => 4 * Math.floor((Math.trunc(n * ratio) + 3) / 4));
}
