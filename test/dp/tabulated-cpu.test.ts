import { describe, expect, it } from 'vitest';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { readDpModelFile } from '../../src/node/dp-file.ts';
import { DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import { refPath } from '../helpers/refdata.ts';

describe('CPU tabulated embedding (compressed-model analogue, opt-in)', async () => {
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
    const coarse = new DpEvaluator(model, { tabulate: { step: 0.2 } });
    const f = icosahedron('Cu', 3);
    const d = Math.abs(coarse.evaluate(f).energy - exact.evaluate(f).energy);
    expect(coarse.tableError).toBeGreaterThan(tab.tableError * 100);
    expect(d).toBeGreaterThan(0);
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
