/**
 * Model deviation exactly as `dp model-devi` (spec §8), DP-GEN classes with [lo, hi) semantics,
 * the model_devi.out format, and ensembles (hand-built and the 4-model Cu demo ensemble).
 */
import { describe, expect, it } from 'vitest';
import { classifyDeviation, modelDeviation } from '../../src/core/potentials/dp/deviation.ts';
import { DpEnsembleCalculator } from '../../src/core/potentials/dp/ensemble.ts';
import { DpCalculator } from '../../src/core/potentials/dp/evaluator.ts';
import { formatE, formatModelDeviOut, modelDeviHeader, modelDeviRow } from '../../src/core/potentials/dp/model-devi-out.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { makeFrame, type Frame } from '../../src/core/atoms.ts';
import { refModel } from './helpers.ts';
import { finiteDifferenceErrors, modelFrom, randomCluster } from './systems.ts';
import { seeded } from './random-model.ts';

const quiet = () => {};

describe('modelDeviation (dp model-devi definitions)', () => {
  it('matches a hand computation', () => {
    // 3 models, 2 atoms.
    const F = [
      [1, 0, 0, 0, 2, 0],
      [0, 1, 0, 0, 2, 1],
      [0, 0, 1, 0, 2, 2],
    ];
    const E = [-3, -2.4, -3.3];
    const V = [Array.from({ length: 9 }, (_, c) => c), Array.from({ length: 9 }, (_, c) => 2 * c), Array.from({ length: 9 }, () => 0)];
    const d = modelDeviation(F.map((f, k) => ({ energy: E[k], forces: f, virial: V[k] })));
    // Atom 0: each component takes values {1,0,0} → variance 2/9 per component → ε = sqrt(3·2/9).
    const e0 = Math.sqrt(3 * (2 / 9));
    // Atom 1: x and y constant; z ∈ {0,1,2} → variance 2/3.
    const e1 = Math.sqrt(2 / 3);
    expect(d.max_devi_f).toBeCloseTo(Math.max(e0, e1), 14);
    expect(d.min_devi_f).toBeCloseTo(Math.min(e0, e1), 14);
    expect(d.avg_devi_f).toBeCloseTo((e0 + e1) / 2, 14);
    const pe = E.map((x) => x / 2), m = pe.reduce((a, b) => a + b) / 3;
    expect(d.devi_e).toBeCloseTo(Math.sqrt(pe.reduce((s, x) => s + (x - m) ** 2, 0) / 3), 14);
    // Virial component c: values {c, 2c, 0}/2 → std = c/2 · sqrt(2/3).
    const sig = Array.from({ length: 9 }, (_, c) => (c / 2) * Math.sqrt(2 / 3));
    expect(d.max_devi_v).toBeCloseTo(sig[8], 14);
    expect(d.min_devi_v).toBeCloseTo(0, 14);
    expect(d.avg_devi_v).toBeCloseTo(Math.sqrt(sig.reduce((s, x) => s + x * x, 0)) / 3, 14);
    // Relative force deviation: ε_i / (|F̄_i| + λ).
    const rel = modelDeviation(F.map((f, k) => ({ energy: E[k], forces: f, virial: V[k] })), { relative: 1.0 });
    const fbar1 = Math.hypot(0, 2, 1);
    expect(rel.atomic_devi_f[1]).toBeCloseTo(e1 / (fbar1 + 1), 14);
  });

  it('classifies with [lo, hi) semantics (DP-GEN)', () => {
    const t = { lo: 0.05, hi: 0.15 };
    expect(classifyDeviation({ max_devi_f: 0.049999, max_devi_v: 0 }, t)).toBe('good');
    expect(classifyDeviation({ max_devi_f: 0.05, max_devi_v: 0 }, t)).toBe('decent');
    expect(classifyDeviation({ max_devi_f: 0.149999, max_devi_v: 0 }, t)).toBe('decent');
    expect(classifyDeviation({ max_devi_f: 0.15, max_devi_v: 0 }, t)).toBe('poor');
    expect(classifyDeviation({ max_devi_f: 0.01, max_devi_v: 5 }, t)).toBe('good'); // virial criterion off by default
    expect(classifyDeviation({ max_devi_f: 0.01, max_devi_v: 0.2 }, { ...t, vLo: 0.1, vHi: 0.3 })).toBe('decent');
    expect(classifyDeviation({ max_devi_f: 0.01, max_devi_v: 0.3 }, { ...t, vLo: 0.1, vHi: 0.3 })).toBe('poor');
  });
});

describe('model_devi.out', () => {
  it('has DeePMD-kit header, column order and number format', () => {
    expect(formatE(0.0123456789)).toBe('       1.234568e-02');
    expect(formatE(0)).toBe('       0.000000e+00');
    expect(formatE(-2.5e-120)).toBe('     -2.500000e-120');
    expect(modelDeviHeader('sys')).toBe(
      '# sys\n#       step         max_devi_v         min_devi_v         avg_devi_v         max_devi_f         min_devi_f         avg_devi_f             devi_e',
    );
    const d = { max_devi_v: 1, min_devi_v: 2, avg_devi_v: 3, max_devi_f: 4, min_devi_f: 5, avg_devi_f: 6, devi_e: 7, atomic_devi_f: new Float64Array() };
    expect(modelDeviRow(10, d)).toBe('          10' + [1, 2, 3, 4, 5, 6, 7].map((x) => `${x}.000000e+00`.padStart(19)).join(''));
    expect(formatModelDeviOut([{ step: 0, deviation: d }]).split('\n')).toHaveLength(4);
  });
});

