import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/worker/simulation.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { bulk, repeatFrame } from '../../src/core/build/index.ts';
import { demoEnsemble } from './demo-ensemble.ts';

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

  it('NVE conserves E_tot; Nosé–Hoover conserves its extended energy (Cu13, 40 steps of 1 fs)', async () => {
    const calc = await demoEnsemble();
    for (const ensemble of ['nve', 'nose-hoover'] as const) {
      const sim = new Simulation(icosahedron('Cu', 2), calc, { ensemble, temperatureK: 500, dtFs: 1, seed: 3 });
      const s0 = await sim.snapshot();
      const s1 = await sim.advance(40);
      expect(s1.step).toBe(40);
      const drift = Math.abs(s1.conservedEnergy - s0.conservedEnergy);
      // Kinetic energy moved around (something happened), the conserved quantity stayed.
      expect(Math.abs(s1.kineticEnergy - s0.kineticEnergy)).toBeGreaterThan(20 * drift);
      expect(drift).toBeLessThan(2e-3);
    }
  });

  it('a live temperature change retargets the thermostat at once (Langevin and Nosé–Hoover)', async () => {
    const calc = await demoEnsemble();
    for (const ensemble of ['langevin', 'nose-hoover'] as const) {
      const sim = new Simulation(icosahedron('Cu', 2), calc, { ensemble, temperatureK: 300, frictionPerFs: 0.05, tauTFs: 20, seed: 5 });
      await sim.advance(10);
      sim.setTemperature(1500);
      expect(sim.parameters.temperatureK).toBe(1500);
      let hot = 0;
      for (let k = 0; k < 6; k++) hot = Math.max(hot, (await sim.advance(25)).temperatureK);
      expect(hot).toBeGreaterThan(700); // heated well above the old 300 K target within 150 fs
    }
  });

  it('NPT on a periodic fcc cell changes the volume; on an open cluster it is a named error; NVE refuses a temperature change', async () => {
    const calc = await demoEnsemble();
    const cell = repeatFrame(bulk('Cu', 'fcc', { cubic: true }), [2, 2, 2]);
    const sim = new Simulation(cell, calc, { ensemble: 'npt', temperatureK: 600, pressureBar: 10000, tauPFs: 200, dtFs: 2, seed: 2 });
    const s0 = await sim.snapshot();
    const s1 = await sim.advance(30);
    expect(s0.volumeA3).toBeGreaterThan(0);
    expect(s1.cell).toBeDefined();
    expect(Math.abs(s1.volumeA3! - s0.volumeA3!)).toBeGreaterThan(1e-3);
    expect(() => new Simulation(icosahedron('Cu', 2), calc, { ensemble: 'npt' })).toThrow(/NPT needs a cell periodic/);
    const nve = new Simulation(icosahedron('Cu', 2), calc, { ensemble: 'nve' });
    expect(() => nve.setTemperature(900)).toThrow(/NVE has no thermostat/);
    expect(() => new Simulation(icosahedron('Cu', 2), calc, { dtFs: -1 })).toThrow(/time step/);
  });
});
