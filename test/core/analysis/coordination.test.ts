import { describe, expect, it } from 'vitest';
import { makeFrame, type Frame, type Pbc } from '../../../src/core/atoms.ts';
import { coordinationNumbers, cnHistogram, cnDistribution } from '../../../src/core/analysis/coordination.ts';
import { bulk } from '../../../src/core/build/bulk.ts';
import { decahedron } from '../../../src/core/build/decahedron.ts';
import { octahedron } from '../../../src/core/build/octahedron.ts';
import { surface } from '../../../src/core/build/surface.ts';
import { refJson } from '../../helpers/refdata.ts';

interface CoordBlock { cutoff_A: number; cn_per_atom: number[]; histogram: Record<string, number> }
interface AseCase { positions_A: number[][]; cell_A: number[][]; pbc: boolean[]; symbols: string[]; coordination: CoordBlock[] }
type Section = Record<string, AseCase>;
const ase = refJson<{ clusters: Section; surfaces: Section; bulk: Section }>('ase/ase_structures.json');

/** The ASE structure itself, as a Frame (so CN is checked on exactly the reference atoms). */
function frameOf(c: AseCase): Frame {
  const cell = c.cell_A.flat();
  return makeFrame(c.symbols, c.positions_A.flat(), cell.every((v) => v === 0) ? null : cell, c.pbc as Pbc);
}

describe('coordination numbers vs the ASE refdata blocks', () => {
  const all = { ...ase.clusters, ...ase.surfaces, ...ase.bulk };
  for (const [name, c] of Object.entries(all)) {
    it(`${name}: CN per atom and histogram at every cutoff`, () => {
      for (const block of c.coordination) {
        const cn = coordinationNumbers(frameOf(c), block.cutoff_A);
        expect(Array.from(cn)).toEqual(block.cn_per_atom);
        const h = cnHistogram(cn);
        expect(Object.fromEntries([...h].map(([k, v]) => [String(k), v]))).toEqual(block.histogram);
      }
    });
  }
});

describe('coordination numbers of our own builders equal the ASE histograms', () => {
  const ours: [string, Frame][] = [
    ['Decahedron_Cu_p3q3r0_N55', decahedron('Cu', 3, 3, 0, 3.61)],
    ['Octahedron_Cu_len5_cut2_N55', octahedron('Cu', 5, 2, 3.61)],
    ['Cu_fcc110_2x2x4', surface('Cu', 'fcc110', [2, 2, 4], { a: 3.61, vacuum: 10 })],
    ['Mg_hcp0001_2x2x4', surface('Mg', 'hcp0001', [2, 2, 4], { a: 3.21, c: 5.21, vacuum: 10 })],
  ];
  const all = { ...ase.clusters, ...ase.surfaces, ...ase.bulk };
  for (const [name, f] of ours) {
    it(name, () => {
      for (const block of all[name].coordination) {
        const h = cnHistogram(coordinationNumbers(f, block.cutoff_A));
        expect(Object.fromEntries([...h].map(([k, v]) => [String(k), v]))).toEqual(block.histogram);
      }
    });
  }
});

describe('P(CN)', () => {
  it('fcc bulk is all 12; a slab splits into surface and bulk peaks', () => {
    const d = cnDistribution([bulk('Cu', 'fcc', { cubic: true, repeat: [2, 2, 2] })], 3.0);
    expect(d.p[12]).toBe(1);
    expect(d.atoms).toBe(32);
    const slab = frameOf(ase.surfaces.Cu_fcc111_2x2x3);
    const s = cnDistribution([slab, slab], 3.0);
    expect(s.atoms).toBe(24);
    expect(s.p[9]).toBeCloseTo(8 / 12, 15);
    expect(s.p[12]).toBeCloseTo(4 / 12, 15);
    expect(s.p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
    const top = cnDistribution([slab], 3.0, (_f, i) => i >= 8);
    expect(top.p[9]).toBe(1);
  });
  it('bad cutoffs are errors', () => {
    expect(() => coordinationNumbers(bulk('Cu'), 0)).toThrow(/cutoff/);
    expect(() => cnDistribution([], 3)).toThrow(/no atoms/);
  });
});
