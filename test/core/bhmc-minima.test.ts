import { describe, expect, it } from 'vitest';
import { MinimaIndex } from '../../src/core/bhmc-minima.ts';
import { bhmcInit, bhmcPending, bhmcStep, runBhmc, BHMC_LBFGS, type BhmcParams } from '../../src/core/bhmc.ts';
import { LennardJones } from '../../src/core/potentials/lj.ts';
import { relax } from '../../src/core/optimize/relax.ts';
import { Rng } from '../../src/core/random.ts';
import { lj13 } from './optimize/relax-cases.ts';

interface M { energy: number; fingerprint: Float64Array; id: number }
const fp = (...x: number[]) => Float64Array.from(x);

describe('MinimaIndex (energy grid)', () => {
  it('finds a minimum within both tolerances and keeps distinct ones apart', () => {
    const ix = new MinimaIndex<M>(0.01, 0.05);
    const a: M = { energy: -10.0, fingerprint: fp(1, 2, 3), id: 0 };
    ix.add(a);
    expect(ix.find(-10.009, fp(1.04, 2, 2.96))).toBe(a); // across a bin edge (−10.009 is in the next bin down)
    expect(ix.find(-9.991, fp(1, 2, 3))).toBe(a);
    expect(ix.find(-10.02, fp(1, 2, 3))).toBeNull(); // energy too far
    expect(ix.find(-10.0, fp(1, 2, 3.06))).toBeNull(); // structure differs
    expect(ix.find(-10.0, fp(1, 2))).toBeNull(); // other size
    expect(ix.best()).toBe(a);
  });

  it('moves an improved minimum to its new bin and tracks the lowest', () => {
    const ix = new MinimaIndex<M>(0.01, 0.05);
    const a: M = { energy: -10.0, fingerprint: fp(1, 2, 3), id: 0 };
    const b: M = { energy: -9.5, fingerprint: fp(1, 2, 4), id: 1 };
    ix.add(a); ix.add(b);
    ix.update(a, -10.05, fp(1, 2, 3.01));
    expect(ix.find(-10.05, fp(1, 2, 3.01))).toBe(a);
    expect(ix.find(-10.0, fp(1, 2, 3))).toBeNull();
    expect(ix.best()).toBe(a);
    expect(a.energy).toBe(-10.05);
  });

  it('does not compare against more minima as thousands are stored', () => {
    const ix = new MinimaIndex<M>(0.01, 0.02);
    const rng = new Rng(3);
    const count = () => {
      const before = ix.comparisons;
      for (let q = 0; q < 200; q++) ix.find(-170 + 20 * rng.uniform(), fp(rng.uniform(), 2, 3));
      return (ix.comparisons - before) / 200;
    };
    for (let k = 0; k < 200; k++) ix.add({ energy: -170 + 20 * rng.uniform(), fingerprint: fp(rng.uniform(), 2, 3), id: k });
    const few = count();
    for (let k = 200; k < 5000; k++) ix.add({ energy: -170 + 20 * rng.uniform(), fingerprint: fp(rng.uniform(), 2, 3), id: k });
    const many = count();
    // 5000 minima over 2000 bins: ~7.5 candidates per lookup, against 5000 for a scan of the list.
    expect(many).toBeLessThan(15);
    expect(few).toBeLessThan(1);
  });

  it('rejects bad tolerances with a named error', () => {
    expect(() => new MinimaIndex(0, 0.1)).toThrow(/energy tolerance/);
    expect(() => new MinimaIndex(0.1, -1)).toThrow(/distance tolerance/);
  });
});

const lj = new LennardJones({ epsilon: 1, sigma: 1 });
const LJ13: Omit<BhmcParams, 'seed' | 'steps'> = {
  natoms: 13, kT: 0.8, stepSize: 0.4, fmax: 1e-3, optimizer: 'lbfgs',
  startDistances: { min: 0.9, lo: 1.0, hi: 1.5 }, evaporationDistance: 2.5,
};

describe('BHMC speed options', () => {
  it('BHMC L-BFGS settings (memory 10, scaled H0, energy check) relax LJ13 to the global minimum', () => {
    const r = relax(lj13(3), lj, { optimizer: 'lbfgs', fmax: 1e-4, maxSteps: 2000, lbfgs: BHMC_LBFGS });
    expect(r.converged).toBe(true);
    expect(r.energy).toBeCloseTo(-44.326801, 5);
    // The energy check: no recorded point lies above the lowest point before it by more than a retry allows.
    let low = r.energies[0];
    for (const e of r.energies) low = Math.min(low, e);
    expect(r.energy).toBe(low);
  });

  it('relaxing without recording takes the same steps to the same minimum', () => {
    const a = relax(lj13(5), lj, { optimizer: 'lbfgs', fmax: 1e-4, lbfgs: BHMC_LBFGS });
    const b = relax(lj13(5), lj, { optimizer: 'lbfgs', fmax: 1e-4, lbfgs: BHMC_LBFGS, record: false });
    expect(b.steps).toBe(a.steps);
    expect(b.frames.length).toBe(1);
    expect(b.energy).toBe(a.energy);
    expect(Array.from(b.final.positions)).toEqual(Array.from(a.final.positions));
  });

  it('without trajectories the run is the same (energies, minima) and keeps no path', () => {
    const a = runBhmc(lj, { ...LJ13, seed: 2, steps: 12 });
    const b = runBhmc(lj, { ...LJ13, seed: 2, steps: 12, keepTrajectories: false });
    expect(b.trajectories.length).toBe(0);
    expect(b.trials.map((t) => t.energy)).toEqual(a.trials.map((t) => t.energy));
    expect(b.minima.map((m) => m.energy)).toEqual(a.minima.map((m) => m.energy));
    expect(b.evaluations).toBe(a.evaluations);
  });

  it('adaptive step: grows when (nearly) everything is accepted, shrinks when (nearly) nothing is', () => {
    const steps = (kT: number) => {
      const st = bhmcInit({ ...LJ13, kT, seed: 4, steps: 20, adaptiveStep: { interval: 10, target: 0.5, factor: 0.9 }, keepTrajectories: false });
      for (let f = bhmcPending(st); f; f = bhmcPending(st)) bhmcStep(st, lj.compute(f));
      return { step: st.stepSize, ratio: st.accepted / st.trial };
    };
    const hot = steps(100);
    expect(hot.ratio).toBeGreaterThan(0.5);
    expect(hot.step).toBeCloseTo(0.4 / 0.81, 12);
    const cold = steps(0);
    expect(cold.ratio).toBeLessThan(0.5);
    expect(cold.step).toBeCloseTo(0.4 * 0.81, 12);
    // Off by default: the step stays put.
    const st = bhmcInit({ ...LJ13, seed: 4, steps: 20 });
    for (let f = bhmcPending(st); f; f = bhmcPending(st)) bhmcStep(st, lj.compute(f));
    expect(st.stepSize).toBe(0.4);
    expect(() => bhmcInit({ ...LJ13, seed: 1, steps: 1, adaptiveStep: { interval: 0, target: 0.5, factor: 0.9 } })).toThrow(/adaptive step/);
  });
});
