/**
 * Train an ensemble for the service and the CLI: the backend's validated settings are mapped
 * onto the built-in DP-SE trainer of src/core/train (exact energy + force-loss gradients, Adam,
 * DeePMD schedules), one worker thread per model (seeds seed, seed+1, …), and every trained
 * model is returned as DeePMD-kit v3 `.dp` bytes with its learning curve and metrics.
 * Units: energies eV (RMSE eV/atom), forces eV/Å.
 */
import { availableParallelism } from 'node:os';
import type { LabeledFrameRecord } from '../export/labeled-frame.ts';
import type { TrainJobSettings } from '../schemas.ts';
import { trainEnsembleInThreads } from '../../node/train/ensemble-threads.ts';
import type { TrainCheckpoint, TrainResult, TrainSettings } from '../../core/train/types.ts';
import { encodeDpModelH5 } from '../../core/potentials/dp/write.ts';
import { measureTrainSpeed, type SpeedMeasurement } from '../../core/train/speed.ts';

/** One learning-curve row as stored with a model. */
export interface CurveRow {
  step: number;
  lr: number;
  /** Mean loss over the steps since the previous row. */
  loss: number;
  /** Energy RMSE on the training frames since the previous row, eV/atom. */
  rmseETrain: number;
  /** Force RMSE on the training frames since the previous row, eV/Å. */
  rmseFTrain: number;
  /** Validation energy RMSE, eV/atom (null without validation frames). */
  rmseEVal: number | null;
}

export interface TrainedModel {
  seed: number;
  dp: Uint8Array;
  curve: CurveRow[];
  metrics: Record<string, number>;
}

export interface EnsembleRun {
  promise: Promise<TrainedModel[]>;
  cancel(): void;
}

/** The core trainer's settings for the backend's (validated) settings and the data's elements. */
export function coreTrainSettings(s: TrainJobSettings, typeMap: string[]): TrainSettings {
  return {
    arch: { typeMap, rcut: s.rcut, rcutSmth: s.rcutSmth, sel: s.sel ?? 'auto', embedding: s.embedding, axisNeuron: s.axisNeuron, fitting: s.fitting },
    numSteps: s.steps,
    startLr: s.startLr,
    stopLr: s.stopLr,
    decaySteps: s.decaySteps,
    startPrefE: s.startPrefE,
    limitPrefE: s.limitPrefE,
    startPrefF: s.startPrefF,
    limitPrefF: s.limitPrefF,
    startPrefV: s.startPrefV,
    limitPrefV: s.limitPrefV,
    validationFraction: s.validationFraction,
    splitSeed: s.seed, // one split for every member: only weights and shuffling differ
    progressEvery: Math.max(1, Math.floor(s.steps / 50)), // ~50 points per learning curve
  };
}

function metrics(r: TrainResult): Record<string, number> {
  const m: Record<string, number> = {
    rmseEnergyPerAtomTrain: r.train.rmseE,
    rmseForceTrain: r.train.rmseF,
    trainFrames: r.train.frames,
    seconds: r.seconds,
    stepsPerSecond: r.stepsPerSecond,
  };
  if (r.train.rmseV !== undefined) {
    m.rmseVirialPerAtomTrain = r.train.rmseV;
    m.virialFramesTrain = r.train.virialFrames ?? 0;
  }
  if (r.validation.rmseV !== undefined) m.rmseVirialPerAtomValidation = r.validation.rmseV;
  if (r.validation.frames > 0) {
    m.rmseEnergyPerAtomValidation = r.validation.rmseE;
    m.rmseForceValidation = r.validation.rmseF;
    m.validationFrames = r.validation.frames;
  }
  return m;
}

/** Elements of the data (the type map of the trained models), sorted. */
export function dataTypeMap(frames: LabeledFrameRecord[]): string[] {
  return [...new Set(frames.flatMap((f) => f.frame.symbols))].sort();
}

/**
 * Estimated wall time of an ensemble run from a short measurement (a few steps in this thread):
 * ⌈models / threads⌉ rounds of `steps` steps at the measured speed (threads = min(models, parallel);
 * assumes one core per thread). Seconds.
 */
export function estimateEnsembleTime(frames: LabeledFrameRecord[], settings: TrainJobSettings, parallel = Math.max(1, availableParallelism()), budgetSeconds = 2): SpeedMeasurement & { threads: number; estimatedSeconds: number } {
  const m = measureTrainSpeed(frames, coreTrainSettings(settings, dataTypeMap(frames)), { budgetSeconds, seed: settings.seed });
  const threads = Math.max(1, Math.min(settings.models, parallel));
  return { ...m, threads, estimatedSeconds: (Math.ceil(settings.models / threads) * settings.steps) / m.stepsPerSecond };
}

/** Checkpointing of an ensemble run (see TrainCheckpoint in src/core/train/types.ts). */
export interface EnsembleCheckpointing {
  /** Continue the members whose seed has a checkpoint here (others start from scratch). */
  resume?: TrainCheckpoint[];
  /** A checkpoint of each member every this many steps and/or seconds. */
  checkpointEvery?: number;
  checkpointSeconds?: number;
  /** Receives every checkpoint with its member index (0 … models−1); cp.seed = settings.seed + index. */
  onCheckpoint?: (index: number, cp: TrainCheckpoint) => void;
  /** Train only these members (indices 0 … models−1, e.g. one member per Slurm task); default all. */
  members?: number[];
}

/** Start training `settings.models` models; `onCurve` sees every learning-curve row. */
export function startEnsembleTraining(frames: LabeledFrameRecord[], settings: TrainJobSettings, onCurve: (index: number, row: CurveRow) => void,
  parallel = Math.max(1, availableParallelism()), onModelDone: (index: number) => void = () => {}, checkpointing: EnsembleCheckpointing = {}): EnsembleRun {
  const typeMap = dataTypeMap(frames);
  const seeds = (checkpointing.members ?? Array.from({ length: settings.models }, (_, k) => k)).map((k) => settings.seed + k);
  const abort = new AbortController();
  const data = frames.map((f) => ({ frame: f.frame, energy: f.energy, forces: f.forces, virial: f.virial }));
  const promise = trainEnsembleInThreads(data, coreTrainSettings(settings, typeMap), {
    seeds,
    threads: parallel,
    signal: abort.signal,
    resume: checkpointing.resume,
    checkpointEvery: checkpointing.checkpointEvery,
    checkpointSeconds: checkpointing.checkpointSeconds,
    ...(checkpointing.onCheckpoint ? { onCheckpoint: (cp: TrainCheckpoint) => checkpointing.onCheckpoint?.(cp.seed - settings.seed, cp) } : {}),
    onProgress: (p) => {
      const k = p.seed - settings.seed;
      onCurve(k, { step: p.step, lr: p.lr, loss: p.loss, rmseETrain: p.rmseE_per_atom, rmseFTrain: p.rmseF, rmseEVal: p.valRmseE_per_atom ?? null });
      if (p.step >= p.numSteps) onModelDone(k);
    },
  }).then((results) =>
    Promise.all(results.map(async (r) => ({
      seed: r.seed,
      dp: await encodeDpModelH5(r.model),
      curve: r.curve.map((c) => ({ step: c.step, lr: c.lr, loss: c.loss, rmseETrain: c.rmseE_per_atom, rmseFTrain: c.rmseF, rmseEVal: c.valRmseE_per_atom ?? null })),
      metrics: metrics(r),
    }))),
  );
  return { promise, cancel: () => abort.abort(new Error('cancelled')) };
}
