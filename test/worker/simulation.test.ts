import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Simulation } from '../../src/worker/simulation.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { loadDpModel } from '../../src/core/potentials/dp/load.ts';
import { DpEnsembleCalculator } from '../../src/core/potentials/dp/ensemble.ts';
import { ROOT } from '../helpers/refdata.ts';

async function demoEnsemble() {
  const models = await Promise.all([0, 1, 2, 3].map((k) => {
    const name = `cu_eam_demo_${k}.dp`;
    return loadDpModel(new Uint8Array(readFileSync(`${ROOT}/public/models/${name}`)), name);
  }));
  return new DpEnsembleCalculator(models);
}

describe('studio simulation (CPU path)', () => {
  it('runs NVT MD of Cu13 with the demo ensemble: atoms move, deviation per atom, deterministic per seed', async () => {
    const calc = await demoEnsemble();
    const start = icosahedron('Cu', 2);
    const a = new Simulation(start, calc, { temperatureK: 800, seed: 7 });
    const s1 = await a.advance(5);
    expect(s1.step).toBe(5);
    let moved = 0;
    for (let k = 0; k < s1.positions.length; k++) moved = Math.max(moved, Math.abs(s1.positions[k] - start.positions[k]));
    expect(moved).toBeGreaterThan(1e-3);
    expect(s1.atomicDeviF.length).toBe(13);
    expect(s1.maxDeviF).toBe(Math.max(...s1.atomicDeviF));
    expect(s1.maxDeviF).toBeGreaterThan(0);
    expect(['good', 'decent', 'poor']).toContain(s1.deviationClass);
    expect(s1.temperatureK).toBeGreaterThan(50);
    const s2 = await a.advance(5);
    expect(s2.step).toBe(10);
    expect(s2.atomicDeviF).not.toEqual(s1.atomicDeviF);

    const b = new Simulation(start, calc, { temperatureK: 800, seed: 7 });
    await b.advance(5);
    const t2 = await b.advance(5);
    expect(Array.from(t2.positions)).toEqual(Array.from(s2.positions));
  });

  it('stops with a clear error naming the step when the forces turn non-finite', async () => {
    const calc = await demoEnsemble();
    let calls = 0;
    // The real ensemble, except that from the 4th evaluation on one force component is NaN
    // (what a broken model or a GPU fault produces).
    const faulty = {
      implementedProperties: calc.implementedProperties,
      name: 'faulty',
      compute(frame: Parameters<typeof calc.compute>[0]) {
        const r = calc.compute(frame);
        if (++calls > 3) r.forces[4] = NaN;
        return r;
      },
    };
    const sim = new Simulation(icosahedron('Cu', 2), faulty, { temperatureK: 300 });
    await expect(sim.advance(50)).rejects.toThrow(/MD stopped at step 3: atom 1 has a non-finite velocity/);
  });
});
