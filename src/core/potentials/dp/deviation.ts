/**
 * Model deviation of an ensemble, exactly as `dp model-devi` (deepmd/infer/model_devi.py) and
 * LAMMPS `pair_style deepmd` compute it (docs/dp-se.md §8), and the DP-GEN frame classification.
 *   ε_f,i = ‖std_k F_i^k‖ (population std, ddof 0; Euclidean norm over xyz), eV/Å
 *   max/min/avg_devi_f = max/min/mean_i ε_f,i
 *   devi_e = std_k(E^k / nat), eV/atom
 *   σ_v,c = std_k(W^k_c / nat) (c = 0..8), eV/atom;  max/min_devi_v = max/min_c σ, avg_devi_v = ‖σ‖/3
 * Relative forms (optional): ε_f,i / (‖F̄_i‖ + λ_f); σ_v,c / (‖W̄/nat‖ + λ_v) (python: norm of the 9-vector).
 */

/** The per-frame numbers of `dp model-devi` (names as in model_devi.out). */
export interface DeviationNumbers {
  /** eV/Å (or dimensionless when relative). */
  max_devi_f: number;
  min_devi_f: number;
  avg_devi_f: number;
  /** eV/atom. */
  devi_e: number;
  /** eV/atom (or dimensionless when relative). */
  max_devi_v: number;
  min_devi_v: number;
  avg_devi_v: number;
}

export interface ModelDeviation extends DeviationNumbers {
  /** Per-atom force deviation ε_f,i (length N). */
  atomic_devi_f: Float64Array;
}

export interface DeviationOptions {
  /** Relative force deviation level λ_f (eV/Å): ε_f,i / (‖F̄_i‖ + λ_f). */
  relative?: number;
  /** Relative virial deviation level λ_v (eV/atom): σ_v,c / (‖W̄/nat‖ + λ_v). */
  relativeV?: number;
}

/** Per-model quantities needed for the deviation. */
export interface DeviationInput {
  energy: number;
  forces: ArrayLike<number>;
  virial?: ArrayLike<number>;
}

/** Population standard deviation of values[k] (k over models). */
function std(values: number[]): number {
  const n = values.length;
  let mean = 0;
  for (const v of values) mean += v;
  mean /= n;
  let s = 0;
  for (const v of values) s += (v - mean) * (v - mean);
  return Math.sqrt(s / n);
}

/** Model deviation of one frame from the results of n ≥ 1 models (natoms > 0). */
export function modelDeviation(results: DeviationInput[], opts: DeviationOptions = {}): ModelDeviation {
  const nm = results.length;
  if (nm === 0) throw new Error('model deviation needs at least one model');
  const nat = results[0].forces.length / 3;
  if (nat === 0) throw new Error('model deviation of an empty frame');
  for (const r of results) if (r.forces.length !== 3 * nat) throw new Error('models returned forces of different lengths');
  const atomic = new Float64Array(nat);
  for (let i = 0; i < nat; i++) {
    let sum2 = 0;
    let meanNorm2 = 0;
    for (let c = 0; c < 3; c++) {
      let mean = 0;
      for (const r of results) mean += r.forces[3 * i + c];
      mean /= nm;
      let s = 0;
      for (const r of results) s += (r.forces[3 * i + c] - mean) ** 2;
      sum2 += s / nm;
      meanNorm2 += mean * mean;
    }
    let e = Math.sqrt(sum2);
    if (opts.relative !== undefined) e /= Math.sqrt(meanNorm2) + opts.relative;
    atomic[i] = e;
  }
  let max = -Infinity, min = Infinity, sum = 0;
  for (const e of atomic) {
    max = Math.max(max, e);
    min = Math.min(min, e);
    sum += e;
  }
  const deviE = std(results.map((r) => r.energy / nat));
  const sigma = new Array<number>(9).fill(0);
  let vMeanNorm2 = 0;
  const haveVirial = results.every((r) => r.virial && r.virial.length === 9);
  if (haveVirial) {
    for (let c = 0; c < 9; c++) {
      const vals = results.map((r) => r.virial![c] / nat);
      sigma[c] = std(vals);
      const mean = vals.reduce((a, b) => a + b, 0) / nm;
      vMeanNorm2 += mean * mean;
    }
    if (opts.relativeV !== undefined) {
      const den = Math.sqrt(vMeanNorm2) + opts.relativeV;
      for (let c = 0; c < 9; c++) sigma[c] /= den;
    }
  }
  return {
    max_devi_f: max,
    min_devi_f: min,
    avg_devi_f: sum / nat,
    devi_e: deviE,
    max_devi_v: Math.max(...sigma),
    min_devi_v: Math.min(...sigma),
    avg_devi_v: Math.sqrt(sigma.reduce((a, s) => a + s * s, 0)) / 3,
    atomic_devi_f: atomic,
  };
}

/** DP-GEN's three classes of a frame. */
export type DeviationClass = 'good' | 'decent' | 'poor';

export interface TrustLevels {
  /** Force trust levels, eV/Å: [lo, hi). */
  lo: number;
  hi: number;
  /** Virial trust levels, eV/atom (DP-GEN default 1e10: criterion off). */
  vLo?: number;
  vHi?: number;
}

/**
 * The problem with a pair of force trust levels (eV/Å) for the studio and the worker, or null when
 * they can be used: both finite, 0 < lo < hi (lo = 0 would put every frame above lo and divide the
 * colour scale by zero; lo ≥ hi leaves no decent band).
 */
export function trustLevelError(lo: number, hi: number): string | null {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return `trust levels must be numbers, got lo = ${lo}, hi = ${hi}`;
  if (lo <= 0) return `trust level lo must be > 0 eV/Å, got ${lo}`;
  if (lo >= hi) return `trust levels must satisfy lo < hi, got lo = ${lo} ≥ hi = ${hi}`;
  return null;
}

/**
 * Classify a frame like DP-GEN `_select_by_model_devi_standard` with [lo, hi) semantics:
 * poor ("failed") if max_devi_f ≥ hi or max_devi_v ≥ v_hi; decent ("candidate") if
 * lo ≤ max_devi_f < hi or v_lo ≤ max_devi_v < v_hi; good ("accurate") otherwise.
 */
export function classifyDeviation(d: Pick<ModelDeviation, 'max_devi_f' | 'max_devi_v'>, t: TrustLevels): DeviationClass {
  if (!(t.lo <= t.hi)) throw new Error(`trust levels must satisfy lo ≤ hi, got lo=${t.lo} hi=${t.hi}`);
  const vLo = t.vLo ?? 1e10, vHi = t.vHi ?? 1e10;
  if (d.max_devi_f >= t.hi || d.max_devi_v >= vHi) return 'poor';
  if (d.max_devi_f >= t.lo || d.max_devi_v >= vLo) return 'decent';
  return 'good';
}