describe('hand-built ensembles', () => {
  const spec = { typeMap: ['Cu', 'Au'], sel: [20, 20], rcut: 4.0, rcutSmth: 1.0, neuron: [4, 8], axis: 3, fitting: [10, 10], seed: 3 };
  it('identical models: deviation 0, class good, per-model results equal', () => {
    const m = modelFrom(spec);
    const ens = new DpEnsembleCalculator([m, m, m], { trust: { lo: 0.05, hi: 0.15 }, onWarning: quiet });
    const r = ens.compute(randomCluster(10, 1));
    // (x + x + x)/3 may differ from x by one ulp, as in numpy.
    expect(r.deviation.max_devi_f).toBeLessThan(1e-15);
    expect(r.deviation.devi_e).toBeLessThan(1e-15);
    expect(r.deviation.max_devi_v).toBeLessThan(1e-15);
    expect(r.deviation.class).toBe('good');
    expect(r.models).toHaveLength(3);
    expect(r.energy).toBe(r.models[0].energy);
  });

  it('a model with shifted out_bias: devi_e = δ/2, force and virial deviation 0', () => {
    const a = modelFrom(spec);
    const b = modelFrom({ ...spec, outBias: [0.1, 0.1] });
    const f = randomCluster(10, 2);
    const r = new DpEnsembleCalculator([a, b], { onWarning: quiet }).compute(f);
    expect(r.deviation.devi_e).toBeCloseTo(0.05, 13);
    expect(r.deviation.max_devi_f).toBe(0);
    expect(r.deviation.max_devi_v).toBe(0);
    const mean = new DpEnsembleCalculator([a, b], { reduce: 'mean', onWarning: quiet }).compute(f);
    expect(mean.energy).toBeCloseTo((r.models[0].energy + r.models[1].energy) / 2, 12);
  });

  it('different models: deviation equals the formula applied to per-model forces', () => {
    const ms = [1, 2, 3, 4].map((s) => modelFrom({ ...spec, seed: s }));
    const r = new DpEnsembleCalculator(ms, { onWarning: quiet }).compute(randomCluster(10, 5));
    const again = modelDeviation(r.models);
    expect(r.deviation.max_devi_f).toBe(again.max_devi_f);
    expect(r.deviation.max_devi_f).toBeGreaterThan(0);
    // Independent: ε_i from np.std semantics.
    let max = 0;
    for (let i = 0; i < 10; i++) {
      let s = 0;
      for (let c = 0; c < 3; c++) {
        const v = r.models.map((m) => m.forces[3 * i + c]);
        const mu = v.reduce((a, b) => a + b) / v.length;
        s += v.reduce((a, x) => a + (x - mu) ** 2, 0) / v.length;
      }
      max = Math.max(max, Math.sqrt(s));
    }
    expect(r.deviation.max_devi_f).toBeCloseTo(max, 14);
  });
});

function perturbed(f: Frame, amp: number, seed: number): Frame {
  const rnd = seeded(seed);
  return makeFrame(f.symbols, Array.from(f.positions, (x) => x + amp * (rnd() - 0.5)), f.cell, f.pbc);
}

describe('cu-eam-demo ensemble (4 DeePMD-kit v3 .dp models)', () => {
  const files = [0, 1, 2, 3].map((k) => `models/cu-eam-demo/cu_eam_demo_${k}.dp`);
  it('loads and evaluates Cu55 and a periodic fcc cell with a small, finite deviation', async () => {
    const models = await Promise.all(files.map((f) => refModel(f)));
    for (const m of models) {
      expect(m.typeMap).toEqual(['Cu']);
      expect(m.descriptor.neuron).toEqual([16, 32, 64]);
    }
    const ens = new DpEnsembleCalculator(models, { trust: { lo: 0.05, hi: 0.15 }, onWarning: quiet });
    const cu55 = perturbed(icosahedron('Cu', 3), 0.1, 1);
    const r = ens.compute(cu55);
    for (const m of r.models) {
      expect(m.energy / 55).toBeGreaterThan(-4.0);
      expect(m.energy / 55).toBeLessThan(-2.0);
    }
    expect(r.deviation.max_devi_f).toBeGreaterThan(0);
    expect(r.deviation.max_devi_f).toBeLessThan(0.3);
    expect(['good', 'decent', 'poor']).toContain(r.deviation.class);
    // fcc 3×3×3 (a = 3.615 Å): every atom equivalent → zero net forces by symmetry.
    const a = 3.615, pos: number[] = [], sym: string[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) {
      for (const b of [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]) {
        pos.push((i + b[0]) * a, (j + b[1]) * a, (k + b[2]) * a);
        sym.push('Cu');
      }
    }
    const bulk = makeFrame(sym, pos, [3 * a, 0, 0, 0, 3 * a, 0, 0, 0, 3 * a], [true, true, true]);
    const rb = ens.compute(bulk);
    expect(Math.max(...Array.from(rb.forces, Math.abs))).toBeLessThan(1e-10);
    expect(rb.energy / 108).toBeLessThan(-3.0);
    expect(rb.virial[1]).toBeCloseTo(0, 9);
  });

  it('model 0 forces and virial equal finite differences on a perturbed Cu13', async () => {
    const calc = new DpCalculator(await refModel(files[0]), { onWarning: quiet });
    const f = perturbed(icosahedron('Cu', 2), 0.2, 3);
    const r = calc.compute(f);
    const fd = finiteDifferenceErrors((x) => calc.compute(x, { energyOnly: true }).energy, f, r.forces, r.virial);
    expect(fd.force).toBeLessThan(1e-7);
    expect(fd.virial).toBeLessThan(1e-6);
  });
});
