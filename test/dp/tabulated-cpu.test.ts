import { describe, expect, it } from 'vitest';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { readDpModelFile } from '../../src/node/dp-file.ts';
import { DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import { refPath } from '../helpers/refdata.ts';
import { tableRange, type TabulateOptions } from '../../src/core/potentials/dp/tabulate.ts';
import { DpCalculator } from '../../src/core/potentials/dp/evaluator.ts';
import { DpEnsembleCalculator } from '../../src/core/potentials/dp/ensemble.ts';
import { refModel } from './helpers.ts';

describe('CPU tabulated embedding (compressed-model analogue; opt-in in core, the CLI/studio default)', async () => {
  const model = await readDpModelFile(refPath('models/cu-eam-demo/cu_eam_demo_0.dp'), { onWarning: () => {} });
  const exact = new DpEvaluator(model);
  const tab = new DpEvaluator(model, { tabulate: {} });

  it('matches the exact nets on a rattled Cu55 (energy, forces, virial) within the table error', () => {
    const f = icosahedron('Cu', 3);
    for (let k = 0; k < f.positions.length; k++) f.positions[k] += 0.1 * Math.sin(7 * k);
    const a = exact.evaluate(f), b = tab.evaluate(f);
    expect(tab.tableError).toBeGreaterThan(0);
    expect(tab.tableError).toBeLessThan(1e-9);
    expect(exact.tableError).toBe(0);
    expect(Math.abs(a.energy - b.energy)).toBeLessThan(1e-8);
    for (let k = 0; k < a.forces.length; k++) expect(Math.abs(a.forces[k] - b.forces[k])).toBeLessThan(1e-8);
    for (let k = 0; k < 9; k++) expect(Math.abs(a.virial[k] - b.virial[k])).toBeLessThan(1e-7);
    // Not the same code path: the results differ in the last digits.
    expect(b.energy).not.toBe(a.energy);
  });

  it('a coarse table is measurably less accurate (the table is really used)', () => {
    const coarse = new DpEvaluator(model, { tabulate: { step: 0.2, maxError: Infinity } });
    expect(coarse.tabulated).toBe(true);
    const f = icosahedron('Cu', 3);
    const d = Math.abs(coarse.evaluate(f).energy - exact.evaluate(f).energy);
    expect(coarse.tableError).toBeGreaterThan(tab.tableError * 100);
    expect(d).toBeGreaterThan(0);
  });

  it('reports whether the tables are used; tables above the error bound are dropped for the exact nets; names say which', () => {
    expect(tab.tabulated).toBe(true);
    expect(exact.tabulated).toBe(false);
    const f = icosahedron('Cu', 3);
    const coarse = new DpEvaluator(model, { tabulate: { step: 0.2, maxError: Infinity } });
    expect(coarse.tableError).toBeGreaterThan(1e-9);
    const bounded = new DpEvaluator(model, { tabulate: { step: 0.2 } });
    expect(bounded.tabulated).toBe(false);
    expect(bounded.tableError).toBe(coarse.tableError);
    expect(bounded.evaluate(f).energy).toBe(exact.evaluate(f).energy);
    expect(coarse.evaluate(f).energy).not.toBe(exact.evaluate(f).energy);
    const calc = (t?: TabulateOptions | false) => new DpCalculator(model, { name: 'm', tabulate: t, onWarning: () => {} });
    expect(calc().name).toBe('m');
    expect(calc(false).name).toBe('m · exact embedding nets');
    expect(calc({}).name).toBe('m · tabulated embedding');
    expect(calc({}).tabulated).toBe(true);
    expect(calc({ step: 0.2 }).name).toMatch(/^m · exact embedding nets \(table error \d\.\de-\d+ > 1e-9\)$/);
    const ens = new DpEnsembleCalculator([model, model], { name: 'e', tabulate: {}, onWarning: () => {} });
    expect(ens.tabulated).toBe(true);
    expect(ens.name).toBe('e · tabulated embedding');
    expect(new DpEnsembleCalculator([model, model], { name: 'e', onWarning: () => {} }).tabulated).toBe(false);
  });

  it('falls back to the exact net below the table (a pair closer than rmin)', () => {
    const f = icosahedron('Cu', 2);
    // Atom 0 halfway to atom 1: a pair at ~1.3 Å, below rmin = 2 Å (0.2× the way left it at 2.04 Å, inside the table).
    f.positions[0] = f.positions[3] * 0.5; f.positions[1] = f.positions[4] * 0.5; f.positions[2] = f.positions[5] * 0.5;
    const r01 = Math.hypot(f.positions[3] - f.positions[0], f.positions[4] - f.positions[1], f.positions[5] - f.positions[2]);
    expect(r01).toBeLessThan(2.0);
    const near = new DpEvaluator(model, { tabulate: { rmin: 2.0 } });
    const a = exact.evaluate(f), b = near.evaluate(f);
    expect(Math.abs(a.energy - b.energy)).toBeLessThan(1e-8);
  });
});

describe('tableRange (the one s-range of the CPU and GPU tables)', () => {
  it('covers, with a margin, the padding s and the s of a neighbour at rmin for every centre type and slot; two models give the union', async () => {
    const a = await refModel('models/cu-eam-demo/cu_eam_demo_0.dp');
    const b = await refModel('deepmd/cu_synthetic_se_e2_a.dp');
    const covers = (r: { lower: number; step: number; nint: number }, s: number) => s >= r.lower + r.step && s <= r.lower + (r.nint - 1) * r.step;
    for (const rmin of [1.0, 2.0]) {
      const ra = tableRange([a], { rmin }), rb = tableRange([b], { rmin }), rab = tableRange([a, b], { rmin });
      for (const [m, r] of [[a, ra], [b, rb], [a, rab], [b, rab]] as const) {
        const d = m.descriptor;
        for (let k = 0; k < m.ntypes * d.nnei; k++) {
          const avg = d.davg[4 * k], std = d.dstd[4 * k];
          expect(covers(r, -avg / std)).toBe(true);
          expect(covers(r, (1 / (rmin + d.envProtection) - avg) / std)).toBe(true);
        }
      }
      expect(rab.lower).toBe(Math.min(ra.lower, rb.lower));
      expect(rab.lower + rab.nint * rab.step).toBeGreaterThanOrEqual(Math.max(ra.lower + ra.nint * ra.step, rb.lower + rb.nint * rb.step) - 1e-12);
    }
    // A closer rmin reaches larger s (1/r grows): the table gets longer.
    expect(tableRange([a], { rmin: 0.5 }).nint).toBeGreaterThan(tableRange([a], { rmin: 1.0 }).nint);
    expect(() => tableRange([a], { step: 0 })).toThrow(/step > 0/);
  });
});
