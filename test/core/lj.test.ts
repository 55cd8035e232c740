import { describe, expect, it } from 'vitest';
import { makeFrame, type Frame } from '../../src/core/atoms.ts';
import { LennardJones, parseLennardJonesSpec } from '../../src/core/potentials/lj.ts';
import { refJson } from '../helpers/refdata.ts';
import { maxAbsDiff } from '../helpers/compare.ts';
import { fccCube, jittered } from '../helpers/fcc.ts';

interface LjRef {
  global_minima: Record<string, number>;
  construction_check: Record<string, { positions: number[][]; E_relaxed: number }>;
}
const ref = refJson<LjRef>('lj/lj_global_minima.json');

/** Argon-like parameters: ε in eV, σ in Å. */
const EPS = 0.0104;
const SIGMA = 3.4;

function scaled(n: string, s: number): Frame {
  const p = ref.construction_check[n].positions.flat().map((x) => x * s);
  return makeFrame(Array(p.length / 3).fill('Cu'), p);
}

/** fcc cubic supercell k×k×k of lattice constant a (Å), periodic, slightly jittered. */
function fccBulk(a: number, k: number, jitter = 0.05, seed = 1): Frame {
  let s = seed;
  return jittered(fccCube(k, a), () => ((s = (s * 16807) % 2147483647) / 2147483647 - 0.5) * 2 * jitter);
}

/** Central finite-difference forces, eV/Å. */
function fdForces(calc: LennardJones, f: Frame, h = 1e-5): Float64Array {
  const out = new Float64Array(f.positions.length);
  for (let i = 0; i < f.positions.length; i++) {
    const g = { ...f, positions: new Float64Array(f.positions) };
    g.positions[i] += h;
    const ep = calc.compute(g).energy;
    g.positions[i] -= 2 * h;
    const em = calc.compute(g).energy;
    out[i] = -(ep - em) / (2 * h);
  }
  return out;
}

/** Virial by central finite differences of the strain: W_ab = −∂E/∂ε_ab, deforming positions and cell by (I+ε). */
function fdVirial(calc: LennardJones, f: Frame, h = 1e-6): Float64Array {
  const w = new Float64Array(9);
  const strained = (a: number, b: number, e: number): Frame => {
    const m = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    m[3 * a + b] += e;
    // row vector r' = r (I + ε)ᵀ: r'_a = r_a + ε_ab r_b
    const tr = (v: ArrayLike<number>, n: number) => {
      const o = new Float64Array(3 * n);
      for (let i = 0; i < n; i++) for (let p = 0; p < 3; p++) for (let q = 0; q < 3; q++) o[3 * i + p] += m[3 * p + q] * v[3 * i + q];
      return o;
    };
    return { ...f, positions: tr(f.positions, f.positions.length / 3), cell: f.cell ? tr(f.cell, 3) : null };
  };
  for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) {
    w[3 * a + b] = -(calc.compute(strained(a, b, h)).energy - calc.compute(strained(a, b, -h)).energy) / (2 * h);
  }
  return w;
}


