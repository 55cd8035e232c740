/**
 * Built-in DP-SE trainer (float64): one model from labeled frames.
 *   1. sel from the data (DeePMD's auto sel), a fresh model (init-model.ts) with the seed;
 *   2. environment statistics davg/dstd and the energy bias out_bias as DeePMD-kit computes them;
 *   3. Adam on DeePMD's loss  L = pref_e(lr) · ((E − E_ref) / N)² + pref_f(lr) · |F − F_ref|² / 3N
 *      (one frame per step), exponentially decaying learning rate, prefactor schedules.
 * The force term's weight gradient (a second derivative of E) is the exact reverse-mode energy
 * gradient taken at x ± hΔF (central difference along the force error, force-loss.ts).
 */
import type { DpModel } from '../../core/potentials/dp/model.ts';
import { DpCalculator } from '../../core/potentials/dp/evaluator.ts';
import { Rng } from '../../core/random.ts';
import type { LabeledFrame } from '../export/labeled-frame.ts';
import { initialModel, type DpSeArchitecture } from './init-model.ts';
import { autoSel, makeSamples, maxNeighbours, type Sample } from './samples.ts';
import { energyBias, setEnvStats } from './stats.ts';
import { DpSeEnergyModel } from './energy-model.ts';
import { Adam, learningRate, prefactor } from './schedule.ts';
import { accumulateForceLoss } from './force-loss.ts';

export interface TrainOptions {
  arch: Omit<DpSeArchitecture, 'sel'> & { sel?: number[] };
  steps: number;
  seed: number;
  startLr: number;
  stopLr: number;
  decaySteps: number;
  startPrefE: number;
  limitPrefE: number;
  /** Force prefactors (0 and 0: energy-only training). */
  startPrefF: number;
  limitPrefF: number;
  /** Rows of the learning curve recorded (evenly spaced). */
  curvePoints?: number;
  /** Called at every learning-curve point; return true to stop (cancellation). */
  onProgress?: (row: CurveRow) => boolean | void;
}

export interface CurveRow {
  step: number;
  lr: number;
  /** Mean loss over the steps since the previous row. */
  loss: number;
  /** Energy RMSE, eV/atom. */
  rmseETrain: number;
  rmseEVal: number | null;
}

export interface TrainResult {
  model: DpModel;
  curve: CurveRow[];
  metrics: Record<string, number>;
  stopped: boolean;
}

/** Energy RMSE per atom (eV/atom) of a model over samples. */
export function rmseEnergyPerAtom(m: DpSeEnergyModel, samples: Sample[]): number {
  if (samples.length === 0) return NaN;
  let s = 0;
  for (const x of samples) s += ((m.energy(x) - x.energy) / x.natoms) ** 2;
  return Math.sqrt(s / samples.length);
}

/** Force RMSE (eV/Å, over all components) of a model over frames, with the DP evaluator. */
export function rmseForces(model: DpModel, frames: LabeledFrame[]): number {
  if (frames.length === 0) return NaN;
  const calc = new DpCalculator(model);
  let s = 0, n = 0;
  for (const f of frames) {
    const r = calc.compute(f.frame);
    for (let k = 0; k < r.forces.length; k++) { s += (r.forces[k] - f.forces[k]) ** 2; n++; }
  }
  return Math.sqrt(s / n);
}

/** Train one model on `train`, measuring on `validation`. */
export function trainModel(train: LabeledFrame[], validation: LabeledFrame[], o: TrainOptions): TrainResult {
  if (train.length === 0) throw new Error('no labeled frames to train on');
  const typeMap = o.arch.typeMap;
  const probe = initialModel({ ...o.arch, sel: typeMap.map(() => 4) }, o.seed);
  const sel = o.arch.sel ?? autoSel(maxNeighbours([...train, ...validation], probe));
  const model = initialModel({ ...o.arch, sel }, o.seed);
  const trainS = makeSamples(train, model);
  const valS = makeSamples(validation, model);
  setEnvStats(model, trainS);
  model.outBias.set(energyBias(trainS, model.ntypes));
  const em = new DpSeEnergyModel(model);
  const initial = { rmseEnergyPerAtomTrainInitial: rmseEnergyPerAtom(em, trainS), rmseForceTrainInitial: rmseForces(model, train) };
  const params = em.params();
  const adam = new Adam(params);
  const rng = new Rng(o.seed * 7919 + 1);
  const sched = { startLr: o.startLr, stopLr: o.stopLr, decaySteps: o.decaySteps, numSteps: o.steps };
  const every = Math.max(1, Math.floor(o.steps / (o.curvePoints ?? 20)));
  const curve: CurveRow[] = [];
  let lossSum = 0, lossN = 0, stopped = false;
  for (let step = 0; step < o.steps; step++) {
    const lr = learningRate(sched, step);
    const pe = prefactor(o.startPrefE, o.limitPrefE, lr, o.startLr);
    const pf = prefactor(o.startPrefF, o.limitPrefF, lr, o.startLr);
    const s = trainS[rng.int(trainS.length)];
    em.zeroGrad();
    let loss = 0;
    if (pf > 0) loss += accumulateForceLoss(em, s, pf).loss; // before the energy term: uses the same weights
    const e = em.energy(s);
    const diff = (e - s.energy) / s.natoms;
    loss += pe * diff * diff;
    em.backward(s, (2 * pe * diff) / s.natoms);
    lossSum += loss;
    lossN++;
    adam.step(lr);
    if ((step + 1) % every === 0 || step === o.steps - 1) {
      const row: CurveRow = { step: step + 1, lr, loss: lossSum / lossN, rmseETrain: rmseEnergyPerAtom(em, trainS), rmseEVal: valS.length ? rmseEnergyPerAtom(em, valS) : null };
      curve.push(row);
      lossSum = 0;
      lossN = 0;
      if (o.onProgress?.(row) === true) { stopped = true; break; }
    }
  }
  const last = curve[curve.length - 1];
  const metrics: Record<string, number> = {
    ...initial,
    steps: last?.step ?? 0,
    trainFrames: train.length,
    validationFrames: validation.length,
    rmseEnergyPerAtomTrain: rmseEnergyPerAtom(em, trainS),
    rmseForceTrain: rmseForces(model, train),
  };
  if (validation.length) {
    metrics.rmseEnergyPerAtomValidation = rmseEnergyPerAtom(em, valS);
    metrics.rmseForceValidation = rmseForces(model, validation);
  }
  return { model, curve, metrics, stopped };
}
