import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cloneFrame, makeFrame, type Frame, type Pbc } from '../../src/core/atoms.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { Eam } from '../../src/core/potentials/eam.ts';
import { parseEamText, parseFuncfl } from '../../src/core/potentials/eam-file.ts';
import { loadEamFile } from '../../src/node/eam-file.ts';
import { refJson, refPath } from '../helpers/refdata.ts';

interface EamCase {
  n_atoms: number;
  symbols: string[];
  positions_A: number[][];
  cell_A?: number[][] | null;
  pbc?: boolean[];
  lammps: { energy_eV: number; forces_eV_per_A: number[][]; per_atom_energy_eV: number[] };
}

const POTENTIALS = { Cu_u3: 'Cu_u3.eam', Cu_mishin1: 'Cu_mishin1.eam.alloy' } as const;
const CASES = ['Cu13_icosahedron', 'Cu20_random', 'Cu_fcc_bulk_3x3x3_cubic'];

function caseFrame(c: EamCase): Frame {
  const cell = c.cell_A ? c.cell_A.flat() : null;
  const pbc = (c.pbc ?? [false, false, false]) as Pbc;
  return makeFrame(c.symbols, c.positions_A.flat(), cell, pbc);
}

function load(file: string): Eam {
  return Eam.fromText(readFileSync(refPath(`eam/${file}`), 'utf8'), file, undefined, { atomicVirials: true });
}

describe('EAM vs LAMMPS (shared/refdata/eam, lammps block)', () => {
  for (const [key, file] of Object.entries(POTENTIALS)) {
    const calc = load(file);
    for (const name of CASES) {
      it(`${file} ${name}: energy 1e-6 eV/atom, forces 1e-5 eV/Å, per-atom energies`, () => {
        const c = refJson<EamCase>(`eam/${key}__${name}.json`);
        const r = calc.compute(caseFrame(c));
        expect(Math.abs(r.energy - c.lammps.energy_eV) / c.n_atoms).toBeLessThan(1e-6);
        const F = c.lammps.forces_eV_per_A.flat();
        let worst = 0;
        for (let k = 0; k < F.length; k++) worst = Math.max(worst, Math.abs(F[k] - r.forces[k]));
        expect(worst).toBeLessThan(1e-5);
        let worstE = 0;
        for (let i = 0; i < c.n_atoms; i++) worstE = Math.max(worstE, Math.abs(r.atomicEnergies![i] - c.lammps.per_atom_energy_eV[i]));
        expect(worstE).toBeLessThan(1e-6);
        // Per-atom virials sum to the virial.
        for (let k = 0; k < 9; k++) {
          let s = 0;
          for (let i = 0; i < c.n_atoms; i++) s += r.atomicVirials![9 * i + k];
          expect(s).toBeCloseTo(r.virial![k], 9);
        }
      });
    }
  }
});

/** A frame with random displacements so no force vanishes by symmetry. */
function rattled(f: Frame, amp: number, seed: number): Frame {
  const g = cloneFrame(f);
  let s = seed;
  for (let k = 0; k < g.positions.length; k++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    g.positions[k] += amp * (2 * (s / 2147483648) - 1);
  }
  return g;
}

/** Central-difference forces −∂E/∂x (eV/Å). */
function fdForces(calc: Eam, f: Frame, h: number): Float64Array {
  const out = new Float64Array(f.positions.length);
  for (let k = 0; k < f.positions.length; k++) {
    const p = cloneFrame(f), m = cloneFrame(f);
    p.positions[k] += h;
    m.positions[k] -= h;
    out[k] = -(calc.compute(p).energy - calc.compute(m).energy) / (2 * h);
  }
  return out;
}

/** Central-difference virial W_ab = −∂E/∂ε_ab under x → (1+ε)x of positions and cell rows (eV). */
function fdVirial(calc: Eam, f: Frame, h: number): Float64Array {
  const w = new Float64Array(9);
  const strained = (a: number, b: number, e: number): Frame => {
    const g = cloneFrame(f);
    const apply = (arr: Float64Array) => {
      for (let i = 0; i < arr.length / 3; i++) arr[3 * i + a] += e * arr[3 * i + b];
    };
    apply(g.positions);
    if (g.cell) apply(g.cell);
    return g;
  };
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      w[3 * a + b] = -(calc.compute(strained(a, b, h)).energy - calc.compute(strained(a, b, -h)).energy) / (2 * h);
    }
  }
  return w;
}

