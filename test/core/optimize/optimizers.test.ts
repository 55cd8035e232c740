import { describe, expect, it } from 'vitest';
import { asAsync } from '../../../src/core/potentials/calculator.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { LennardJones } from '../../../src/core/potentials/lj.ts';
import { relax, relaxAsync, type OptimizerName } from '../../../src/core/optimize/relax.ts';
import { maxAtomForce } from '../../../src/core/optimize/fmax.ts';
import { cuEam, lj13, rattle } from './relax-cases.ts';

const OPTIMIZERS: OptimizerName[] = ['fire', 'lbfgs'];

describe.each(OPTIMIZERS)('%s', (optimizer) => {
  const eam = cuEam();
  const lj = new LennardJones({ epsilon: 1, sigma: 1 });

  it('relaxes a rattled Cu13 (EAM) below fmax, lowering the energy, recording every step', () => {
    const start = rattle(icosahedron('Cu', 2), 0.2, 1);
    const r = relax(start, eam, { optimizer, fmax: 0.01, maxSteps: 500 });
    expect(r.converged).toBe(true);
    expect(r.fmax).toBeLessThan(0.01);
    expect(maxAtomForce(eam.compute(r.final).forces)).toBeLessThan(0.01);
    expect(r.frames.length).toBe(r.steps + 1);
    expect(r.energies.length).toBe(r.frames.length);
    expect(r.energy).toBeLessThan(r.energies[0]);
    expect(r.frames[0].info.energy).toBe(r.energies[0]);
    expect(r.frames[3].arrays.forces.length).toBe(39);
  });

  it('relaxes a rattled Cu55 (EAM) below fmax = 0.05 eV/Å', () => {
    const start = rattle(icosahedron('Cu', 3), 0.15, 2);
    const r = relax(start, eam, { optimizer, fmax: 0.05, maxSteps: 1000 });
    expect(r.converged).toBe(true);
    // The Mackay icosahedron is a minimum of Cu_u3: the rattled one relaxes back near it.
    expect(r.energy).toBeLessThan(eam.compute(start).energy);
  });

  it('relaxes a rattled LJ13 to the global minimum −44.326801 ε', () => {
    const r = relax(lj13(3), lj, { optimizer, fmax: 1e-4, maxSteps: 2000 });
    expect(r.converged).toBe(true);
    expect(r.energy).toBeCloseTo(-44.326801, 5);
  });

  it('keeps fixed atoms in place', () => {
    const start = rattle(icosahedron('Cu', 3), 0.15, 4);
    const fixed = [0, 5, 17, 40];
    const r = relax(start, eam, { optimizer, fmax: 0.05, maxSteps: 1000, fixed });
    expect(r.converged).toBe(true);
    for (const f of r.frames) for (const i of fixed) for (let d = 0; d < 3; d++) expect(f.positions[3 * i + d]).toBe(start.positions[3 * i + d]);
    // Free atoms moved, and only free-atom forces count towards fmax.
    expect(r.final.positions[3]).not.toBe(start.positions[3]);
    const f = eam.compute(r.final).forces;
    expect(maxAtomForce(f, Uint8Array.from({ length: 55 }, (_, i) => (fixed.includes(i) ? 1 : 0)))).toBeLessThan(0.05);
  });

  it('relaxAsync gives the same trajectory with an asynchronous calculator', async () => {
    const start = rattle(icosahedron('Cu', 2), 0.2, 6);
    const a = relax(start, eam, { optimizer, fmax: 0.01 });
    const b = await relaxAsync(start, asAsync(eam), { optimizer, fmax: 0.01 });
    // (Equal up to round-off: the EAM neighbour-list cache may or may not be reused between runs.)
    expect(b.energies.length).toBe(a.energies.length);
    for (let k = 0; k < a.energies.length; k++) expect(Math.abs(b.energies[k] - a.energies[k])).toBeLessThan(1e-9);
  });

  it('stops at maxSteps without claiming convergence', () => {
    const r = relax(rattle(icosahedron('Cu', 3), 0.3, 5), eam, { optimizer, fmax: 1e-6, maxSteps: 5 });
    expect(r.converged).toBe(false);
    expect(r.steps).toBe(5);
    expect(r.frames.length).toBe(6);
  });
});
