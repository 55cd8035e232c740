import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../src/core/atoms.ts';
import { decahedron, decahedronSize } from '../../../src/core/build/decahedron.ts';
import { octahedron, fccCluster } from '../../../src/core/build/octahedron.ts';
import { bulk, repeatFrame } from '../../../src/core/build/bulk.ts';
import { surface } from '../../../src/core/build/surface.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { coordinationNumbers, cnHistogram } from '../../../src/core/analysis/coordination.ts';
import { refJson, pointSetDistance } from '../../helpers/refdata.ts';
import { maxAbsDiff } from '../../helpers/compare.ts';

interface AseCase { recipe: string; positions_A: number[][]; cell_A: number[][]; pbc: boolean[]; symbols: string[] }
type Section = Record<string, AseCase>;
const ase = refJson<{ clusters: Section; surfaces: Section; bulk: Section }>('ase/ase_structures.json');

/** Our builder for every ASE case, keyed like the refdata. */
const builders: Record<string, () => Frame> = {
  Icosahedron_Cu_2shells_N13: () => icosahedron('Cu', 2, 3.61),
  Icosahedron_Cu_3shells_N55: () => icosahedron('Cu', 3, 3.61),
  Decahedron_Cu_p2q2r0_N13: () => decahedron('Cu', 2, 2, 0, 3.61),
  Decahedron_Cu_p3q3r0_N55: () => decahedron('Cu', 3, 3, 0, 3.61),
  Octahedron_Cu_len3_cut1_N13: () => octahedron('Cu', 3, 1, 3.61),
  Octahedron_Cu_len4_cut1_N38: () => octahedron('Cu', 4, 1, 3.61),
  Octahedron_Cu_len5_cut2_N55: () => octahedron('Cu', 5, 2, 3.61),
  Cu_fcc100_2x2x3: () => surface('Cu', 'fcc100', [2, 2, 3], { a: 3.61, vacuum: 10 }),
  Cu_fcc110_2x2x4: () => surface('Cu', 'fcc110', [2, 2, 4], { a: 3.61, vacuum: 10 }),
  Cu_fcc111_2x2x3: () => surface('Cu', 'fcc111', [2, 2, 3], { a: 3.61, vacuum: 10 }),
  Fe_bcc100_2x2x4: () => surface('Fe', 'bcc100', [2, 2, 4], { a: 2.87, vacuum: 10 }),
  Mg_hcp0001_2x2x4: () => surface('Mg', 'hcp0001', [2, 2, 4], { a: 3.21, c: 5.21, vacuum: 10 }),
  Cu_fcc_primitive: () => bulk('Cu', 'fcc', { a: 3.61 }),
  Cu_fcc_cubic: () => bulk('Cu', 'fcc', { a: 3.61, cubic: true }),
  Fe_bcc_cubic: () => bulk('Fe', 'bcc', { a: 2.87, cubic: true }),
  Mg_hcp_primitive: () => bulk('Mg', 'hcp', { a: 3.21, c: 5.21 }),
};

describe('builders vs ASE 3.22.1 (shared/refdata/ase/ase_structures.json)', () => {
  const all = { ...ase.clusters, ...ase.surfaces, ...ase.bulk };
  it('covers every ASE case', () => {
    expect(Object.keys(builders).sort()).toEqual(Object.keys(all).sort());
  });
  for (const [name, ref] of Object.entries(all)) {
    it(`${name} (${ref.recipe}): same atoms, cell and pbc`, () => {
      const f = builders[name]();
      expect(f.symbols).toEqual(ref.symbols);
      expect(pointSetDistance(f.positions, ref.positions_A.flat())).toBeLessThan(1e-6);
      const refCell = ref.cell_A.flat();
      if (refCell.every((v) => v === 0)) expect(f.cell).toBeNull();
      else expect(maxAbsDiff(f.cell as Float64Array, refCell)).toBeLessThan(1e-6);
      expect(f.pbc).toEqual(ref.pbc);
    });
  }
  it('surfaces and bulk also match ASE exactly atom by atom (same order, no centring)', () => {
    for (const name of [...Object.keys(ase.surfaces), ...Object.keys(ase.bulk)]) {
      expect(maxAbsDiff(builders[name]().positions, all[name].positions_A.flat()), name).toBeLessThan(1e-9);
    }
  });
  it('decahedra and octahedra match ASE atom by atom (same order)', () => {
    for (const name of Object.keys(ase.clusters).filter((k) => k.startsWith('Decahedron') || k.startsWith('Octahedron'))) {
      expect(maxAbsDiff(builders[name]().positions, all[name].positions_A.flat()), name).toBeLessThan(1e-9);
    }
  });
});

