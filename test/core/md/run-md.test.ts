import { describe, expect, it } from 'vitest';
import { makeFrame, type Frame } from '../../../src/core/atoms.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { asAsync, type Calculator, type CalcResult } from '../../../src/core/potentials/calculator.ts';
import { LennardJones } from '../../../src/core/potentials/lj.ts';
import { initCsvr, csvr } from '../../../src/core/md/csvr.ts';
import { initLangevin, langevin, type LangevinState } from '../../../src/core/md/langevin.ts';
import { initNoseHooverChain, noseHooverChain } from '../../../src/core/md/nose-hoover-chain.ts';
import { MdExplosionError, runMd } from '../../../src/core/md/run-md.ts';
import { stepWith, stepWithAsync, type Integrator, type MdState } from '../../../src/core/md/state.ts';
import { initVerlet, verlet } from '../../../src/core/md/verlet.ts';
import { withMaxwellBoltzmann } from '../../../src/core/md/velocities.ts';
import { refJson } from '../../helpers/refdata.ts';

const LJ_CU = { epsilon: 0.4093, sigma: 2.338 };
const calc = new LennardJones(LJ_CU);
const lj13 = (T = 300, seed = 1): Frame => {
  const ref = refJson<{ construction_check: Record<string, { positions: number[][] }> }>('lj/lj_global_minima.json');
  return withMaxwellBoltzmann(makeFrame(Array(13).fill('Cu'), ref.construction_check['13'].positions.flat().map((x) => x * LJ_CU.sigma)), T, seed);
};

describe('runMd driver', () => {
  it('saves the initial frame and every K-th step, with velocities, forces, step, time, energies', () => {
    const r = runMd(verlet, initVerlet(lj13(), calc, { dt: 1 }), calc, { steps: 25, saveEvery: 10 });
    expect(r.frames.map((f) => f.info!.step)).toEqual([0, 10, 20]);
    expect(r.frames[2].info!.time_fs).toBe(20);
    expect(r.frames[1].arrays.velocities.length).toBe(39);
    expect(r.frames[1].arrays.forces.length).toBe(39);
    expect(r.state.step).toBe(25);
  });

  it('a too-large time step blows up with MdExplosionError keeping the frames already computed', () => {
    const s0 = initVerlet(withMaxwellBoltzmann(icosahedron('Cu', 3), 300, 1), calc, { dt: 40 });
    let err: unknown;
    try {
      runMd(verlet, s0, calc, { steps: 500, saveEvery: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MdExplosionError);
    const ex = err as MdExplosionError;
    expect(ex.message).toMatch(/MD blew up at step \d+/);
    expect(ex.frames.length).toBe(ex.step + 1); // initial + one per step, the last is the failing one
    expect(ex.frames[0].info!.step).toBe(0);
    expect(ex.frames.at(-1)!.info!.step).toBe(ex.step);
  });

  it('detects a temperature above 10× the target and non-finite energies', () => {
    // a hot start under a weak thermostat: T ≈ 30× target at once
    const hot = initCsvr(lj13(3000), calc, { dt: 0.5, temperatureK: 100, tauFs: 1e6 });
    expect(() => runMd(csvr, hot, calc, { steps: 3 })).toThrow(/exceeds 10× the target 100 K/);
    // NVE has no target: the reference temperature (the one the velocities were drawn at) is used
    const nveHot = initVerlet(lj13(3000), calc, { dt: 0.5 });
    expect(() => runMd(verlet, nveHot, calc, { steps: 2, referenceTemperatureK: 100 })).toThrow(/exceeds 10× the reference 100 K/);
    expect(() => runMd(verlet, nveHot, calc, { steps: 2 })).not.toThrow();
    let calls = 0;
    const nan: Calculator = {
      name: 'NaN energy from the third call on',
      implementedProperties: calc.implementedProperties,
      compute(f: Frame): CalcResult {
        const r = calc.compute(f);
        return ++calls > 2 ? { ...r, energy: NaN } : r;
      },
    };
    expect(() => runMd(verlet, initVerlet(lj13(), nan, { dt: 1 }), nan, { steps: 5 })).toThrow(/potential energy is NaN/);
  });

  it('pausing (observer returns "stop") and resuming gives the same trajectory as one run', () => {
    const s0 = initLangevin(lj13(), calc, { dt: 2, temperatureK: 300, seed: 9 });
    const whole = runMd(langevin, s0, calc, { steps: 200 });
    const part = runMd(langevin, s0, calc, { steps: 200, observer: (s) => (s.step === 77 ? 'stop' : undefined) });
    expect(part.stopped).toBe(true);
    expect(part.state.step).toBe(77);
    // the state survives a JSON-like round trip of its random stream
    const resumedState: LangevinState = { ...part.state, rng: JSON.parse(JSON.stringify(part.state.rng)) };
    const rest = runMd(langevin, resumedState, calc, { steps: 123 });
    expect(Array.from(rest.state.frame.positions)).toEqual(Array.from(whole.state.frame.positions));
    expect(Array.from(rest.state.frame.velocities!)).toEqual(Array.from(whole.state.frame.velocities!));
  });

  it('an asynchronous calculator steps exactly like the synchronous one', async () => {
    const s0 = initNoseHooverChain(lj13(), calc, { dt: 2, temperatureK: 300 });
    const asyncCalc = asAsync(calc);
    let a = s0, b = s0;
    for (let i = 0; i < 20; i++) {
      a = stepWith(noseHooverChain, a, calc);
      b = await stepWithAsync(noseHooverChain, b, asyncCalc);
    }
    expect(Array.from(b.frame.positions)).toEqual(Array.from(a.frame.positions));
  });

  it('seeds make stochastic runs reproducible; different seeds differ', () => {
    const run = (seed: number) =>
      Array.from(runMd(csvr, initCsvr(lj13(), calc, { dt: 2, temperatureK: 300, seed, tauFs: 20 }), calc, { steps: 100 }).state.frame.positions);
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    const lan = (seed: number) => Array.from(runMd(langevin, initLangevin(lj13(), calc, { dt: 2, temperatureK: 300, seed }), calc, { steps: 100 }).state.frame.positions);
    expect(lan(1)).toEqual(lan(1));
    expect(lan(1)).not.toEqual(lan(2));
  });

  it('thermostatted runs conserve their extended energy (NHC, CSVR, Langevin) at dt = 1 fs', () => {
    const f = lj13(600, 4);
    const drifts = [
      runAndDrift(noseHooverChain, initNoseHooverChain(f, calc, { dt: 1, temperatureK: 600 })),
      runAndDrift(csvr, initCsvr(f, calc, { dt: 1, temperatureK: 600, seed: 3 })),
      runAndDrift(langevin, initLangevin(f, calc, { dt: 1, temperatureK: 600, seed: 3 })),
    ];
    console.log(`max |ΔH̃| over 10 ps (eV): NHC ${drifts[0].toExponential(2)}, CSVR ${drifts[1].toExponential(2)}, Langevin ${drifts[2].toExponential(2)}`);
    // NVE of the same system at the same dt fluctuates by ~5e-4 eV; allow 10×
    for (const d of drifts) expect(d).toBeLessThan(5e-3);
  });
});

function runAndDrift<S extends MdState>(integ: Integrator<S>, s0: S): number {
  const h0 = integ.conservedEnergy(s0);
  let worst = 0;
  runMd(integ, s0, calc, { steps: 10_000, saveEvery: 10_000, observer: (_s, info) => { worst = Math.max(worst, Math.abs(info.conservedEnergy - h0)); } });
  return worst;
}
