/**
 * Checkpoint / resume: training N steps straight equals training to a checkpoint, a JSON round
 * trip of it, and resuming for the rest — bit for bit (parameters and learning curve), in this
 * thread and through the worker-thread ensemble path; mismatched checkpoints are refused by name.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eamFrames } from './data.ts';
import { trainModel } from '../../src/core/train/index.ts';
import { trainEnsembleInThreads } from '../../src/node/train/ensemble-threads.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import type { LabeledFrame, TrainCheckpoint, TrainResult, TrainSettings } from '../../src/core/train/types.ts';

// batch 2 on 11 training frames (12 frames, 1 held out): epochs end in the middle of steps, so
// every checkpoint sits inside an epoch; the decay stairs (5 steps) and curve windows (7) differ too.
const settings: TrainSettings = {
  arch: { typeMap: ['Cu'], rcut: 4.5, rcutSmth: 1.0, sel: [24], embedding: [4, 8], axisNeuron: 2, fitting: [8, 8] },
  numSteps: 40, batchSize: 2, startLr: 3e-3, stopLr: 1e-4, decaySteps: 5, progressEvery: 7,
};

function flatWeights(m: DpModel): number[] {
  const out: number[] = [];
  for (const n of [...m.descriptor.embeddings.networks, ...m.fitting.nets.networks]) {
    for (const l of n!.layers) out.push(...l.w, ...(l.b ?? []), ...(l.idt ?? []));
  }
  return out;
}

const roundTrip = (cp: TrainCheckpoint): TrainCheckpoint => JSON.parse(JSON.stringify(cp)) as TrainCheckpoint;
const quiet = { onWarning: () => {} };

/** Train until the checkpoint at `stopAt`, then abort (an interrupted run); returns that checkpoint. */
async function interruptedAt(data: LabeledFrame[], seed: number, stopAt: number): Promise<TrainCheckpoint> {
  const ac = new AbortController();
  let saved: TrainCheckpoint | undefined;
  await expect(trainModel(data, settings, {
    ...quiet, seed, signal: ac.signal, checkpointEvery: stopAt,
    onCheckpoint: (cp) => {
      saved = cp;
      ac.abort(new Error('interrupted'));
    },
  })).rejects.toThrow('interrupted');
  if (!saved) throw new Error('no checkpoint was emitted');
  return saved;
}

describe('training checkpoints', () => {
  let data: LabeledFrame[];
  let straight: TrainResult;
  beforeAll(async () => {
    data = await eamFrames(12, 3);
    straight = await trainModel(data, settings, { ...quiet, seed: 5 });
  });

  it('40 steps straight = 20 steps, checkpoint, JSON round trip, 20 more (bit-identical parameters and curve)', async () => {
    const cp = await interruptedAt(data, 5, 20);
    expect(cp.step).toBe(20);
    expect(cp.adam.t).toBe(20);
    const resumed = await trainModel(data, settings, { ...quiet, seed: 5, resume: roundTrip(cp) });
    expect(flatWeights(resumed.model)).toEqual(flatWeights(straight.model));
    expect(resumed.curve).toEqual(straight.curve);
    expect(resumed.train).toEqual(straight.train);
    // the resumed run really trained: its weights moved away from the checkpoint's
    const resumedFrom = await trainModel(data, { ...settings, numSteps: 40 }, { ...quiet, seed: 5, resume: { ...roundTrip(cp), step: 40 } });
    expect(flatWeights(resumedFrom.model)).not.toEqual(flatWeights(straight.model));
  });

  it('a checkpoint in the middle of an epoch and of a curve window resumes exactly too', async () => {
    const cp = await interruptedAt(data, 5, 13);
    expect(cp.shuffle.cursor).toBe(4); // 26 frames drawn = 2 epochs of 11 + 4
    expect(cp.window.steps).toBe(6); // curve points at 7 and 14: 6 steps since the last
    const resumed = await trainModel(data, settings, { ...quiet, seed: 5, resume: roundTrip(cp) });
    expect(flatWeights(resumed.model)).toEqual(flatWeights(straight.model));
    expect(resumed.curve).toEqual(straight.curve);
  });

  it('checkpoints carry the schedule position, the curve so far and its best point', async () => {
    const cps: TrainCheckpoint[] = [];
    await trainModel(data, settings, { ...quiet, seed: 5, checkpointEvery: 15, onCheckpoint: (cp) => { cps.push(roundTrip(cp)); } });
    expect(cps.map((c) => c.step)).toEqual([15, 30]);
    expect(cps[1].curve).toEqual(straight.curve.filter((p) => p.step <= 30));
    expect(cps[1].schedule.lr).toBe(straight.curve.find((p) => p.step === 35)!.lr); // lr of step index 30 = the point at 35 (same decay stair)
    const key = (p: { valRmseF?: number; rmseF: number }): number => p.valRmseF ?? p.rmseF;
    expect(key(cps[1].best!)).toBe(Math.min(...cps[1].curve.map(key)));
  });

  it('refuses a checkpoint of another seed, other settings or other data, naming the mismatch', async () => {
    const cp = roundTrip(await interruptedAt(data, 5, 10));
    await expect(trainModel(data, settings, { ...quiet, seed: 6, resume: cp })).rejects.toThrow(/seed 5.*seed 6/);
    await expect(trainModel(data, { ...settings, startLr: 1e-3 }, { ...quiet, seed: 5, resume: cp })).rejects.toThrow(/setting 'startLr' differs/);
    await expect(trainModel(data.slice(1), settings, { ...quiet, seed: 5, resume: cp })).rejects.toThrow(/12 frames, the run has 11/);
    await expect(trainModel(data, settings, { ...quiet, seed: 5, resume: { ...cp, adam: { ...cp.adam, m: cp.adam.m.slice(1) } } })).rejects.toThrow(/Adam moments/);
  });

  it('worker-thread ensemble: checkpoints out, resume in, same models as uninterrupted training', async () => {
    const seeds = [5, 6];
    const cps: TrainCheckpoint[] = [];
    const straightThreads = await trainEnsembleInThreads(data, settings, {
      seeds, threads: 2, onWarning: () => {}, checkpointEvery: 20, onCheckpoint: (cp) => cps.push(cp),
    });
    expect(cps.map((c) => `${c.seed}:${c.step}`).sort()).toEqual(['5:20', '5:40', '6:20', '6:40']);
    expect(flatWeights(straightThreads[0].model)).toEqual(flatWeights(straight.model));
    const at20 = cps.filter((c) => c.step === 20).map(roundTrip);
    const resumed = await trainEnsembleInThreads(data, settings, { seeds, threads: 2, onWarning: () => {}, resume: at20 });
    for (let k = 0; k < 2; k++) {
      expect(resumed[k].seed).toBe(seeds[k]);
      expect(flatWeights(resumed[k].model)).toEqual(flatWeights(straightThreads[k].model));
      expect(resumed[k].curve).toEqual(straightThreads[k].curve);
    }
  });
});
