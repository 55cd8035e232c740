/**
 * Every supported model variant, on random models in the v3 layout: the evaluator's energies equal
 * an independent naive implementation of the spec (test/dp/brute.ts), and its analytic forces and
 * virials equal central finite differences of its own energy — on an open cluster, and on a
 * small triclinic periodic cell (self-images are neighbours) and a slab (mixed pbc).
 */
import { describe, expect, it } from 'vitest';
import { makeFrame, type Frame } from '../../src/core/atoms.ts';
import { DpCalculator, DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import type { RandomModelSpec } from './random-model.ts';
import { finiteDifferenceErrors, modelFrom, randomCluster, smallCell } from './systems.ts';
import { bruteEnergy } from './brute.ts';

const base: RandomModelSpec = {
  typeMap: ['Cu', 'Au'], sel: [14, 12], rcut: 4.0, rcutSmth: 1.0, neuron: [4, 8, 16], axis: 4, fitting: [12, 12], resnetDt: true,
};

const variants: [string, Partial<RandomModelSpec>][] = [
  ['type_one_side, resnet_dt embedding, per-block stats', {}],
  ['per-slot stats (cluster only: equidistant periodic images would make slot order matter)', { stats: 'per-slot' }],
  ['two-index embeddings (type_one_side false)', { typeOneSide: false }],
  ['legacy embedding [2,4,8] (doubling skip from the input)', { neuron: [2, 4, 8], axis: 3, fitting: [10, 10] }],
  ['fitting skips: equal to dim_descrpt and doubling', { neuron: [4, 8], axis: 2, fitting: [16, 32, 32] }],
  ['no timesteps anywhere', { resnetDt: false, fittingResnetDt: false }],
  ['activation relu', { activation: 'relu' }],
  ['activation relu6', { activation: 'relu6' }],
  ['activation softplus', { activation: 'softplus' }],
  ['activation sigmoid', { activation: 'sigmoid' }],
  ['activation silu', { activation: 'silu' }],
  ['activation gelu', { activation: 'gelu' }],
  ['activation gelu_tf', { activation: 'gelu_tf' }],
  ['activation silut:0.5', { activation: 'silut:0.5' }],
  ['activation custom_silu (default threshold 3)', { activation: 'custom_silu' }],
  ['activation linear', { activation: 'linear' }],
  ['activation Tanh (case-insensitive)', { activation: 'Tanh' }],
  ['descriptor exclude_types (type_one_side)', { excludeTypes: [[0, 1]] }],
  ['descriptor exclude_types (two-index)', { excludeTypes: [[1, 1]], typeOneSide: false }],
  ['atom_exclude_types', { atomExcludeTypes: [1] }],
  ['pair_exclude_types', { pairExcludeTypes: [[0, 1]] }],
  ['env_protection 0.3', { envProtection: 0.3 }],
  ['bias_atom_e and out_bias', { biasAtomE: [-3.1, -4.2], outBias: [0.37, -1.25] }],
  ['sel truncation (v3: nearest Σsel, then per type)', { sel: [3, 2] }],
  ['uniform stats (as every trained model)', { stats: 'uniform' }],
  ['fitting mixed_types (one net for all types)', { mixedTypes: true }],
];

describe('model variants: evaluator = independent naive spec implementation; forces/virial = finite differences', () => {
  variants.forEach(([name, over], k) => {
    it(name, () => {
      const model = modelFrom({ ...base, ...over, seed: 11 + k });
      const ev = new DpEvaluator(model);
      const E = (f: Frame) => ev.evaluate(f, { energyOnly: true }).energy;
      const frames = [randomCluster(9, 100 + k)];
      if (over.stats !== 'per-slot') frames.push(smallCell(200 + k), smallCell(300 + k, [true, false, true]));
      for (const frame of frames) {
        const r = ev.evaluate(frame);
        const ref = bruteEnergy(model, frame);
        expect(Math.abs(r.energy - ref.energy)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.energy)));
        for (let i = 0; i < ref.atomic.length; i++) expect(Math.abs(r.atomicEnergies[i] - ref.atomic[i])).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(ref.atomic[i])));
        const fd = finiteDifferenceErrors(E, frame, r.forces, r.virial);
        expect(fd.force).toBeLessThanOrEqual(1e-7 * Math.max(1, fd.scaleF));
        expect(fd.virial).toBeLessThanOrEqual(1e-7 * Math.max(1, fd.scaleV));
        // Σ atomic virials = virial; Σ forces = 0 (translation invariance).
        const sumF = [0, 1, 2].map((c) => r.forces.reduce((s, x, i) => (i % 3 === c ? s + x : s), 0));
        for (const s of sumF) expect(Math.abs(s)).toBeLessThan(1e-10);
      }
      if (over.sel) {
        const r = ev.evaluate(randomCluster(9, 100 + k));
        expect(r.neighbors.truncatedAtoms).toBeGreaterThan(0);
      }
      if (over.atomExcludeTypes) {
        const f = randomCluster(9, 100 + k);
        const r = ev.evaluate(f);
        f.symbols.forEach((s, i) => s === 'Au' && expect(r.atomicEnergies[i]).toBe(0));
      }
    });
  });

  it('warns once per frame when sel truncates a neighbour list', () => {
    const model = modelFrom({ ...base, sel: [2, 2], seed: 4 });
    const warnings: string[] = [];
    const calc = new DpCalculator(model, { onWarning: (w) => warnings.push(w) });
    calc.compute(randomCluster(9, 1));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/more neighbours within rcut = 4 Å than sel allows.*sel \[2, 2\]/);
    const ok = new DpCalculator(modelFrom({ ...base, seed: 4 }), { onWarning: (w) => warnings.push(w) });
    ok.compute(randomCluster(9, 1));
    expect(warnings).toHaveLength(1);
  });

  it('rejects coincident atoms and pbc without a cell with a clear message', () => {
    const ev = new DpEvaluator(modelFrom({ ...base, seed: 2 }));
    expect(() => ev.evaluate(makeFrame(['Cu', 'Au', 'Cu'], [0, 0, 0, 2, 0, 0, 0, 0, 0]))).toThrow(/atoms 0 and 2 .* same position/);
    const f = makeFrame(['Cu'], [0, 0, 0]);
    f.pbc = [true, true, true];
    expect(() => ev.evaluate(f)).toThrow(/no cell/);
    expect(() => ev.evaluate(makeFrame(['Ag'], [0, 0, 0]))).toThrow(/species 'Ag' \(atom 0\) is not in the model's type_map \[Cu, Au\]/);
  });

  it('out_bias shifts the energy by Σ out_bias[t_i] and leaves forces unchanged', () => {
    const a = modelFrom({ ...base, seed: 5 });
    const b = modelFrom({ ...base, seed: 5, outBias: [0.25, -0.5] });
    const f = randomCluster(9, 7);
    const ra = new DpEvaluator(a).evaluate(f), rb = new DpEvaluator(b).evaluate(f);
    const shift = f.symbols.reduce((s, x) => s + (x === 'Cu' ? 0.25 : -0.5), 0);
    expect(rb.energy - ra.energy).toBeCloseTo(shift, 12);
    for (let i = 0; i < ra.forces.length; i++) expect(rb.forces[i]).toBe(ra.forces[i]);
  });

  it('is invariant under rotation and permutation; periodic images equal an explicit supercell', () => {
    const model = modelFrom({ ...base, seed: 9 });
    const ev = new DpEvaluator(model);
    const f = randomCluster(10, 3);
    const e0 = ev.evaluate(f).energy;
    const th = 0.7, c = Math.cos(th), s = Math.sin(th);
    const rot = structuredClone(f);
    for (let i = 0; i < rot.positions.length; i += 3) {
      const x = f.positions[i], y = f.positions[i + 1];
      rot.positions[i] = c * x - s * y;
      rot.positions[i + 1] = s * x + c * y;
    }
    expect(ev.evaluate(rot).energy).toBeCloseTo(e0, 11);
    const perm = makeFrame([...f.symbols].reverse(), Array.from({ length: 10 }, (_, i) => [...f.positions.subarray(3 * (9 - i), 3 * (9 - i) + 3)]).flat());
    expect(ev.evaluate(perm).energy).toBeCloseTo(e0, 11);
    // 2×1×1 supercell of the small cell has twice the energy.
    const cell = smallCell(4);
    const sup = makeFrame([...cell.symbols, ...cell.symbols], [...cell.positions, ...Array.from(cell.positions, (x, i) => x + cell.cell![i % 3])],
      [2 * cell.cell![0], 2 * cell.cell![1], 2 * cell.cell![2], ...cell.cell!.subarray(3)], [true, true, true]);
    expect(ev.evaluate(sup).energy).toBeCloseTo(2 * ev.evaluate(cell).energy, 10);
  });
});