describe('EAM derivatives vs central finite differences', () => {
  for (const file of Object.values(POTENTIALS)) {
    const calc = load(file);
    it(`${file}: forces of a rattled Cu13`, () => {
      const f = rattled(icosahedron('Cu', 2), 0.15, 7);
      const r = calc.compute(f);
      const fd = fdForces(calc, f, 1e-5);
      for (let k = 0; k < fd.length; k++) expect(Math.abs(r.forces[k] - fd[k])).toBeLessThan(1e-6);
    });
    it(`${file}: forces and virial of a rattled periodic fcc cell (2×2×2, 32 atoms)`, () => {
      const a = 3.615;
      const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
      const pos: number[] = [];
      for (let x = 0; x < 2; x++) for (let y = 0; y < 2; y++) for (let z = 0; z < 2; z++) {
        for (const b of basis) pos.push((x + b[0]) * a, (y + b[1]) * a, (z + b[2]) * a);
      }
      const f = rattled(makeFrame(new Array<string>(32).fill('Cu'), pos, [2 * a, 0, 0, 0, 2 * a, 0, 0, 0, 2 * a], [true, true, true]), 0.1, 3);
      const r = calc.compute(f);
      const fd = fdForces(calc, f, 1e-5);
      for (let k = 0; k < fd.length; k++) expect(Math.abs(r.forces[k] - fd[k])).toBeLessThan(1e-6);
      const w = fdVirial(calc, f, 1e-6);
      for (let k = 0; k < 9; k++) expect(Math.abs(r.virial![k] - w[k])).toBeLessThan(1e-5);
      // Sum of forces vanishes (Newton's third law).
      for (let d = 0; d < 3; d++) {
        let s = 0;
        for (let i = 0; i < 32; i++) s += r.forces[3 * i + d];
        expect(Math.abs(s)).toBeLessThan(1e-10);
      }
    });
    it(`${file}: forces and virial of a rattled slab (pbc T T F, 4 layers with vacuum)`, () => {
      const a = 3.615;
      const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
      const pos: number[] = [];
      for (let x = 0; x < 2; x++) for (let y = 0; y < 2; y++) for (let z = 0; z < 2; z++) {
        for (const b of basis) pos.push((x + b[0]) * a, (y + b[1]) * a, (z + b[2]) * a);
      }
      const f = rattled(makeFrame(new Array<string>(32).fill('Cu'), pos, [2 * a, 0, 0, 0, 2 * a, 0, 0, 0, 4 * a], [true, true, false]), 0.1, 9);
      const r = calc.compute(f);
      const fd = fdForces(calc, f, 1e-5);
      for (let k = 0; k < fd.length; k++) expect(Math.abs(r.forces[k] - fd[k])).toBeLessThan(1e-6);
      const w = fdVirial(calc, f, 1e-6);
      for (let k = 0; k < 9; k++) expect(Math.abs(r.virial![k] - w[k])).toBeLessThan(1e-5);
    });
    it(`${file}: open-cluster virial equals Σ r_i ⊗ F_i and matches finite differences`, () => {
      const f = rattled(icosahedron('Cu', 2), 0.1, 11);
      const r = calc.compute(f);
      const w = fdVirial(calc, f, 1e-6);
      for (let k = 0; k < 9; k++) expect(Math.abs(r.virial![k] - w[k])).toBeLessThan(1e-5);
    });
  }
});

