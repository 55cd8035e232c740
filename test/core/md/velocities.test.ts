import { describe, expect, it } from 'vitest';
import { makeFrame, masses } from '../../../src/core/atoms.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { angularMomentum, maxwellBoltzmannVelocities, removeAngularMomentum, totalMomentum } from '../../../src/core/md/velocities.ts';
import { degreesOfFreedom, kineticEnergy, pressure, temperature } from '../../../src/core/md/thermo.ts';
import { Rng } from '../../../src/core/random.ts';
import { AMU_A2_PER_FS2_IN_EV, KB_EV_PER_K } from '../../../src/core/units.ts';
import { fccCube } from '../../helpers/fcc.ts';

const norm = (v: number[]) => Math.hypot(...v);

describe('Maxwell–Boltzmann initial velocities', () => {
  it('cluster Cu55: zero momentum, zero angular momentum, exactly T with f = 3N − 6', () => {
    const f = icosahedron('Cu', 3);
    const m = masses(f);
    const v = maxwellBoltzmannVelocities(f, 300, 7);
    const p = totalMomentum(m, v);
    const L = angularMomentum(m, f.positions, v);
    // typical single-atom momentum is m·√(kT/m) ≈ 0.13 amu·Å/fs; demand 1e-12 of that
    expect(norm(p)).toBeLessThan(1e-12);
    expect(norm(L)).toBeLessThan(1e-11);
    expect(temperature(kineticEnergy(m, v), 3 * 55 - 6)).toBeCloseTo(300, 9);
  });

  it('periodic fcc: zero momentum, exactly T with f = 3N − 3, angular momentum left alone', () => {
    const f = fccCube(3, 3.61);
    const m = masses(f);
    const v = maxwellBoltzmannVelocities(f, 1200, new Rng(3));
    expect(norm(totalMomentum(m, v))).toBeLessThan(1e-12);
    expect(temperature(kineticEnergy(m, v), 3 * 108 - 3)).toBeCloseTo(1200, 9);
  });

  it('same seed ⇒ same velocities; other seed ⇒ others', () => {
    const f = icosahedron('Cu', 2);
    expect(Array.from(maxwellBoltzmannVelocities(f, 500, 11))).toEqual(Array.from(maxwellBoltzmannVelocities(f, 500, 11)));
    expect(Array.from(maxwellBoltzmannVelocities(f, 500, 12))).not.toEqual(Array.from(maxwellBoltzmannVelocities(f, 500, 11)));
  });

  it('draws each component from N(0, kT/m) before the exact rescaling', () => {
    // 1000-atom gas: the rescale factor √(T/T_drawn) must be within 5 standard errors of 1
    // (T_drawn/T ~ χ²_f / f with sd √(2/f)).
    const n = 1000;
    const f = makeFrame(Array(n).fill('Cu'), Array.from({ length: 3 * n }, (_, i) => (i % 3) * 0 + Math.floor(i / 3) * 3), [3 * n, 0, 0, 0, 10, 0, 0, 0, 10], [true, true, true]);
    const raw = maxwellBoltzmannVelocities(f, 300, 5, { exactTemperature: false });
    const tDrawn = temperature(kineticEnergy(masses(f), raw), 3 * n - 3);
    expect(Math.abs(tDrawn / 300 - 1)).toBeLessThan(5 * Math.sqrt(2 / (3 * n)));
  });

  it('a dimer keeps 1 degree of freedom (vibration), rotation removed', () => {
    const f = makeFrame(['Cu', 'Cu'], [0, 0, 0, 2.2, 0.3, 0.1]);
    const m = masses(f);
    const v = maxwellBoltzmannVelocities(f, 300, 1);
    expect(norm(angularMomentum(m, f.positions, v))).toBeLessThan(1e-13);
    expect(temperature(kineticEnergy(m, v), 1)).toBeCloseTo(300, 9);
    // the relative velocity is along the bond
    const d = [2.2, 0.3, 0.1], dv = [v[3] - v[0], v[4] - v[1], v[5] - v[2]];
    const cross = [d[1] * dv[2] - d[2] * dv[1], d[2] * dv[0] - d[0] * dv[2], d[0] * dv[1] - d[1] * dv[0]];
    expect(norm(cross)).toBeLessThan(1e-12);
  });

  it('removeAngularMomentum keeps the total momentum', () => {
    const f = icosahedron('Cu', 2);
    const m = masses(f);
    const r = new Rng(2);
    const v = Float64Array.from({ length: 39 }, () => r.normal() * 0.01);
    const p0 = totalMomentum(m, v);
    removeAngularMomentum(m, f.positions, v);
    const p1 = totalMomentum(m, v);
    for (let k = 0; k < 3; k++) expect(p1[k]).toBeCloseTo(p0[k], 13);
    expect(norm(angularMomentum(m, f.positions, v))).toBeLessThan(1e-13);
  });
});

describe('thermo: degrees of freedom, temperature, pressure', () => {
  it('counts 3N, 3N − 3, 3N − 6 (dimer 1, single atom 0)', () => {
    expect(degreesOfFreedom(10, { momentumFixed: false, angularFixed: false })).toBe(30);
    expect(degreesOfFreedom(10, { momentumFixed: true, angularFixed: false })).toBe(27);
    expect(degreesOfFreedom(10, { momentumFixed: true, angularFixed: true })).toBe(24);
    expect(degreesOfFreedom(2, { momentumFixed: true, angularFixed: true })).toBe(1);
    expect(degreesOfFreedom(1, { momentumFixed: true, angularFixed: true })).toBe(0);
  });
  it('T = 2K/(f k_B); ideal-gas pressure P V = 2K/3 (eV/Å³)', () => {
    const m = [63.546];
    const v = [0.01, 0, 0];
    const k = 0.5 * 63.546 * 1e-4 * AMU_A2_PER_FS2_IN_EV;
    expect(kineticEnergy(m, v)).toBeCloseTo(k, 15);
    expect(temperature(k, 3)).toBeCloseTo((2 * k) / (3 * KB_EV_PER_K), 10);
    expect(pressure(k, new Float64Array(9), 1000)).toBeCloseTo((2 * k) / 3000, 15);
  });
});
