import { describe, expect, it } from 'vitest';
import { readExtxyz, writeExtxyz } from '../../src/core/io/extxyz.ts';
import { makeFrame, validateFrame } from '../../src/core/atoms.ts';

describe('extended XYZ', () => {
  it('round-trips cell, pbc, positions, info and per-atom arrays', () => {
    const f = makeFrame(['Cu', 'Au'], [0, 0, 0, 1.5, 1.2, 0.3], [4, 0, 0, 0, 4, 0, 0, 0, 4], [true, true, false]);
    const text = writeExtxyz([{ ...f, info: { energy: -3.25, config_type: 'bulk test' }, arrays: { forces: Float64Array.from([0.1, 0.2, 0.3, -0.1, -0.2, -0.3]) } }]);
    const [g] = readExtxyz(text);
    expect(g.symbols).toEqual(['Cu', 'Au']);
    expect(Array.from(g.positions)).toEqual([0, 0, 0, 1.5, 1.2, 0.3]);
    expect(Array.from(g.cell!)).toEqual([4, 0, 0, 0, 4, 0, 0, 0, 4]);
    expect(g.pbc).toEqual([true, true, false]);
    expect(g.info!.energy).toBe(-3.25);
    expect(g.info!.config_type).toBe('bulk test');
    expect(Array.from(g.arrays.forces)).toEqual([0.1, 0.2, 0.3, -0.1, -0.2, -0.3]);
  });

  it('keeps huge and tiny values separable and exact enough', () => {
    const f = makeFrame(['Cu', 'Cu'], [1.234e9, -5e7, 3e-12, -123456.5, 0, 1]);
    const [g] = readExtxyz(writeExtxyz([f]));
    Array.from(f.positions).forEach((x, k) => expect(g.positions[k]).toBeCloseTo(x, 8));
  });

  it('reads ASE-style Lattice with pbc default T T T and several frames', () => {
    const t = '1\nLattice="3 0 0 0 3 0 0 0 3" Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.0\nCu 0 0 0 0 0 0\n1\n\nCu 1 1 1\n';
    const fr = readExtxyz(t);
    expect(fr.length).toBe(2);
    expect(fr[0].pbc).toEqual([true, true, true]);
    expect(fr[1].cell).toBeNull();
  });

  it('names the line of a malformed file', () => {
    expect(() => readExtxyz('2\n\nCu 0 0 0\n')).toThrow(/ends early/);
    expect(() => readExtxyz('1\n\nCu 0 nan 0\n', 'x.xyz')).toThrow(/x\.xyz:3: atom 0 column pos has non-finite value 'nan'/);
    expect(() => readExtxyz('abc\n')).toThrow(/:1: expected an atom count/);
    expect(() => readExtxyz('1\npbc="T T T"\nCu 0 0 0\n')).toThrow(/no Lattice/);
  });

  it('validateFrame names overlapping atoms and non-finite coordinates', () => {
    expect(() => validateFrame(makeFrame(['Cu', 'Cu'], [0, 0, 0, 0.1, 0, 0]))).toThrow(/atoms 0 \(Cu\) and 1 \(Cu\) overlap/);
    expect(() => validateFrame(makeFrame(['Cu'], [0, NaN, 0]))).toThrow(/atom 0 \(Cu\) has a non-finite coordinate y/);
    expect(() => validateFrame(makeFrame(['Cu'], [0, 0, 0], [1, 0, 0, 2, 0, 0, 0, 0, 1], [true, true, true]))).toThrow(/zero volume/);
  });
});