describe('EAM files', () => {
  it('loads the bundled potentials by name', async () => {
    const a = await loadEamFile('Cu_u3.eam');
    const b = await loadEamFile('Cu_mishin1.eam.alloy');
    expect(a.elements).toEqual(['Cu']);
    expect(b.elements).toEqual(['Cu']);
    expect(a.tables.form).toBe('funcfl');
    expect(b.tables.form).toBe('setfl');
    // funcfl: LAMMPS keeps one grid node fewer than the file (int((n−1)·d/d + 0.5)).
    expect(a.tables.nr).toBe(499);
    expect(a.tables.nrho).toBe(499);
  });

  it('a malformed grid line is an error naming the file and line', () => {
    const text = readFileSync(refPath('eam/Cu_u3.eam'), 'utf8').split('\n');
    text[2] = '  500  5.0100200400801306e-04  500  1.0000000000000009e-02';
    expect(() => parseEamText(text.join('\n'), 'Cu_u3.eam')).toThrow(/^Cu_u3\.eam:3: expected 5 numbers/);
  });

  it('a bad number in a table is an error naming the line', () => {
    const text = readFileSync(refPath('eam/Cu_u3.eam'), 'utf8').split('\n');
    text[9] = text[9].replace(/\S+$/, 'abc');
    expect(() => parseFuncfl(text.join('\n'), 'Cu_u3.eam')).toThrow(/^Cu_u3\.eam:10: expected a number for F\(rho\)/);
  });

  it('a truncated file is an error naming where it ends', () => {
    const text = readFileSync(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8').split('\n').slice(0, 100).join('\n');
    expect(() => parseEamText(text, 'Cu_mishin1.eam.alloy')).toThrow(/^Cu_mishin1\.eam\.alloy:\d+: file ends after \d+ of 10001 values/);
  });

  it('rejects an element the potential does not describe', () => {
    const calc = load('Cu_u3.eam');
    expect(() => calc.compute(makeFrame(['Au'], [0, 0, 0]))).toThrow(/no parameters for element Au/);
  });
});

describe('EAM neighbour-list cache (Verlet skin)', () => {
  it('gives the same results as rebuilding every call over a trajectory of small moves (open and periodic)', () => {
    const text = readFileSync(refPath('eam/Cu_mishin1.eam.alloy'), 'utf8');
    const cached = Eam.fromText(text, 'Cu_mishin1.eam.alloy', undefined, { skin: 0.6 });
    const fresh = Eam.fromText(text, 'Cu_mishin1.eam.alloy', undefined, { skin: 0 });
    const bulk = caseFrame(refJson<EamCase>('eam/Cu_mishin1__Cu_fcc_bulk_3x3x3_cubic.json'));
    for (const start of [rattled(icosahedron('Cu', 3), 0.05, 5), rattled(bulk, 0.05, 6)]) {
      let f = start;
      for (let step = 0; step < 40; step++) {
        // Atoms drift 0.04 Å per step in a fixed random direction: rebuilds happen along the way,
        // and in the periodic cell atoms cross the cell faces (positions are not wrapped).
        f = cloneFrame(f);
        for (let k = 0; k < f.positions.length; k++) f.positions[k] += 0.04 * Math.sin(1.7 * k + 0.3);
        const a = cached.compute(f), b = fresh.compute(f);
        expect(Math.abs(a.energy - b.energy)).toBeLessThan(1e-9);
        for (let k = 0; k < a.forces.length; k++) expect(Math.abs(a.forces[k] - b.forces[k])).toBeLessThan(1e-9);
        for (let k = 0; k < 9; k++) expect(Math.abs(a.virial![k] - b.virial![k])).toBeLessThan(1e-9);
      }
    }
  });
});

describe('EAM with two elements (synthetic setfl)', () => {
  // Smooth analytic functions tabulated finely: the spline reproduces them to ~1e-9, so a
  // hand-computed dimer energy checks which table is used where (ρ of the neighbour's element,
  // F of the atom's own, r·φ of the pair from the lower triangle).
  const nr = 2001, dr = 0.003, nrho = 2001, drho = 0.005, cut = 5.5;
  const F = [(r: number) => -2 * Math.sqrt(r), (r: number) => -3 * Math.sqrt(r) + 0.1 * r];
  const rho = [(r: number) => 2 * Math.exp(-1.2 * r), (r: number) => 3 * Math.exp(-1.5 * r)];
  const rphi = [[(r: number) => 40 * Math.exp(-2 * r)], [(r: number) => 50 * Math.exp(-2.1 * r), (r: number) => 60 * Math.exp(-2.2 * r)]];
  const tab = (f: (x: number) => number, n: number, d: number) => {
    const v = Array.from({ length: n }, (_, k) => f(k * d).toExponential(16));
    const lines: string[] = [];
    for (let k = 0; k < n; k += 5) lines.push(v.slice(k, k + 5).join(' '));
    return lines.join('\n');
  };
  const text = [
    'synthetic', 'two elements', 'for tests', '2 Cu Ni', `${nrho} ${drho} ${nr} ${dr} ${cut}`,
    '29 63.546 3.615 fcc', tab(F[0], nrho, drho), tab(rho[0], nr, dr),
    '28 58.6934 3.52 fcc', tab(F[1], nrho, drho), tab(rho[1], nr, dr),
    tab(rphi[0][0], nr, dr), tab(rphi[1][0], nr, dr), tab(rphi[1][1], nr, dr),
  ].join('\n');
  const calc = Eam.fromText(text, 'CuNi.eam.alloy');

  it('a Cu–Ni dimer has E = F_Cu(ρ_Ni(r)) + F_Ni(ρ_Cu(r)) + φ_CuNi(r)', () => {
    const r = 2.3;
    const e = calc.compute(makeFrame(['Cu', 'Ni'], [0, 0, 0, r, 0, 0])).energy;
    expect(e).toBeCloseTo(F[0](rho[1](r)) + F[1](rho[0](r)) + rphi[1][0](r) / r, 7);
    const eNN = calc.compute(makeFrame(['Ni', 'Ni'], [0, 0, 0, r, 0, 0])).energy;
    expect(eNN).toBeCloseTo(2 * F[1](rho[1](r)) + rphi[1][1](r) / r, 7);
  });

  it('forces and virial of a rattled mixed cluster match finite differences', () => {
    const base = rattled(icosahedron('Cu', 3), 0.1, 13);
    base.symbols = base.symbols.map((_, i) => (i % 3 === 0 ? 'Ni' : 'Cu'));
    const r = calc.compute(base);
    const fd = fdForces(calc, base, 1e-5);
    for (let k = 0; k < fd.length; k++) expect(Math.abs(r.forces[k] - fd[k])).toBeLessThan(1e-6);
    const w = fdVirial(calc, base, 1e-6);
    for (let k = 0; k < 9; k++) expect(Math.abs(r.virial![k] - w[k])).toBeLessThan(1e-5);
  });
});
