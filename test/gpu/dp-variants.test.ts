// Every model variant the GPU engine supports (random models in the v3 layout, the same list as
// test/dp/variants.test.ts) against the float64 CPU evaluator on an open cluster, a small
// triclinic periodic cell (self-images) and a slab (mixed pbc); unsupported variants are refused
// with a clear message. Tolerances as spec §6: 1e-4 eV per atom, 1e-4 eV/Å.
import { describe, expect, it } from 'vitest';
import '../../src/node/shaders-fs.ts';
import { useNodeGpu } from '../helpers/gpu.ts';
import { DpGpuEngine } from '../../src/gpu/dp-engine.ts';
import { DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import type { RandomModelSpec } from '../dp/random-model.ts';
import { modelFrom, randomCluster, smallCell } from '../dp/systems.ts';

const gpu = useNodeGpu();

const base: RandomModelSpec = {
  typeMap: ['Cu', 'Au'], sel: [14, 12], rcut: 4.0, rcutSmth: 1.0, neuron: [4, 8, 16], axis: 4, fitting: [12, 12], resnetDt: true,
};

const variants: [string, Partial<RandomModelSpec>][] = [
  ['type_one_side, resnet_dt embedding, per-block stats', {}],
  ['per-slot stats', { stats: 'per-slot' }],
  ['two-index embeddings (type_one_side false)', { typeOneSide: false }],
  ['legacy embedding [2,4,8] (doubling skip from the input)', { neuron: [2, 4, 8], axis: 3, fitting: [10, 10] }],
  ['fitting skips: equal to dim_descrpt and doubling', { neuron: [4, 8], axis: 2, fitting: [16, 32, 32] }],
  ['no timesteps anywhere', { resnetDt: false, fittingResnetDt: false }],
  ['activation relu6', { activation: 'relu6' }],
  ['activation softplus', { activation: 'softplus' }],
  ['activation sigmoid', { activation: 'sigmoid' }],
  ['activation silu', { activation: 'silu' }],
  ['activation gelu', { activation: 'gelu' }],
  ['activation silut:0.5', { activation: 'silut:0.5' }],
  ['activation linear', { activation: 'linear' }],
  ['env_protection 0.3', { envProtection: 0.3 }],
  ['bias_atom_e and out_bias', { biasAtomE: [-3.1, -4.2], outBias: [0.37, -1.25] }],
  ['sel truncation (v3: nearest Σsel, then per type)', { sel: [3, 2] }],
  ['fitting mixed_types (one net for all types)', { mixedTypes: true } as Partial<RandomModelSpec>],
];

describe('GPU engine: model variants vs the float64 CPU evaluator', () => {
  variants.forEach(([name, over], k) => {
    it(name, async () => {
      const model = modelFrom({ ...base, ...over, seed: 11 + k });
      const ev = new DpEvaluator(model);
      const engine = await DpGpuEngine.create(gpu.device, [model]);
      const frames = [randomCluster(9, 100 + k)];
      if (over.stats !== 'per-slot') frames.push(smallCell(200 + k), smallCell(300 + k, [true, false, true]));
      try {
        for (const frame of frames) {
          const ref = ev.evaluate(frame);
          const res = await engine.evaluate(frame, { virials: true });
          const g = res.models[0];
          let eA = 0, f = 0, v = 0;
          for (let i = 0; i < ref.atomicEnergies.length; i++) eA = Math.max(eA, Math.abs(g.atomicEnergies[i] - ref.atomicEnergies[i]));
          for (let p = 0; p < ref.forces.length; p++) f = Math.max(f, Math.abs(g.forces[p] - ref.forces[p]));
          for (let p = 0; p < ref.atomicVirials.length; p++) v = Math.max(v, Math.abs(g.atomicVirials![p] - ref.atomicVirials[p]));
          expect(eA).toBeLessThanOrEqual(1e-4);
          expect(f).toBeLessThanOrEqual(1e-4);
          expect(v).toBeLessThanOrEqual(1e-4);
          expect(res.truncatedAtoms).toBe(ref.neighbors.truncatedAtoms);
        }
      } finally {
        engine.destroy();
      }
    });
  });

  it('refuses exclusions with a clear message (the CPU evaluator handles them)', async () => {
    for (const over of [{ excludeTypes: [[0, 1]] }, { atomExcludeTypes: [1] }, { pairExcludeTypes: [[0, 1]] }] as Partial<RandomModelSpec>[]) {
      await expect(DpGpuEngine.create(gpu.device, [modelFrom({ ...base, ...over, seed: 5 })])).rejects.toThrow(/not supported by the WebGPU engine/);
    }
  });

  it('refuses to fuse models of different architectures', async () => {
    const a = modelFrom({ ...base, seed: 1 }), b = modelFrom({ ...base, neuron: [4, 8], seed: 2 });
    await expect(DpGpuEngine.create(gpu.device, [a, b])).rejects.toThrow(/different architecture/);
  });
});
