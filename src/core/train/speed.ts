/**
 * Training speed from a short measurement: a few real optimiser steps (loss, exact gradient, Adam)
 * of the model the settings describe, on the given frames, in the calling thread. Used to print
 * the estimated wall time before a long run. Seconds of wall time; steps per second.
 */
import { Rng } from '../random.ts';
import { DpTrainEngine } from './engine.ts';
import { Adam } from './schedule.ts';
import { initModelWithStats, resolveSettings } from './trainer.ts';
import { resolveAutoSel } from './stats.ts';
import type { LabeledFrame, TrainSettings } from './types.ts';

export interface SpeedMeasurement {
  /** Optimiser steps per second of one model in one thread. */
  stepsPerSecond: number;
  /** Steps measured and their wall time, s (the first, warm-up step excluded). */
  steps: number;
  seconds: number;
  /** Trainable parameters of the model. */
  parameters: number;
}

const nowMs = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/**
 * Measure training speed: after one warm-up step, run steps on random frames (batchSize frames
 * each) until `budgetSeconds` (default 2) have passed and at least `minSteps` (default 3) are done.
 */
export function measureTrainSpeed(data: LabeledFrame[], settings: TrainSettings, opts: { budgetSeconds?: number; minSteps?: number; seed?: number } = {}): SpeedMeasurement {
  const s = resolveSettings(settings);
  if (data.length === 0) throw new Error('measureTrainSpeed: no frames');
  const budget = 1000 * (opts.budgetSeconds ?? 2);
  const minSteps = opts.minSteps ?? 3;
  const arch = { ...s.arch, sel: resolveAutoSel(s.arch, data.map((d) => d.frame)) };
  const eng = new DpTrainEngine(initModelWithStats(arch, data, opts.seed ?? 1), { onWarning: () => {} });
  const frames = data.map((d) => eng.prepare(d));
  const adam = new Adam(eng.size, s.adamBeta1, s.adamBeta2, s.adamEps);
  const rng = new Rng(opts.seed ?? 1);
  const step = (): void => {
    eng.grad.fill(0);
    for (let b = 0; b < s.batchSize; b++) eng.lossAndGradient(frames[rng.int(frames.length)], s.startPrefE, s.startPrefF, 1 / s.batchSize, s.startPrefV);
    adam.step(eng.theta, eng.grad, s.startLr);
  };
  step();
  const t0 = nowMs();
  let n = 0;
  while (n < minSteps || nowMs() - t0 < budget) {
    step();
    n++;
  }
  const seconds = (nowMs() - t0) / 1000;
  return { stepsPerSecond: n / seconds, steps: n, seconds, parameters: eng.size };
}

/** "3 h 12 min", "4 min 05 s", "12 s" for a duration in seconds. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${(h / 24).toFixed(1)} days`;
}
