// Built-in DP-SE trainer: its energy equals the DP evaluator's, its gradient matches finite
// differences, a short run lowers the loss, and the .dp model it writes loads in the evaluator.
import { describe, expect, it } from 'vitest';
import { makeFrame } from '../../src/core/atoms.ts';
import { DpCalculator } from '../../src/core/potentials/dp/evaluator.ts';
import { loadDpModel } from '../../src/core/potentials/dp/load.ts';
import { encodeDpModelH5 } from '../../src/core/potentials/dp/write.ts';
import { EamLabeler } from '../../src/backend/labelers/eam.ts';
import type { LabeledFrame } from '../../src/backend/export/labeled-frame.ts';
import { initialModel } from '../../src/backend/train/init-model.ts';
import { makeSamples } from '../../src/backend/train/samples.ts';
import { energyBias, setEnvStats } from '../../src/backend/train/stats.ts';
import { DpSeEnergyModel } from '../../src/backend/train/energy-model.ts';
import { trainModel } from '../../src/backend/train/trainer.ts';
import { learningRate } from '../../src/backend/train/schedule.ts';
import { accumulateForceLoss } from '../../src/backend/train/force-loss.ts';
import { cuFrames } from './helpers.ts';

const ARCH = { typeMap: ['Cu'], rcut: 5.0, rcutSmth: 0.5, embedding: [4, 8], fitting: [8, 8], axisNeuron: 4 };

async function eamData(n: number, amp: number, seed: number): Promise<LabeledFrame[]> {
  const eam = await EamLabeler.load();
  const out: LabeledFrame[] = [];
  for (const [k, f] of cuFrames(n, amp, seed).entries()) {
    const frame = makeFrame(f.symbols, f.positions.flat());
    const r = await eam.label(frame);
    if (r.status !== 'ok') throw new Error(r.reason);
    out.push({ id: k + 1, frame, energy: r.energy, forces: r.forces, virial: null, calculator: eam.name });
  }
  return out;
}

describe('DP-SE trainer', () => {
  it('computes the same energy as the DP evaluator and exact weight gradients', async () => {
    const data = await eamData(3, 0.2, 1);
    const model = initialModel({ ...ARCH, sel: [16] }, 3);
    const samples = makeSamples(data, model);
    setEnvStats(model, samples);
    model.outBias.set(energyBias(samples, 1));
    expect(model.outBias[0]).toBeCloseTo(data.reduce((s, f) => s + f.energy, 0) / (13 * 3), 8);
    const em = new DpSeEnergyModel(model);
    const calc = new DpCalculator(model);
    for (const s of samples) expect(em.energy(s)).toBeCloseTo(calc.compute(s.frame).energy, 9);
    // dE/dθ against central differences for a few weights of the embedding and fitting nets.
    em.zeroGrad();
    em.backward(samples[0], 1);
    const params = em.params();
    for (const [pi, idx] of [[0, 1], [2, 5], [params.length - 2, 3], [params.length - 4, 7]] as const) {
      const { p, g } = params[pi];
      const h = 1e-6, x0 = p[idx];
      p[idx] = x0 + h; const ep = em.energy(samples[0]);
      p[idx] = x0 - h; const emn = em.energy(samples[0]);
      p[idx] = x0;
      expect(g[idx]).toBeCloseTo((ep - emn) / (2 * h), 5);
    }
  });

  it('lowers the energy loss in a short run and writes a .dp model the evaluator loads', async () => {
    const train = await eamData(24, 0.25, 2);
    const val = await eamData(6, 0.25, 3);
    const steps = 600;
    const r = trainModel(train, val, { arch: ARCH, steps, seed: 1, startLr: 1e-2, stopLr: 1e-4, decaySteps: 100, startPrefE: 1, limitPrefE: 1, startPrefF: 0, limitPrefF: 0, curvePoints: 10 });
    expect(r.curve).toHaveLength(10);
    const first = r.curve[0], last = r.curve[r.curve.length - 1];
    console.log(`trainer: RMSE E/atom train ${first.rmseETrain.toExponential(2)} → ${last.rmseETrain.toExponential(2)} eV, validation ${first.rmseEVal!.toExponential(2)} → ${last.rmseEVal!.toExponential(2)} eV; F RMSE ${r.metrics.rmseForceTrain.toFixed(3)} eV/Å`);
    expect(last.rmseETrain).toBeLessThan(first.rmseETrain);
    expect(last.loss).toBeLessThan(r.curve[0].loss);
    expect(learningRate({ startLr: 1e-2, stopLr: 1e-4, decaySteps: 100, numSteps: steps }, steps)).toBeCloseTo(1e-4, 10);
    const bytes = await encodeDpModelH5(r.model);
    const back = await loadDpModel(bytes, 'trained.dp');
    const e1 = new DpCalculator(back).compute(val[0].frame).energy;
    const e0 = new DpCalculator(r.model).compute(val[0].frame).energy;
    expect(e1).toBeCloseTo(e0, 9);
    expect(Math.abs(e1 - val[0].energy) / 13).toBeLessThan(0.05);
  });

  it('force-loss weight gradient matches finite differences of pref_f·mean(ΔF²)', async () => {
    const data = await eamData(1, 0.2, 5);
    const model = initialModel({ ...ARCH, sel: [16] }, 4);
    const [s] = makeSamples(data, model);
    setEnvStats(model, [s]);
    model.outBias.set(energyBias([s], 1));
    const em = new DpSeEnergyModel(model);
    const pf = 2;
    const lossF = (): number => {
      const f = new DpCalculator(model).compute(s.frame).forces;
      let q = 0;
      for (let k = 0; k < f.length; k++) q += (f[k] - s.forces[k]) ** 2;
      return (pf * q) / f.length;
    };
    em.zeroGrad();
    const { loss } = accumulateForceLoss(em, s, pf);
    expect(loss).toBeCloseTo(lossF(), 12);
    const params = em.params();
    for (const [pi, idx] of [[0, 2], [2, 9], [params.length - 4, 5], [params.length - 6, 11]] as const) {
      const { p, g } = params[pi];
      const h = 1e-6, x0 = p[idx];
      p[idx] = x0 + h; const lp = lossF();
      p[idx] = x0 - h; const lm = lossF();
      p[idx] = x0;
      const fd = (lp - lm) / (2 * h);
      expect(Math.abs(g[idx] - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
    }
  });

  it('with the force term, training lowers the force error', async () => {
    const train = await eamData(12, 0.25, 6);
    const r = trainModel(train, [], { arch: ARCH, steps: 300, seed: 2, startLr: 1e-2, stopLr: 1e-3, decaySteps: 50, startPrefE: 0.02, limitPrefE: 1, startPrefF: 100, limitPrefF: 1, curvePoints: 5 });
    console.log(`trainer with forces: RMSE F ${r.metrics.rmseForceTrainInitial.toFixed(3)} → ${r.metrics.rmseForceTrain.toFixed(3)} eV/Å, E/atom ${r.metrics.rmseEnergyPerAtomTrainInitial.toExponential(2)} → ${r.metrics.rmseEnergyPerAtomTrain.toExponential(2)} eV`);
    expect(r.metrics.rmseForceTrain).toBeLessThan(0.8 * r.metrics.rmseForceTrainInitial);
  });
});