describe('cluster sizes', () => {
  it('Ino decahedra p=q give 13, 55, 147; Marks decahedra match decahedronSize', () => {
    expect([2, 3, 4].map((k) => decahedron('Cu', k, k, 0).symbols.length)).toEqual([13, 55, 147]);
    for (const [p, q, r] of [[1, 1, 0], [2, 1, 0], [3, 2, 1], [2, 2, 1], [4, 3, 2]]) {
      expect(decahedron('Au', p, q, r).symbols.length).toBe(decahedronSize(p, q, r));
    }
    // Marks decahedron (2,2,1): 75 atoms (a standard magic number)
    expect(decahedronSize(2, 2, 1)).toBe(75);
  });
  it('octahedra: regular 6, 19, 44, 85; cuboctahedra 13, 55, 147; truncated 38, 201', () => {
    expect([2, 3, 4, 5].map((l) => octahedron('Cu', l).symbols.length)).toEqual([6, 19, 44, 85]);
    expect([[3, 1], [5, 2], [7, 3]].map(([l, c]) => octahedron('Cu', l, c).symbols.length)).toEqual([13, 55, 147]);
    expect([[4, 1], [7, 2]].map(([l, c]) => octahedron('Cu', l, c).symbols.length)).toEqual([38, 201]);
  });
  it('fccCluster with (100) only gives a cube; open planes are an error', () => {
    const f = fccCluster('Cu', [[1, 0, 0]], [2]);
    // sites within |x|,|y|,|z| ≤ a (x,y,z in multiples of a/2 with even sum): 5³ half-grid points with even sum = 63
    expect(f.symbols.length).toBe(63);
    expect(() => fccCluster('Cu', [[1, 0, 0]], [2, 3])).toThrow(/one layer count per surface/);
  });
});

