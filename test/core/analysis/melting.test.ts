import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MeltingLadder, estimateMelting, runMeltingLadder } from '../../../src/core/analysis/melting.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { Eam } from '../../../src/core/potentials/eam.ts';
import { refPath } from '../../helpers/refdata.ts';

describe('melting estimate', () => {
  it('finds the jump of a piecewise-linear E(T) and interpolates the Lindemann crossing', () => {
    const T = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1100];
    const pts = T.map((t, i) => ({
      meanTemperatureK: t,
      // slope 3kB-like below, a 0.04 eV/atom jump between 600 and 700 K, small wiggle
      potentialEnergyPerAtom: -3.5 + 2.6e-4 * t + (t > 650 ? 0.04 + 0.5e-4 * (t - 650) : 0) + 1e-4 * Math.sin(i * 1.7),
      lindemann: t < 650 ? 0.02 + 1e-5 * t : 0.2,
    }));
    const e = estimateMelting(pts);
    expect(e.bracketK).toEqual([600, 700]);
    expect(e.fromEnergyK).toBe(650);
    expect(e.latentHeatPerAtom!).toBeGreaterThan(0.035);
    expect(e.latentHeatPerAtom!).toBeLessThan(0.045);
    // δ(600) = 0.026, δ(700) = 0.2 → crosses 0.1 at 600 + 100·(0.1−0.026)/(0.2−0.026)
    expect(e.fromLindemannK!).toBeCloseTo(600 + (100 * (0.1 - 0.026)) / (0.2 - 0.026), 9);
  });

  it('says it cannot estimate from too few points, and validates the ladder', () => {
    expect(estimateMelting([{ meanTemperatureK: 100, potentialEnergyPerAtom: -3, lindemann: 0.01 }]).fromEnergyK).toBeNull();
    expect(() => new MeltingLadder(13, { temperaturesK: [100, -5], equilibrationSteps: 1, samplingSteps: 20 })).toThrow(/temperature 1 must be > 0 K/);
    expect(() => new MeltingLadder(13, { temperaturesK: [100], equilibrationSteps: 1, samplingSteps: 5, sampleEvery: 10 })).toThrow(/at least 2 samples/);
  });

  it('Cu13 (EAM Mishin): solid at 100 K, liquid-like at 1400 K; energy rises with T', () => {
    const eam = Eam.fromText(readFileSync(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8'), 'Cu_mishin1.eam.alloy');
    const { ladder } = runMeltingLadder(icosahedron('Cu', 2), eam, {
      temperaturesK: [100, 1400], equilibrationSteps: 1500, samplingSteps: 3000, sampleEvery: 10, dtFs: 2, frictionPerFs: 0.02, seed: 3,
    });
    const [cold, hot] = ladder.points;
    expect(cold.samples).toBe(300);
    expect(Math.abs(cold.meanTemperatureK - 100)).toBeLessThan(30);
    expect(cold.lindemann).toBeLessThan(0.05);
    expect(hot.lindemann).toBeGreaterThan(0.1);
    expect(hot.potentialEnergyPerAtom).toBeGreaterThan(cold.potentialEnergyPerAtom + 0.1);
  });
});
