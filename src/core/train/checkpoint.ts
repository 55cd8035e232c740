/**
 * Training checkpoints: the complete state of a run after some optimiser steps (model parameters
 * and statistics, Adam moments and step count, the shuffling generator and the epoch's order, the
 * curve so far) as plain JSON-serialisable data, and the checks that a checkpoint fits the run it
 * is resumed into. Resuming continues bit-identically: every number is a float64 that
 * JSON.stringify/JSON.parse reproduce exactly, and the schedules are functions of the step.
 */
import type { DpModel } from '../potentials/dp/model.ts';
import { serializeDpModel } from '../potentials/dp/serialize.ts';
import { deserializeDpModel } from '../potentials/dp/load.ts';
import { reviveArrays, type RawObject } from '../potentials/dp/format.ts';
import type { RngState } from '../random.ts';
import type { CurvePoint, TrainCheckpoint, TrainSettings } from './types.ts';

/** Running sums of the learning-curve window since its last point. */
export interface CurveWindow {
  loss: number;
  se: number;
  sf: number;
  nf: number;
  /** Σ over virial-labeled frames of mean_kc ΔW²/N², and their count. */
  sv: number;
  nv: number;
  frames: number;
  steps: number;
}

export const emptyWindow = (): CurveWindow => ({ loss: 0, se: 0, sf: 0, nf: 0, sv: 0, nv: 0, frames: 0, steps: 0 });

/** The resolved settings that determine the parameters (not the curve cadence), JSON-safe. */
export function parameterSettings(s: Required<TrainSettings>): Record<string, unknown> {
  return {
    arch: s.arch, numSteps: s.numSteps, batchSize: s.batchSize, startLr: s.startLr, stopLr: s.stopLr, decaySteps: s.decaySteps,
    startPrefE: s.startPrefE, limitPrefE: s.limitPrefE, startPrefF: s.startPrefF, limitPrefF: s.limitPrefF,
    startPrefV: s.startPrefV, limitPrefV: s.limitPrefV,
    validationFraction: s.validationFraction, splitSeed: s.splitSeed,
    statFrames: Number.isFinite(s.statFrames) ? s.statFrames : null,
    adamBeta1: s.adamBeta1, adamBeta2: s.adamBeta2, adamEps: s.adamEps,
  };
}

/** The curve point with the lowest validation force RMSE (training force RMSE when there is no validation). */
export function bestPoint(curve: CurvePoint[]): CurvePoint | null {
  let best: CurvePoint | null = null;
  const key = (p: CurvePoint): number => p.valRmseF ?? p.rmseF;
  for (const p of curve) if (best === null || key(p) < key(best)) best = p;
  return best;
}

/** Everything a checkpoint holds, as live values of the trainer. */
export interface RunState {
  seed: number;
  step: number;
  numSteps: number;
  frames: number;
  settings: Record<string, unknown>;
  model: DpModel;
  adam: { t: number; m: Float64Array; v: Float64Array };
  rng: RngState;
  order: number[];
  cursor: number;
  schedule: { lr: number; prefE: number; prefF: number; prefV: number };
  curve: CurvePoint[];
  window: CurveWindow;
  seconds: number;
}

/** A plain-data checkpoint of the run state (arrays copied). */
export function makeCheckpoint(r: RunState): TrainCheckpoint {
  return {
    kind: 'nanostudio-train-checkpoint',
    version: 1,
    seed: r.seed,
    step: r.step,
    numSteps: r.numSteps,
    frames: r.frames,
    settings: r.settings,
    model: serializeDpModel(r.model),
    adam: { t: r.adam.t, m: Array.from(r.adam.m), v: Array.from(r.adam.v) },
    shuffle: { rng: { s: [...r.rng.s], spare: r.rng.spare }, order: [...r.order], cursor: r.cursor },
    schedule: { ...r.schedule },
    curve: r.curve.map((p) => ({ ...p })),
    window: { ...r.window },
    best: bestPoint(r.curve),
    seconds: r.seconds,
  };
}

const canonical = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) =>
  x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x);

/**
 * Check that `cp` belongs to a run with this seed, data size and settings; throws an Error naming
 * the first mismatch. Returns the checkpoint's model (parameters and statistics).
 */
export function checkpointModel(cp: TrainCheckpoint, run: { seed: number; frames: number; settings: Record<string, unknown>; parameters: (m: DpModel) => number }): DpModel {
  if (cp === null || typeof cp !== 'object' || cp.kind !== 'nanostudio-train-checkpoint') throw new Error('resume: not a training checkpoint (kind is not nanostudio-train-checkpoint)');
  if (cp.version !== 1) throw new Error(`resume: checkpoint version ${String(cp.version)} is not supported (expected 1)`);
  if (cp.seed !== run.seed) throw new Error(`resume: the checkpoint is of seed ${cp.seed}, the run has seed ${run.seed}`);
  if (cp.frames !== run.frames) throw new Error(`resume: the checkpoint was trained on ${cp.frames} frames, the run has ${run.frames}`);
  for (const k of Object.keys({ ...run.settings, ...cp.settings })) {
    if (canonical(cp.settings[k]) !== canonical(run.settings[k])) {
      throw new Error(`resume: setting '${k}' differs (checkpoint ${canonical(cp.settings[k])}, run ${canonical(run.settings[k])})`);
    }
  }
  if (!Number.isInteger(cp.step) || cp.step < 0 || cp.step > cp.numSteps) throw new Error(`resume: checkpoint step ${cp.step} is outside 0..${cp.numSteps}`);
  const model = deserializeDpModel(reviveArrays(cp.model) as RawObject, { onWarning: () => {} });
  const n = run.parameters(model);
  if (cp.adam.m.length !== n || cp.adam.v.length !== n) throw new Error(`resume: Adam moments have ${cp.adam.m.length}/${cp.adam.v.length} entries, the model has ${n} parameters`);
  if (!Number.isInteger(cp.shuffle.cursor) || cp.shuffle.cursor < 0 || cp.shuffle.cursor > cp.shuffle.order.length) throw new Error(`resume: shuffle cursor ${cp.shuffle.cursor} is outside the epoch's order`);
  return model;
}