describe('bulk and slabs beyond the refdata', () => {
  it('repeat copies the block m0-outermost and scales the cell', () => {
    const f = bulk('Cu', 'fcc', { cubic: true, repeat: [3, 3, 3] });
    expect(f.symbols.length).toBe(108);
    expect(Array.from(f.cell as Float64Array)).toEqual([3 * 3.61, 0, 0, 0, 3 * 3.61, 0, 0, 0, 3 * 3.61]);
    const unit = bulk('Cu', 'fcc', { cubic: true });
    const r = repeatFrame(unit, [1, 1, 2]);
    expect(Array.from(r.positions.slice(12, 15))).toEqual([0, 0, 3.61]);
  });
  it('diamond Si: 2-atom primitive, 8-atom cubic, nearest neighbour a√3/4', () => {
    const p = bulk('Si');
    expect(p.symbols.length).toBe(2);
    expect(Math.hypot(...p.positions.slice(3, 6))).toBeCloseTo((5.43 * Math.sqrt(3)) / 4, 12);
    expect(bulk('Si', 'diamond', { cubic: true }).symbols.length).toBe(8);
  });
  it('hcp Ru uses the reference c/a; orthorhombic hcp has 4 atoms; cubic hcp is an error', () => {
    const ru = bulk('Ru');
    expect(ru.cell![8]).toBeCloseTo(2.7 * 1.584, 12);
    expect(bulk('Ru', 'hcp', { orthorhombic: true }).symbols.length).toBe(4);
    expect(() => bulk('Ru', 'hcp', { cubic: true })).toThrow(/cubic cell of an hcp/);
  });
  it('orthogonal fcc111, hcp0001 and bcc110 cells give the same coordination as the default cells', () => {
    const hist = (f: Frame, rc: number) => [...cnHistogram(coordinationNumbers(f, rc))];
    for (const [facet, sym, rc] of [['fcc111', 'Cu', 3.0], ['hcp0001', 'Ru', 3.0], ['bcc110', 'Fe', 2.7]] as const) {
      const hex = surface(sym, facet, [2, 2, 5], { vacuum: 10 });
      const ortho = surface(sym, facet, [2, 2, 5], { vacuum: 10, orthogonal: true });
      expect(ortho.symbols.length).toBe(20);
      expect(ortho.cell![3]).toBe(0);
      expect(hist(ortho, rc), facet).toEqual(hist(hex, rc));
      // Slabs periodic along z too are bulk-like: every atom fully coordinated.
      const bulkLike = surface(sym, facet, facet === 'fcc111' ? [2, 2, 6] : [2, 2, 4], { periodic: true, orthogonal: true });
      expect(hist(bulkLike, rc), facet).toEqual([[facet === 'bcc110' ? 8 : 12, bulkLike.symbols.length]]);
    }
    expect(() => surface('Cu', 'fcc111', [2, 3, 3], { orthogonal: true })).toThrow(/even ny/);
    expect(() => surface('Cu', 'fcc100', [2, 2, 3], { orthogonal: false })).toThrow(/only an orthogonal cell/);
  });
  it('all facets build for the paper metals with their reference lattices', () => {
    for (const s of ['Au', 'Ag', 'Cu', 'Pt', 'Pd', 'Ni', 'Rh', 'Al']) {
      for (const facet of ['fcc100', 'fcc110', 'fcc111'] as const) expect(surface(s, facet, [3, 3, 4], { vacuum: 10 }).symbols.length).toBe(36);
    }
    expect(surface('Ru', 'hcp0001', [3, 3, 4], { vacuum: 10 }).symbols.length).toBe(36);
    expect(surface('Fe', 'bcc110', [3, 3, 4], { vacuum: 10 }).symbols.length).toBe(36);
  });
});

describe('bad input is a clear error', () => {
  it('unknown element', () => {
    expect(() => decahedron('Xx', 2, 2, 0)).toThrow(/unknown element 'Xx'/);
    expect(() => bulk('Xx', 'fcc')).toThrow(/unknown element 'Xx'/);
    expect(() => surface('Xx', 'fcc111', [2, 2, 2])).toThrow(/unknown element 'Xx'/);
  });
  it('zero or negative sizes', () => {
    expect(() => decahedron('Cu', 0, 2, 0)).toThrow(/integer p ≥ 1/);
    expect(() => decahedron('Cu', 2, 2, -1)).toThrow(/integer r ≥ 0/);
    expect(() => octahedron('Cu', 0)).toThrow(/length ≥ 1/);
    expect(() => octahedron('Cu', 3, 2)).toThrow(/cutoff/);
    expect(() => bulk('Cu', 'fcc', { repeat: [0, 1, 1] })).toThrow(/repeat counts/);
    expect(() => surface('Cu', 'fcc100', [2, 0, 3])).toThrow(/slab size/);
    expect(() => surface('Cu', 'fcc100', [2, 2, 3], { vacuum: -1 })).toThrow(/vacuum/);
    expect(() => bulk('Cu', 'fcc', { a: -3 })).toThrow(/positive/);
  });
  it('a missing or mismatched lattice constant names the element and the fix', () => {
    expect(() => bulk('H', 'fcc')).toThrow(/H has no reference lattice constant.*--lattice/);
    expect(() => decahedron('Ru', 2, 2, 0)).toThrow(/reference lattice of Ru is hcp.*--lattice/);
    expect(() => octahedron('Si', 3)).toThrow(/reference lattice of Si is diamond/);
    expect(() => surface('Cu', 'hcp0001', [2, 2, 2], { vacuum: 5 })).toThrow(/reference lattice of Cu is fcc/);
    expect(decahedron('Ru', 2, 2, 0, 3.818).symbols.length).toBe(13);
  });
});
