/**
 * Canonical sampling: for f kinetic degrees of freedom at temperature T the kinetic energy is
 * Gamma-distributed with shape k = f/2 and scale k_B T, so
 *   ⟨K⟩ = (f/2) k_B T,   Var(K) = (f/2) (k_B T)²,   Var((K − ⟨K⟩)²) = Var(K)² (2 + 6/k).
 * Each thermostat runs LJ13 (copper LJ parameters) at 600 K; the tolerance is 4 standard errors
 * computed from the theoretical spreads and the number of decorrelated samples
 * n_eff = n / (2 τ_int) of the K series and of the (K − ⟨K⟩)² series.
 */
import { describe, expect, it } from 'vitest';
import { makeFrame, type Frame } from '../../../src/core/atoms.ts';
import { LennardJones } from '../../../src/core/potentials/lj.ts';
import { initBerendsen, berendsen } from '../../../src/core/md/berendsen.ts';
import { initCsvr, csvr } from '../../../src/core/md/csvr.ts';
import { initLangevin, langevin } from '../../../src/core/md/langevin.ts';
import { initNoseHooverChain, noseHooverChain } from '../../../src/core/md/nose-hoover-chain.ts';
import { runMd } from '../../../src/core/md/run-md.ts';
import type { Integrator, MdState } from '../../../src/core/md/state.ts';
import { withMaxwellBoltzmann } from '../../../src/core/md/velocities.ts';
import { KB_EV_PER_K } from '../../../src/core/units.ts';
import { refJson } from '../../helpers/refdata.ts';
import { effectiveSamples, mean, variance } from './stats.ts';

const LJ_CU = { epsilon: 0.4093, sigma: 2.338 };
const T = 600;
const DT = 2;
const STEPS = 150_000;
const EQUIL = 10_000;
const calc = new LennardJones(LJ_CU);

function lj13(): Frame {
  const ref = refJson<{ construction_check: Record<string, { positions: number[][] }> }>('lj/lj_global_minima.json');
  return withMaxwellBoltzmann(makeFrame(Array(13).fill('Cu'), ref.construction_check['13'].positions.flat().map((x) => x * LJ_CU.sigma)), T, 5);
}

interface KineticStats { f: number; meanK: number; varK: number; seMean: number; seVar: number; expMean: number; expVar: number }

function sampleKinetic<S extends MdState>(integrator: Integrator<S>, s0: S): KineticStats {
  const K: number[] = [];
  runMd(integrator, s0, calc, { steps: STEPS, saveEvery: STEPS, observer: (s, info) => { if (s.step > EQUIL) K.push(info.kineticEnergy); } });
  const f = s0.dof;
  const kt = KB_EV_PER_K * T;
  const expMean = (f / 2) * kt;
  const expVar = (f / 2) * kt * kt;
  const sq = K.map((k) => (k - expMean) ** 2);
  return {
    f,
    meanK: mean(K),
    varK: variance(K),
    expMean,
    expVar,
    seMean: Math.sqrt(expVar / effectiveSamples(K)),
    seVar: expVar * Math.sqrt((2 + 12 / f) / effectiveSamples(sq)),
  };
}

function expectCanonical(name: string, st: KineticStats): void {
  const tMean = (2 * st.meanK) / (st.f * KB_EV_PER_K);
  console.log(
    `${name}: f=${st.f} <T>=${tMean.toFixed(2)} K (±${((2 * st.seMean) / (st.f * KB_EV_PER_K)).toFixed(2)}), ` +
      `Var(K)/expected=${(st.varK / st.expVar).toFixed(4)} (±${(st.seVar / st.expVar).toFixed(4)})`,
  );
  expect(Math.abs(st.meanK - st.expMean)).toBeLessThan(4 * st.seMean);
  expect(Math.abs(st.varK - st.expVar)).toBeLessThan(4 * st.seVar);
  // the test must be able to see a wrong ensemble: the error bar is below 15 % of Var(K)
  expect(st.seVar / st.expVar).toBeLessThan(0.15 / 4);
}

describe('thermostats sample the canonical kinetic-energy distribution (LJ13, 600 K)', () => {
  it('Langevin BAOAB (f = 3N − 3 with the centre of mass fixed)', () => {
    const st = sampleKinetic(langevin, initLangevin(lj13(), calc, { dt: DT, temperatureK: T, frictionPerFs: 0.02, seed: 11 }));
    expect(st.f).toBe(36);
    expectCanonical('Langevin', st);
  });

  it('Nosé–Hoover chain M = 3 (f = 3N − 6 for a cluster)', () => {
    const st = sampleKinetic(noseHooverChain, initNoseHooverChain(lj13(), calc, { dt: DT, temperatureK: T, tauFs: 100 }));
    expect(st.f).toBe(33);
    expectCanonical('NHC', st);
  });

  it('CSVR (f = 3N − 6 for a cluster)', () => {
    const st = sampleKinetic(csvr, initCsvr(lj13(), calc, { dt: DT, temperatureK: T, tauFs: 50, seed: 12 }));
    expect(st.f).toBe(33);
    expectCanonical('CSVR', st);
  });

  it('Berendsen reaches T but suppresses the fluctuations (not canonical, as documented)', () => {
    const s0 = initBerendsen(lj13(), calc, { dt: DT, temperatureK: T, tauFs: 50 });
    const K: number[] = [];
    runMd(berendsen, s0, calc, { steps: 40_000, saveEvery: 40_000, observer: (s, info) => { if (s.step > 5000) K.push(info.kineticEnergy); } });
    const kt = KB_EV_PER_K * T;
    const tMean = (2 * mean(K)) / (s0.dof * KB_EV_PER_K);
    console.log(`Berendsen: <T>=${tMean.toFixed(2)} K, Var(K)/canonical=${(variance(K) / ((s0.dof / 2) * kt * kt)).toFixed(3)}`);
    expect(Math.abs(tMean - T)).toBeLessThan(0.05 * T);
    expect(variance(K) / ((s0.dof / 2) * kt * kt)).toBeLessThan(0.7);
  });
});
