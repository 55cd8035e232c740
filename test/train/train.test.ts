/**
 * Short training runs on EAM-labeled Cu13/Cu19 frames (tiny architecture): the loss and RMSEs
 * fall, the model round-trips through the v3 JSON serialization and loadDpModel and evaluates
 * with DpCalculator exactly as the trainer's own forward pass, seeds matter and are
 * reproducible, cancellation works, and worker threads give the same models.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eamFrames } from './data.ts';
import { trainEnsemble, trainModel, initModelWithStats, modelRmse, splitIndices } from '../../src/core/train/index.ts';
import { trainEnsembleInThreads } from '../../src/node/train/ensemble-threads.ts';
import { DpTrainEngine } from '../../src/core/train/engine.ts';
import { DpCalculator } from '../../src/core/potentials/dp/evaluator.ts';
import { loadDpModel } from '../../src/core/potentials/dp/load.ts';
import { encodeDpModelJson } from '../../src/core/potentials/dp/serialize.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import type { LabeledFrame, TrainResult, TrainSettings } from '../../src/core/train/types.ts';

const settings = (numSteps: number): TrainSettings => ({
  arch: { typeMap: ['Cu'], rcut: 4.5, rcutSmth: 1.0, sel: [24], embedding: [4, 8], axisNeuron: 2, fitting: [8, 8] },
  numSteps, startLr: 3e-3, stopLr: 1e-5, decaySteps: 100, progressEvery: 100,
});

function flatWeights(m: DpModel): number[] {
  const out: number[] = [];
  for (const n of [...m.descriptor.embeddings.networks, ...m.fitting.nets.networks]) {
    for (const l of n!.layers) out.push(...l.w, ...(l.b ?? []), ...(l.idt ?? []));
  }
  return out;
}

describe('trainModel on EAM-labeled Cu13/Cu19', () => {
  let data: LabeledFrame[];
  let res: TrainResult;
  const progress: number[] = [];
  beforeAll(async () => {
    data = await eamFrames(40, 1);
    res = await trainModel(data, settings(2000), { seed: 1, onProgress: (p) => progress.push(p.step), onWarning: () => {} });
  });

  it('loss and RMSEs fall substantially', () => {
    const split = splitIndices(data.length, 0.1, 0);
    const init = initModelWithStats(settings(1).arch, split.train.map((i) => data[i]), 1);
    const before = modelRmse(init, split.train.map((i) => data[i]));
    const c = res.curve;
    console.log(`initial train RMSE E ${before.rmseE.toFixed(4)} eV/atom F ${before.rmseF.toFixed(4)} eV/Å; final train E ${res.train.rmseE.toFixed(4)} F ${res.train.rmseF.toFixed(4)}; validation E ${res.validation.rmseE.toFixed(4)} F ${res.validation.rmseF.toFixed(4)}; loss ${c[0].loss.toFixed(2)} → ${c[c.length - 1].loss.toFixed(3)}; ${res.stepsPerSecond.toFixed(0)} steps/s`);
    expect(c).toHaveLength(20);
    expect(progress).toEqual(c.map((p) => p.step));
    expect(c[c.length - 1].loss).toBeLessThan(0.05 * c[0].loss);
    expect(res.train.rmseF).toBeLessThan(0.4 * before.rmseF);
    expect(res.train.rmseE).toBeLessThan(0.4 * before.rmseE);
    expect(res.train.frames).toBe(36);
    expect(res.validation.frames).toBe(4);
    expect(res.validation.rmseF).toBeLessThan(before.rmseF);
    expect(c[c.length - 1].lr).toBeCloseTo(3e-3 * Math.pow(1e-5 / 3e-3, 1900 / 2000), 12);
  });

  it('round-trips through JSON + loadDpModel and DpCalculator reproduces the trainer forward pass (≤ 1e-10)', async () => {
    const bytes = new TextEncoder().encode(encodeDpModelJson(res.model));
    const loaded = await loadDpModel(bytes, 'trained.json', { onWarning: () => {} });
    expect(loaded.outBias[0]).toBe(res.model.outBias[0]);
    expect(loaded.descriptor.dstd).toEqual(res.model.descriptor.dstd);
    const calc = new DpCalculator(loaded, { onWarning: () => {} });
    const eng = new DpTrainEngine(res.model, { onWarning: () => {} });
    let worstE = 0, worstF = 0;
    for (const d of data.slice(0, 12)) {
      const own = eng.forward(eng.prepare(d), true);
      const r = calc.compute(d.frame);
      worstE = Math.max(worstE, Math.abs(r.energy - own.energy));
      for (let c = 0; c < r.forces.length; c++) worstF = Math.max(worstF, Math.abs(r.forces[c] - own.forces[c]));
    }
    console.log(`DpCalculator vs trainer forward: max |ΔE| ${worstE.toExponential(2)} eV, max |ΔF| ${worstF.toExponential(2)} eV/Å`);
    expect(worstE).toBeLessThan(1e-10);
    expect(worstF).toBeLessThan(1e-10);
  });

  it('different seeds give different models; the same seed the same model', async () => {
    const s = settings(150);
    const [a, b] = await trainEnsemble(data, s, [1, 2], { onWarning: () => {} });
    const a2 = await trainModel(data, s, { seed: 1, onWarning: () => {} });
    const wa = flatWeights(a.model), wb = flatWeights(b.model);
    let diff = 0;
    for (let i = 0; i < wa.length; i++) diff = Math.max(diff, Math.abs(wa[i] - wb[i]));
    expect(diff).toBeGreaterThan(0.1);
    expect(flatWeights(a2.model)).toEqual(wa);
    expect(a.validationIndices).toEqual(b.validationIndices);
  });

  it('initModel continues from a trained model (its statistics kept, RMSE stays near that of the trained model)', async () => {
    const s = { ...settings(100), startLr: 1e-4 };
    const cont = await trainModel(data, s, { seed: 9, initModel: res.model, onWarning: () => {} });
    expect(cont.model.descriptor.dstd).toEqual(res.model.descriptor.dstd);
    expect(cont.model.outBias).toEqual(res.model.outBias);
    expect(cont.train.rmseF).toBeLessThan(1.2 * res.train.rmseF);
    expect(flatWeights(cont.model)).not.toEqual(flatWeights(res.model));
  });

  it('sel "auto" is resolved from the training frames', async () => {
    const r = await trainModel(data, { ...settings(5), arch: { ...settings(5).arch, sel: 'auto' } }, { seed: 1, onWarning: () => {} });
    const sel = r.model.descriptor.sel[0];
    expect(sel % 4).toBe(0);
    expect(sel).toBeGreaterThanOrEqual(12);
    expect(sel).toBeLessThan(24);
  });

  it('cancellation rejects with an AbortError', async () => {
    const ac = new AbortController();
    const p = trainModel(data, { ...settings(100000), progressEvery: 10 }, {
      seed: 3, signal: ac.signal, onWarning: () => {},
      onProgress: (q) => { if (q.step >= 50) ac.abort(); },
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('worker threads (2) train the same models as the calling thread', async () => {
    const s = settings(150);
    const seen = new Set<number>();
    const [t1, t2] = await trainEnsembleInThreads(data, s, { seeds: [1, 2], threads: 2, onProgress: (p) => seen.add(p.seed), onWarning: () => {} });
    const [a, b] = await trainEnsemble(data, s, [1, 2], { onWarning: () => {} });
    expect(flatWeights(t1.model)).toEqual(flatWeights(a.model));
    expect(flatWeights(t2.model)).toEqual(flatWeights(b.model));
    expect([...seen].sort()).toEqual([1, 2]);
    expect(t1.train.rmseF).toBe(a.train.rmseF);
  });

  it('worker threads: cancellation rejects', async () => {
    const ac = new AbortController();
    const p = trainEnsembleInThreads(data, settings(1000000), {
      seeds: [5, 6], threads: 2, signal: ac.signal, onWarning: () => {},
      onProgress: () => ac.abort(),
    });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
