// The heating-ladder driver (worker/melting-run.ts) on the float64 CPU Simulation with EAM Cu13:
// the state is read back only on sampled steps, the ladder's points match a step-by-step
// bookkeeping of the same trajectory, and stop() ends the ladder inside a rung, keeping the
// finished rungs.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { Eam } from '../../src/core/potentials/eam.ts';
import { MeltingLadder } from '../../src/core/analysis/melting.ts';
import { Simulation } from '../../src/worker/simulation.ts';
import { MeltingRun, meltingSimParams, type MeltingRunParams } from '../../src/worker/melting-run.ts';
import { refPath } from '../helpers/refdata.ts';
import { countingRunner } from '../helpers/counting-runner.ts';

const eam = () => Eam.fromText(readFileSync(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8'), 'Cu_mishin1.eam.alloy');

describe('MeltingLadder chunked stepping', () => {
  it('says how far the next sample or rung end is, and refuses to skip a sampled step', () => {
    const l = new MeltingLadder(13, { temperaturesK: [100, 200], equilibrationSteps: 7, samplingSteps: 25, sampleEvery: 10 });
    expect(l.stepsToNextEvent()).toBe(17); // first sample: step 17 of the rung
    expect(l.sampledAfter(17)).toBe(true);
    expect(l.sampledAfter(16)).toBe(false);
    expect(() => l.advance(18)).toThrow(/1–17 steps/);
    expect(() => l.advance(17)).toThrow(/must be reported/);
    l.advance(5);
    expect(l.stepsToNextEvent()).toBe(12);
  });
});

describe('MeltingRun on the CPU Simulation (EAM Cu13)', () => {
  const params: MeltingRunParams = { temperaturesK: [300, 900], equilibrationSteps: 15, samplingSteps: 25, sampleEvery: 10, dtFs: 2, seed: 4 };

  it('reads the state back only on sampled steps; points equal a step-by-step ladder of the same trajectory', async () => {
    const f = icosahedron('Cu', 2);
    const runner = countingRunner(new Simulation(f, eam(), meltingSimParams(params)));
    const rungs: number[] = [];
    const r = await new MeltingRun(runner, { natoms: 13 }, params, { onRung: (p) => rungs.push(p.targetK) }).loop();
    expect(rungs).toEqual([300, 900]);
    expect(r.cancelled).toBe(false);
    expect(r.steps).toBe(80);
    // Samples at steps 25 and 35 of each 40-step rung (the rung's last 5 steps are not sampled).
    expect(runner.snapshotsAt).toEqual([25, 35, 65, 75]);

    // The same seeded trajectory stepped one step at a time, every state reported.
    const ref = new Simulation(f, eam(), meltingSimParams(params));
    const ladder = new MeltingLadder(13, params);
    while (!ladder.done) {
      ref.setTemperature(ladder.targetK!);
      await ref.run(1);
      const s = await ref.snapshot();
      ladder.observe({ positions: s.positions, potentialEnergy: s.potentialEnergy, kineticEnergy: s.kineticEnergy, temperatureK: s.temperatureK });
    }
    for (let k = 0; k < 2; k++) {
      expect(r.points[k].samples).toBe(2);
      expect(r.points[k].potentialEnergyPerAtom).toBe(ladder.points[k].potentialEnergyPerAtom);
      expect(r.points[k].lindemann).toBe(ladder.points[k].lindemann);
      expect(r.points[k].meanTemperatureK).toBe(ladder.points[k].meanTemperatureK);
    }
  });

  it('stop() acts inside a rung: the ladder ends after the chunk in flight with the finished rungs kept', async () => {
    const long: MeltingRunParams = { ...params, temperaturesK: [300, 600, 900, 1200], equilibrationSteps: 2000, samplingSteps: 4000 };
    const runner = new Simulation(icosahedron('Cu', 2), eam(), meltingSimParams(long));
    let run: MeltingRun | undefined;
    const seen: number[] = [];
    // Stop as soon as the second rung has begun (progress past the first rung's 6000 steps).
    run = new MeltingRun(runner, { natoms: 13 }, long, {
      onRung: (p) => seen.push(p.targetK),
      onProgress: (x) => { if (x > 0.25) run!.stop(); },
    }, { chunkMs: 20 });
    const r = await run.loop();
    expect(r.cancelled).toBe(true);
    expect(seen).toEqual([300]);
    expect(r.points.map((p) => p.targetK)).toEqual([300]);
    expect(r.steps).toBeGreaterThan(6000);
    expect(r.steps).toBeLessThan(12000); // well inside the second rung
    expect(r.estimate.fromEnergyK).toBeNull();
  });
});
