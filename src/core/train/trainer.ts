/**
 * trainModel / trainEnsemble: DeePMD-style training of a DP-SE model on labeled frames, in pure
 * TypeScript (float64; browser, Node main thread or worker thread).
 *
 * Steps: seeded train/validation split → model initialised from the seed → davg/dstd and the
 * per-type energy bias (out_bias) from the training frames (stats.ts) → numSteps Adam steps on
 * batches of `batchSize` frames drawn by seeded shuffling (a new permutation each epoch), with
 * DeePMD's exponential learning rate and prefactor schedules (schedule.ts) and its `ener` loss
 * (engine.ts: exact gradient) → final RMSEs on the training and validation frames.
 * Energies eV (RMSE reported per atom, eV/atom), forces eV/Å.
 */
import { Rng } from '../random.ts';
import type { DpModel } from '../potentials/dp/model.ts';
import { initDpModel } from './init.ts';
import { computeEnergyBias, computeEnvStats, resolveAutoSel } from './stats.ts';
import { Adam, lrAt, makeLrSchedule, prefactor } from './schedule.ts';
import { DpTrainEngine, type PreparedFrame } from './engine.ts';
import { checkpointModel, emptyWindow, makeCheckpoint, parameterSettings, type CurveWindow } from './checkpoint.ts';
import type { CurvePoint, LabeledFrame, RmseSummary, TrainOptions, TrainResult, TrainSettings } from './types.ts';

/** Settings with every default filled in. */
export type ResolvedSettings = Required<TrainSettings>;

