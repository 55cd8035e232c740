import { describe, expect, it } from 'vitest';
import { makeFrame, masses, type Frame } from '../../../src/core/atoms.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { loadEamFile } from '../../../src/node/eam-file.ts';
import { LennardJones } from '../../../src/core/potentials/lj.ts';
import type { Calculator } from '../../../src/core/potentials/calculator.ts';
import { runMd } from '../../../src/core/md/run-md.ts';
import { initVerlet, verlet, verletStep, type VerletState } from '../../../src/core/md/verlet.ts';
import { angularMomentum, totalMomentum, withMaxwellBoltzmann } from '../../../src/core/md/velocities.ts';
import { refJson, refPath } from '../../helpers/refdata.ts';

/** Lennard-Jones parameters of copper (Halicioglu & Pound, Phys. Status Solidi A 30, 619 (1975)): ε eV, σ Å. */
const LJ_CU = { epsilon: 0.4093, sigma: 2.338 };
const lj13 = (): Frame => {
  const ref = refJson<{ construction_check: Record<string, { positions: number[][] }> }>('lj/lj_global_minima.json');
  return makeFrame(Array(13).fill('Cu'), ref.construction_check['13'].positions.flat().map((x) => x * LJ_CU.sigma));
};

/** Least-squares slope of y against x. */
function slope(x: number[], y: number[]): number {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; }
  return sxy / sxx;
}

/** Run NVE and return the total-energy series (eV) and times (ps). */
function nve(frame: Frame, calc: Calculator, dt: number, steps: number) {
  const s0 = initVerlet(frame, calc, { dt });
  const E: number[] = [], t: number[] = [];
  const res = runMd(verlet, s0, calc, { steps, saveEvery: steps, observer: (_s, info) => { E.push(info.totalEnergy); t.push(info.time / 1000); } });
  return { E, t, s0, s: res.state };
}

describe('velocity Verlet (NVE)', () => {
  it('Cu55 EAM (Cu_u3) at 300 K, dt = 1 fs, 5 ps: energy drift < 1e-6 eV/atom/ps, fluctuation < 6e-5 eV/atom', async () => {
    const calc = await loadEamFile(refPath('eam/Cu_u3.eam'));
    const { E, t, s0, s } = nve(withMaxwellBoltzmann(icosahedron('Cu', 3), 300, 1), calc, 1, 5000);
    const n = 55;
    const drift = slope(t, E) / n;
    const spread = (Math.max(...E) - Math.min(...E)) / n;
    console.log(`Cu55 EAM NVE: drift ${drift.toExponential(2)} eV/atom/ps, max−min ${spread.toExponential(2)} eV/atom`);
    expect(Math.abs(drift)).toBeLessThan(1e-6); // measured 4e-8
    expect(spread).toBeLessThan(6e-5); // measured 1.8e-5
    // momentum and angular momentum stay zero (they were removed at init)
    const m = masses(s.frame);
    expect(Math.hypot(...totalMomentum(m, s.frame.velocities!))).toBeLessThan(1e-10);
    expect(Math.hypot(...angularMomentum(m, s.frame.positions, s.frame.velocities!))).toBeLessThan(1e-9);
    expect(s0.dof).toBe(3 * 55 - 6);
  });

  it('LJ13 (copper LJ parameters) at 600 K: energy error shrinks as dt² (second order)', () => {
    const calc = new LennardJones(LJ_CU);
    const f = withMaxwellBoltzmann(lj13(), 600, 2);
    const err = [4, 2, 1].map((dt) => {
      const { E } = nve(f, calc, dt, 4000 / dt);
      return Math.max(...E.map((e) => Math.abs(e - E[0])));
    });
    console.log(`LJ13 NVE max |E − E0| for dt = 4, 2, 1 fs: ${err.map((e) => e.toExponential(2)).join(', ')}`);
    // ratio 4 for an exact second-order method; accept 2.5–6 for finite-step noise
    for (const [a, b] of [[err[0], err[1]], [err[1], err[2]]]) {
      expect(a / b).toBeGreaterThan(2.5);
      expect(a / b).toBeLessThan(6);
    }
  });

  it('is time-reversible: forward N steps, flip v, N steps back returns to the start', () => {
    const calc = new LennardJones(LJ_CU);
    let s: VerletState = initVerlet(withMaxwellBoltzmann(lj13(), 600, 3), calc, { dt: 2 });
    const x0 = new Float64Array(s.frame.positions);
    for (let i = 0; i < 500; i++) s = verletStep(s, calc);
    const flipped = { ...s, frame: { ...s.frame, velocities: s.frame.velocities!.map((v) => -v) } };
    s = flipped;
    for (let i = 0; i < 500; i++) s = verletStep(s, calc);
    const err = Math.max(...Array.from(x0, (x, k) => Math.abs(x - s.frame.positions[k])));
    expect(err).toBeLessThan(1e-8);
  });

  it('states are values: a step does not modify its input state', () => {
    const calc = new LennardJones(LJ_CU);
    const s0 = initVerlet(withMaxwellBoltzmann(lj13(), 300, 4), calc, { dt: 1 });
    const x = new Float64Array(s0.frame.positions), v = new Float64Array(s0.frame.velocities!), F = new Float64Array(s0.forces);
    verletStep(s0, calc);
    expect(Array.from(s0.frame.positions)).toEqual(Array.from(x));
    expect(Array.from(s0.frame.velocities!)).toEqual(Array.from(v));
    expect(Array.from(s0.forces)).toEqual(Array.from(F));
    expect(() => verlet.complete(s0, calc.compute(s0.frame))).toThrow(/not advanced/);
  });
});