describe('LennardJones energies of known clusters', () => {
  it('dimer at 2^(1/6) σ has energy −ε and zero force', () => {
    const calc = new LennardJones({ epsilon: EPS, sigma: SIGMA });
    const r = 2 ** (1 / 6) * SIGMA;
    const res = calc.compute(makeFrame(['Cu', 'Cu'], [0, 0, 0, r, 0, 0]));
    expect(res.energy).toBeCloseTo(-EPS, 14);
    expect(Math.max(...res.forces.map(Math.abs))).toBeLessThan(1e-12);
    expect(Array.from(res.atomicEnergies!)).toEqual([-EPS / 2, -EPS / 2]);
  });

  for (const n of ['7', '13', '38', '55']) {
    it(`LJ${n} global minimum: E = ${ref.global_minima[n]} ε (Cambridge Cluster Database)`, () => {
      const calc = new LennardJones({ epsilon: EPS, sigma: SIGMA });
      const res = calc.compute(scaled(n, SIGMA));
      expect(res.energy / EPS).toBeCloseTo(ref.construction_check[n].E_relaxed, 8);
      expect(Math.abs(res.energy / EPS - ref.global_minima[n])).toBeLessThan(1e-6);
      // relaxed: forces vanish (reduced gradient ≤ 1e-8)
      expect(Math.max(...res.forces.map(Math.abs)) * SIGMA / EPS).toBeLessThan(1e-7);
      const sumAtomic = res.atomicEnergies!.reduce((s, x) => s + x, 0);
      expect(sumAtomic).toBeCloseTo(res.energy, 12);
    });
  }

  it('a neighbour list with a large unshifted cutoff reproduces the all-pairs sum', () => {
    const f = scaled('55', SIGMA);
    const all = new LennardJones({ epsilon: EPS, sigma: SIGMA }).compute(f);
    const cut = new LennardJones({ epsilon: EPS, sigma: SIGMA, rc: 100, shift: false }).compute(f);
    expect(cut.energy).toBeCloseTo(all.energy, 12);
    expect(maxAbsDiff(cut.forces, all.forces)).toBeLessThan(1e-12);
    expect(maxAbsDiff(cut.virial!, all.virial!)).toBeLessThan(1e-12);
  });

  it('shifted cutoff: a dimer at rc has zero energy, just inside rc has φ(r) − φ(rc)', () => {
    const rc = 2.5 * SIGMA;
    const calc = new LennardJones({ epsilon: EPS, sigma: SIGMA, rc });
    const plain = new LennardJones({ epsilon: EPS, sigma: SIGMA });
    const at = (r: number) => makeFrame(['Cu', 'Cu'], [0, 0, 0, r, 0, 0]);
    expect(calc.compute(at(rc + 1e-9)).energy).toBe(0);
    const r = rc - 0.1;
    expect(calc.compute(at(r)).energy).toBeCloseTo(plain.compute(at(r)).energy - plain.compute(at(rc)).energy, 15);
  });
});

describe('LennardJones forces and virial vs central finite differences', () => {
  it('distorted LJ13 cluster (all pairs)', () => {
    const calc = new LennardJones({ epsilon: EPS, sigma: SIGMA });
    const f = scaled('13', SIGMA * 1.02);
    for (let i = 0; i < f.positions.length; i++) f.positions[i] += 0.05 * Math.sin(7 * i + 1);
    const res = calc.compute(f);
    const fd = fdForces(calc, f);
    expect(maxAbsDiff(res.forces, fd)).toBeLessThan(1e-7);
    expect(maxAbsDiff(res.virial!, fdVirial(calc, f))).toBeLessThan(1e-7);
    // Net force of an isolated system vanishes.
    for (let k = 0; k < 3; k++) expect(Math.abs(res.forces.filter((_, i) => i % 3 === k).reduce((s, x) => s + x, 0))).toBeLessThan(1e-12);
  });

  it('periodic jittered fcc 2×2×2 with rc = 2.5σ (shifted), box smaller than 2·rc', () => {
    const sigma = 2.3;
    const calc = new LennardJones({ epsilon: EPS, sigma, rc: 2.5 * sigma });
    const f = fccBulk(3.61, 2, 0.08);
    const res = calc.compute(f);
    expect(maxAbsDiff(res.forces, fdForces(calc, f))).toBeLessThan(1e-7);
    expect(maxAbsDiff(res.virial!, fdVirial(calc, f))).toBeLessThan(1e-6);
    expect(res.atomicEnergies!.reduce((s, x) => s + x, 0)).toBeCloseTo(res.energy, 12);
  });

  it('rejects a periodic frame without a cutoff and bad parameters', () => {
    expect(() => new LennardJones({ epsilon: EPS, sigma: SIGMA }).compute(fccBulk(3.61, 2))).toThrow(/cutoff/);
    expect(() => new LennardJones({ epsilon: -1, sigma: SIGMA })).toThrow(/epsilon/);
    expect(() => new LennardJones({ epsilon: 1, sigma: 0 })).toThrow(/sigma/);
  });
});

describe('lj: potential spec', () => {
  it('parses epsilon, sigma, rc, shift', () => {
    const c = parseLennardJonesSpec('epsilon=0.0104,sigma=3.4,rc=8.5,shift=false');
    expect([c.epsilon, c.sigma, c.rc, c.shift]).toEqual([0.0104, 3.4, 8.5, false]);
    expect(parseLennardJonesSpec('epsilon=1,sigma=1').rc).toBeUndefined();
    expect(() => parseLennardJonesSpec('epsilon=1')).toThrow(/sigma/);
    expect(() => parseLennardJonesSpec('epsilon=1,sigma=1,foo=2')).toThrow(/unknown key 'foo'/);
  });
});
