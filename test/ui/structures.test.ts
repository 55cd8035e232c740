import { describe, expect, it } from 'vitest';
import { buildStructure, DEFAULT_SPEC, FACETS, presetSpec, STRUCTURE_KINDS, STRUCTURES } from '../../src/ui/structures.ts';
import { validateFrame } from '../../src/core/atoms.ts';

describe('studio structure menu', () => {
  it('every preset builds a valid Cu structure whose atom count matches its label', () => {
    for (const s of STRUCTURES) {
      const { frame } = buildStructure(presetSpec(s.id));
      validateFrame(frame, { minDistance: 2.0 });
      expect(frame.symbols.length).toBe(Number(/^Cu(\d+)/.exec(s.id)![1]));
    }
  });

  it('builds every kind (and every facet); titles carry the atom count; bulk and slabs have a cell', () => {
    for (const k of STRUCTURE_KINDS) {
      const { frame, title } = buildStructure({ ...DEFAULT_SPEC, kind: k.id, repeat: [2, 2, 3] });
      validateFrame(frame, { minDistance: 2.0 });
      expect(title.startsWith(`Cu${frame.symbols.length} `)).toBe(true);
      expect(frame.cell !== null).toBe(k.id === 'bulk' || k.id === 'slab');
    }
    const lattices: Record<string, string> = { fcc: 'Cu', bcc: 'Fe', hcp: 'Ru' };
    for (const [lattice, element] of Object.entries(lattices)) {
      const { frame } = buildStructure({ ...DEFAULT_SPEC, kind: 'bulk', element, lattice: lattice as 'fcc', repeat: [2, 2, 2] });
      expect(frame.pbc).toEqual([true, true, true]);
      expect(frame.symbols.length).toBe(lattice === 'fcc' ? 32 : lattice === 'bcc' ? 16 : 16);
    }
    for (const facet of FACETS) {
      const element = facet.startsWith('fcc') ? 'Cu' : facet.startsWith('bcc') ? 'Fe' : 'Ru';
      const { frame } = buildStructure({ ...DEFAULT_SPEC, kind: 'slab', element, facet, repeat: [2, 2, 3], vacuum: 6 });
      expect(frame.symbols.length).toBe(12);
      expect(frame.pbc).toEqual([true, true, false]);
    }
  });

  it('an explicit lattice constant scales the structure; a wrong one is refused by name', () => {
    const ref = buildStructure({ ...DEFAULT_SPEC, kind: 'bulk', repeat: [1, 1, 1] }).frame;
    const big = buildStructure({ ...DEFAULT_SPEC, kind: 'bulk', repeat: [1, 1, 1], a: 4.0 }).frame;
    expect(big.cell![0]).toBeCloseTo(4.0, 12);
    expect(ref.cell![0]).not.toBeCloseTo(4.0, 3);
    expect(() => buildStructure({ ...DEFAULT_SPEC, kind: 'bulk', a: -1 })).toThrow(/lattice constant/);
    expect(() => buildStructure({ ...DEFAULT_SPEC, kind: 'bulk', lattice: 'bcc' })).toThrow(/reference lattice of Cu is fcc/);
  });
});
