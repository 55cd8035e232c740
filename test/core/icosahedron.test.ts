import { describe, expect, it } from 'vitest';
import { icosahedron, icosahedronSize } from '../../src/core/build/icosahedron.ts';
import { refJson, pointSetDistance } from '../helpers/refdata.ts';

interface AseCase { positions_A: number[][]; recipe: string }
const ase = refJson<{ clusters: Record<string, AseCase> }>('ase/ase_structures.json');

describe('Mackay icosahedron vs ase.cluster.Icosahedron', () => {
  for (const [name, shells] of [['Icosahedron_Cu_2shells_N13', 2], ['Icosahedron_Cu_3shells_N55', 3]] as const) {
    it(`${name}: same point set to 1e-6 Å`, () => {
      const ref = ase.clusters[name];
      const f = icosahedron('Cu', shells, 3.61);
      expect(f.symbols.length).toBe(ref.positions_A.length);
      expect(pointSetDistance(f.positions, ref.positions_A.flat())).toBeLessThan(1e-6);
    });
  }
  it('has the magic numbers 1, 13, 55, 147, 309, 561', () => {
    expect([1, 2, 3, 4, 5, 6].map((k) => icosahedron('Cu', k).symbols.length)).toEqual([1, 13, 55, 147, 309, 561]);
    expect(icosahedronSize(6)).toBe(561);
  });
  it('rejects zero shells and unknown elements', () => {
    expect(() => icosahedron('Cu', 0)).toThrow(/shells/);
    expect(() => icosahedron('Xx', 2)).toThrow(/unknown element 'Xx'/);
    // Ru is hcp: its a = 2.70 Å is no fcc constant (ASE refuses too); an explicit one works.
    expect(() => icosahedron('Ru', 3)).toThrow(/reference lattice of Ru is hcp/);
    expect(icosahedron('Ru', 3, 3.8).symbols.length).toBe(55);
  });
});