/** Fill in the defaults of TrainSettings (and validate them). */
export function resolveSettings(s: TrainSettings): ResolvedSettings {
  const r: ResolvedSettings = {
    arch: s.arch,
    numSteps: s.numSteps,
    batchSize: s.batchSize ?? 1,
    startLr: s.startLr ?? 1e-3,
    stopLr: s.stopLr ?? 3.5e-8,
    decaySteps: s.decaySteps ?? 2000,
    startPrefE: s.startPrefE ?? 0.02,
    limitPrefE: s.limitPrefE ?? 1,
    startPrefF: s.startPrefF ?? 1000,
    limitPrefF: s.limitPrefF ?? 1,
    startPrefV: s.startPrefV ?? 0,
    limitPrefV: s.limitPrefV ?? 0,
    validationFraction: s.validationFraction ?? 0.1,
    splitSeed: s.splitSeed ?? 0,
    progressEvery: s.progressEvery ?? 100,
    curveValidationFrames: s.curveValidationFrames ?? 8,
    statFrames: s.statFrames ?? Number.POSITIVE_INFINITY,
    adamBeta1: s.adamBeta1 ?? 0.9,
    adamBeta2: s.adamBeta2 ?? 0.999,
    adamEps: s.adamEps ?? 1e-8,
  };
  if (!Number.isInteger(r.numSteps) || r.numSteps < 1) throw new Error(`numSteps must be a positive integer, got ${r.numSteps}`);
  if (!Number.isInteger(r.batchSize) || r.batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${r.batchSize}`);
  if (!(r.validationFraction >= 0 && r.validationFraction < 1)) throw new Error(`validationFraction must be in [0, 1), got ${r.validationFraction}`);
  for (const k of ['startPrefE', 'limitPrefE', 'startPrefF', 'limitPrefF', 'startPrefV', 'limitPrefV'] as const) {
    if (!(r[k] >= 0)) throw new Error(`${k} must be a number ≥ 0, got ${r[k]}`);
  }
  if (!Number.isInteger(r.progressEvery) || r.progressEvery < 1) throw new Error(`progressEvery must be a positive integer, got ${r.progressEvery}`);
  return r;
}

/** Seeded split: indices of validation and training frames (validation ≥ 1 frame when n ≥ 2 and fraction > 0). */
export function splitIndices(n: number, fraction: number, seed: number): { train: number[]; validation: number[] } {
  const idx = shuffled(n, new Rng(seed ^ 0x5bd1e995));
  let nVal = Math.round(n * fraction);
  if (fraction > 0 && n >= 2) nVal = Math.max(1, nVal);
  nVal = Math.min(nVal, n - 1);
  const validation = idx.slice(0, Math.max(0, nVal)).sort((a, b) => a - b);
  const train = idx.slice(Math.max(0, nVal)).sort((a, b) => a - b);
  return { train, validation };
}

function shuffled(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** RMSE of the engine's current model on prepared frames (eV/atom, eV/Å). */
export function engineRmse(eng: DpTrainEngine, frames: PreparedFrame[]): RmseSummary {
  if (frames.length === 0) return { rmseE: Number.NaN, rmseF: Number.NaN, frames: 0 };
  let se = 0, sf = 0, nf = 0, sv = 0, nv = 0;
  for (const pf of frames) {
    const { energy, forces, virial } = eng.forward(pf, true);
    se += ((energy - pf.energy) / pf.natoms) ** 2;
    for (let c = 0; c < forces.length; c++) sf += (forces[c] - pf.forces[c]) ** 2;
    nf += forces.length;
    if (pf.virial) {
      let s2 = 0;
      for (let c = 0; c < 9; c++) s2 += (virial[c] - pf.virial[c]) ** 2;
      sv += s2 / 9 / pf.natoms ** 2;
      nv++;
    }
  }
  const r: RmseSummary = { rmseE: Math.sqrt(se / frames.length), rmseF: Math.sqrt(sf / nf), frames: frames.length };
  if (nv > 0) {
    r.rmseV = Math.sqrt(sv / nv);
    r.virialFrames = nv;
  }
  return r;
}

/** RMSE of a model on labeled frames: energies eV/atom, forces eV/Å. */
export function modelRmse(model: DpModel, data: LabeledFrame[]): RmseSummary {
  const eng = new DpTrainEngine(model, { onWarning: () => {} });
  return engineRmse(eng, data.map((d) => eng.prepare(d)));
}

/**
 * An initial model for the data: random weights from `seed`, davg/dstd and out_bias from the
 * given (training) frames as DeePMD computes them.
 */
export function initModelWithStats(arch: TrainSettings['arch'], data: LabeledFrame[], seed: number): DpModel {
  const model = initDpModel({ ...arch, sel: resolveAutoSel(arch, data.map((d) => d.frame)) }, seed);
  const stats = computeEnvStats(model, data.map((d) => d.frame));
  model.descriptor.davg = stats.davg;
  model.descriptor.dstd = stats.dstd;
  model.outBias = computeEnergyBias(model, data);
  return model;
}

const nowMs = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Train one model. Resolves with the trained model, the learning curve and final RMSEs; rejects
 * with the signal's reason when cancelled. Energies eV (RMSE eV/atom), forces eV/Å.
 */
export async function trainModel(data: LabeledFrame[], settings: TrainSettings, opts: TrainOptions): Promise<TrainResult> {
  const s = resolveSettings(settings);
  const { seed, onProgress, signal, resume } = opts;
  const warn = opts.onWarning ?? ((m: string) => console.warn(`warning: ${m}`));
  const yieldEvery = opts.yieldEveryMs ?? 50;
  if (data.length === 0) throw new Error('trainModel: no training frames');
  const cpEvery = opts.checkpointEvery ?? Number.POSITIVE_INFINITY;
  const cpSeconds = opts.checkpointSeconds ?? Number.POSITIVE_INFINITY;
  if (!(cpEvery >= 1)) throw new Error(`checkpointEvery must be ≥ 1 step, got ${cpEvery}`);
  if (!(cpSeconds > 0)) throw new Error(`checkpointSeconds must be > 0, got ${cpSeconds}`);
  signal?.throwIfAborted();
  const t0 = nowMs();
  const settingsKey = parameterSettings(s);

  const split = splitIndices(data.length, s.validationFraction, s.splitSeed);
  const trainData = split.train.map((i) => data[i]);
  const valData = split.validation.map((i) => data[i]);
  let model: DpModel;
  if (resume) {
    model = checkpointModel(resume, { seed, frames: data.length, settings: settingsKey, parameters: (m) => new DpTrainEngine(m, { onWarning: () => {} }).size });
  } else if (opts.initModel) {
    model = opts.initModel;
  } else {
    const statData = Number.isFinite(s.statFrames) ? trainData.slice(0, Math.max(1, s.statFrames)) : trainData;
    // sel "auto": neighbour maxima over all training frames (DeePMD's neighbour statistics).
    const arch = { ...s.arch, sel: resolveAutoSel(s.arch, trainData.map((d) => d.frame)) };
    model = initModelWithStats(arch, statData, seed);
  }
  const eng = new DpTrainEngine(model, { onWarning: warn });
  const train = trainData.map((d) => eng.prepare(d));
  const val = valData.map((d) => eng.prepare(d));
  const curveVal = val.slice(0, s.curveValidationFrames);

  const lr = makeLrSchedule(s.startLr, s.stopLr, s.decaySteps, s.numSteps);
  const adam = new Adam(eng.size, s.adamBeta1, s.adamBeta2, s.adamEps);
  const useE = s.startPrefE !== 0 && s.limitPrefE !== 0; // DeePMD's has_e
  const useF = s.startPrefF !== 0 && s.limitPrefF !== 0; // DeePMD's has_f
  const useV = s.startPrefV !== 0 && s.limitPrefV !== 0; // DeePMD's has_v
  const prefs = (step: number): { lr: number; prefE: number; prefF: number; prefV: number } => {
    const lrT = lrAt(lr, step);
    return {
      lr: lrT,
      prefE: useE ? prefactor(s.startPrefE, s.limitPrefE, lrT, s.startLr) : 0,
      prefF: useF ? prefactor(s.startPrefF, s.limitPrefF, lrT, s.startLr) : 0,
      prefV: useV ? prefactor(s.startPrefV, s.limitPrefV, lrT, s.startLr) : 0,
    };
  };
  let rng: Rng;
  let order: number[];
  let cursor: number;
  let curve: CurvePoint[];
  let win: CurveWindow;
  let first = 0;
  let secondsBefore = 0;
  if (resume) {
    adam.t = resume.adam.t;
    adam.m.set(resume.adam.m);
    adam.v.set(resume.adam.v);
    rng = Rng.restore(resume.shuffle.rng);
    order = [...resume.shuffle.order];
    cursor = resume.shuffle.cursor;
    curve = resume.curve.map((p) => ({ ...p }));
    win = { ...resume.window };
    first = resume.step;
    secondsBefore = resume.seconds;
  } else {
    rng = new Rng(seed ^ 0x2545f491);
    order = shuffled(train.length, rng);
    cursor = 0;
    curve = [];
    win = emptyWindow();
  }
  const elapsed = (): number => secondsBefore + (nowMs() - t0) / 1000;
  let lastYield = nowMs();
  let lastCheckpoint = nowMs();

  for (let step = first; step < s.numSteps; step++) {
    const { lr: lrT, prefE, prefF, prefV } = prefs(step);
    eng.grad.fill(0);
    let stepLoss = 0;
    for (let b = 0; b < s.batchSize; b++) {
      if (cursor >= order.length) {
        order = shuffled(train.length, rng);
        cursor = 0;
      }
      const pf = train[order[cursor++]];
      const fl = eng.lossAndGradient(pf, prefE, prefF, 1 / s.batchSize, prefV);
      stepLoss += fl.loss / s.batchSize;
      if (fl.sumSqV !== null) {
        win.sv += fl.sumSqV / 9 / fl.natoms ** 2;
        win.nv++;
      }
      win.se += (fl.dE / fl.natoms) ** 2;
      win.sf += fl.sumSqF;
      win.nf += 3 * fl.natoms;
      win.frames++;
    }
    adam.step(eng.theta, eng.grad, lrT);
    win.loss += stepLoss;
    win.steps++;
    if (!Number.isFinite(stepLoss)) throw new Error(`training diverged at step ${step} (loss ${stepLoss})`);

    const last = step === s.numSteps - 1;
    if ((step + 1) % s.progressEvery === 0 || last) {
      const point: CurvePoint = {
        step: step + 1, lr: lrT, loss: win.loss / win.steps,
        rmseE_per_atom: Math.sqrt(win.se / win.frames), rmseF: Math.sqrt(win.sf / win.nf),
      };
      if (win.nv > 0) point.rmseV_per_atom = Math.sqrt(win.sv / win.nv);
      if (curveVal.length > 0) {
        const v = engineRmse(eng, curveVal);
        point.valRmseE_per_atom = v.rmseE;
        point.valRmseF = v.rmseF;
        if (v.rmseV !== undefined) point.valRmseV_per_atom = v.rmseV;
      }
      curve.push(point);
      win = emptyWindow();
      onProgress?.({ ...point, numSteps: s.numSteps, seed, seconds: elapsed() });
    }
    if (opts.onCheckpoint && ((step + 1) % cpEvery === 0 || nowMs() - lastCheckpoint >= 1000 * cpSeconds)) {
      await opts.onCheckpoint(makeCheckpoint({
        seed, step: step + 1, numSteps: s.numSteps, frames: data.length, settings: settingsKey, model: eng.toModel(),
        adam: { t: adam.t, m: adam.m, v: adam.v }, rng: rng.state(), order, cursor, schedule: prefs(step + 1),
        curve, window: win, seconds: elapsed(),
      }));
      lastCheckpoint = nowMs();
    }
    if (nowMs() - lastYield >= yieldEvery) {
      await new Promise<void>((r) => setTimeout(r, 0));
      lastYield = nowMs();
    }
    signal?.throwIfAborted();
  }

  const seconds = elapsed();
  const result: TrainResult = {
    model: eng.toModel(),
    curve,
    train: engineRmse(eng, train),
    validation: engineRmse(eng, val),
    seed,
    seconds,
    stepsPerSecond: s.numSteps / seconds,
    validationIndices: split.validation,
  };
  return result;
}

/**
 * Train one model per seed (the paper's 4-model ensemble: identical except the seeds),
 * one after another in this thread. For parallel threads in Node use trainEnsembleInThreads
 * (src/node/train/ensemble-threads.ts). Same units as trainModel.
 */
export async function trainEnsemble(
  data: LabeledFrame[],
  settings: TrainSettings,
  seeds: number[] = [1, 2, 3, 4],
  opts: Omit<TrainOptions, 'seed'> = {},
): Promise<TrainResult[]> {
  const out: TrainResult[] = [];
  for (const seed of seeds) out.push(await trainModel(data, settings, { ...opts, seed }));
  return out;
}
