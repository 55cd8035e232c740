/**
 * Parity data of a model against labels (the paper's Fig. 4): energy per atom and every force
 * component, predicted vs reference, with RMSE/MSE/MUE over all of them. For display the force
 * points may be thinned to a deterministic stride (the metrics always use every component).
 * Units: eV/atom for energies, eV/Å for forces.
 */
import type { Frame } from '../atoms.ts';
import type { Calculator } from '../potentials/calculator.ts';
import { errorMetrics, type ErrorMetrics } from './errors.ts';

/** A frame with its reference energy (eV) and forces (eV/Å, 3N). */
export interface LabeledStructure {
  frame: Frame;
  energy: number;
  forces: ArrayLike<number>;
}

export interface ParityData {
  /** Per frame: predicted and reference energy per atom, eV/atom. */
  energyPerAtom: { pred: Float64Array; ref: Float64Array };
  /** Force components shown (every `forceStride`-th), with the frame and atom they belong to. */
  force: { pred: Float64Array; ref: Float64Array; frame: Int32Array; atom: Int32Array; stride: number };
  metrics: { energyPerAtom: ErrorMetrics; force: ErrorMetrics };
  /** Per frame: the force error sums (Σd, Σd², Σ|d|, max |d|, count over components), eV/Å, to aggregate any subset. */
  perFrameForce: { sum: Float64Array; sumSq: Float64Array; sumAbs: Float64Array; maxAbs: Float64Array; n: Int32Array };
}

/** Error metrics of the force components of a subset of frames, from `perFrameForce`. */
export function forceMetricsOf(p: ParityData, frames: number[]): ErrorMetrics {
  let s = 0, s2 = 0, sa = 0, mx = 0, n = 0;
  for (const k of frames) {
    const f = p.perFrameForce;
    s += f.sum[k]; s2 += f.sumSq[k]; sa += f.sumAbs[k]; mx = Math.max(mx, f.maxAbs[k]); n += f.n[k];
  }
  if (n === 0) throw new Error('no force components in the chosen frames');
  return { rmse: Math.sqrt(s2 / n), mse: s / n, mue: sa / n, maxAbs: mx, n };
}

export interface ParityOptions {
  /** At most this many force points returned for plotting (default 20 000). */
  maxForcePoints?: number;
  onProgress?: (fraction: number) => void;
}

/** Evaluate `calc` on every labeled frame and pair its predictions with the labels. */
export function parityData(calc: Calculator, frames: LabeledStructure[], opts: ParityOptions = {}): ParityData {
  if (frames.length === 0) throw new Error('parity: no labeled frames');
  const ePred = new Float64Array(frames.length), eRef = new Float64Array(frames.length);
  let ncomp = 0;
  frames.forEach((f, k) => {
    const n3 = f.frame.positions.length;
    if (f.forces.length !== n3) throw new Error(`parity: frame ${k} has ${f.forces.length} force components for ${n3 / 3} atoms`);
    ncomp += n3;
  });
  const fPredAll = new Float64Array(ncomp), fRefAll = new Float64Array(ncomp);
  const fFrame = new Int32Array(ncomp), fAtom = new Int32Array(ncomp);
  let o = 0;
  const per = { sum: new Float64Array(frames.length), sumSq: new Float64Array(frames.length), sumAbs: new Float64Array(frames.length), maxAbs: new Float64Array(frames.length), n: new Int32Array(frames.length) };
  frames.forEach((f, k) => {
    const nat = f.frame.symbols.length;
    const r = calc.compute(f.frame);
    ePred[k] = r.energy / nat;
    eRef[k] = f.energy / nat;
    for (let c = 0; c < 3 * nat; c++, o++) {
      fPredAll[o] = r.forces[c];
      fRefAll[o] = f.forces[c];
      fFrame[o] = k;
      fAtom[o] = Math.floor(c / 3);
      const d = r.forces[c] - f.forces[c];
      per.sum[k] += d; per.sumSq[k] += d * d; per.sumAbs[k] += Math.abs(d); per.maxAbs[k] = Math.max(per.maxAbs[k], Math.abs(d));
    }
    per.n[k] = 3 * nat;
    opts.onProgress?.((k + 1) / frames.length);
  });
  const stride = Math.max(1, Math.ceil(ncomp / (opts.maxForcePoints ?? 20000)));
  const pick = <T extends Float64Array | Int32Array>(a: T): T => (stride === 1 ? a : (a.filter((_, i) => i % stride === 0) as T));
  return {
    energyPerAtom: { pred: ePred, ref: eRef },
    force: { pred: pick(fPredAll), ref: pick(fRefAll), frame: pick(fFrame), atom: pick(fAtom), stride },
    metrics: { energyPerAtom: errorMetrics(ePred, eRef), force: errorMetrics(fPredAll, fRefAll) },
    perFrameForce: per,
  };
}
