import { describe, expect, it } from 'vitest';
import { makeFrame } from '../../../src/core/atoms.ts';
import { LindemannAccumulator, lindemann } from '../../../src/core/analysis/lindemann.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { bulk } from '../../../src/core/build/bulk.ts';
import { Rng } from '../../../src/core/random.ts';

describe('Lindemann index', () => {
  it('is exactly 0 for a rigid cluster (also rotated and translated)', () => {
    const f = icosahedron('Cu', 3);
    const frames = [f];
    for (let t = 1; t < 5; t++) {
      const c = Math.cos(0.3 * t), s = Math.sin(0.3 * t);
      const p = new Float64Array(f.positions.length);
      for (let i = 0; i < f.symbols.length; i++) {
        const x = f.positions[3 * i], y = f.positions[3 * i + 1], z = f.positions[3 * i + 2];
        p[3 * i] = c * x - s * y + 1.5 * t; p[3 * i + 1] = s * x + c * y - 2; p[3 * i + 2] = z + 0.25;
      }
      frames.push(makeFrame(f.symbols, p));
    }
    // Rigid motions change distances only by rounding: δ at the 1e-15 level; identical frames give exactly 0.
    expect(lindemann(frames).index).toBeLessThan(1e-13);
    expect(lindemann([f, f, f]).index).toBe(0);
  });
  it('a vibrating dimer: δ = σ_r / <r> by hand', () => {
    // r = 2.0, 2.2, 2.0, 2.2 → <r> = 2.1, σ = 0.1
    const frames = [2.0, 2.2, 2.0, 2.2].map((r) => makeFrame(['Cu', 'Cu'], [0, 0, 0, r, 0, 0]));
    const res = lindemann(frames);
    expect(res.index).toBeCloseTo(0.1 / 2.1, 14);
    expect(Array.from(res.perAtom).map((v) => +v.toFixed(14))).toEqual([+(0.1 / 2.1).toFixed(14), +(0.1 / 2.1).toFixed(14)]);
  });
  it('a three-atom toy matches the formula computed by hand, and the accumulator equals the batch function', () => {
    const rng = new Rng(5);
    const base = [0, 0, 0, 2.5, 0, 0, 1.2, 2.1, 0];
    const frames = Array.from({ length: 50 }, () => makeFrame(['Cu', 'Cu', 'Cu'], base.map((x) => x + 0.05 * rng.normal())));
    // Hand computation: pair means and population standard deviations.
    const pairs: [number, number][] = [[0, 1], [0, 2], [1, 2]];
    const q = new Map<string, number>();
    for (const [i, j] of pairs) {
      const r = frames.map((f) => Math.hypot(f.positions[3 * j] - f.positions[3 * i], f.positions[3 * j + 1] - f.positions[3 * i + 1], f.positions[3 * j + 2] - f.positions[3 * i + 2]));
      const mean = r.reduce((a, b) => a + b, 0) / r.length;
      const mean2 = r.reduce((a, b) => a + b * b, 0) / r.length;
      q.set(`${i}${j}`, Math.sqrt(mean2 - mean * mean) / mean);
    }
    const hand = [(q.get('01')! + q.get('02')!) / 2, (q.get('01')! + q.get('12')!) / 2, (q.get('02')! + q.get('12')!) / 2];
    const res = lindemann(frames);
    for (let i = 0; i < 3; i++) expect(res.perAtom[i]).toBeCloseTo(hand[i], 12);
    expect(res.index).toBeCloseTo((hand[0] + hand[1] + hand[2]) / 3, 12);
    expect(res.index).toBeGreaterThan(0);
    const acc = new LindemannAccumulator(3);
    for (const f of frames) acc.add(f);
    expect(acc.frames).toBe(50);
    expect(acc.index()).toBeCloseTo(res.index, 14);
    acc.reset();
    expect(acc.frames).toBe(0);
  });
  it('periodic frames use the minimum image (an atom crossing the boundary is not a jump)', () => {
    const f = bulk('Cu', 'fcc', { cubic: true, repeat: [2, 2, 2] });
    const g = makeFrame(f.symbols, f.positions, f.cell, f.pbc);
    g.positions[0] += 2 * 3.61; // the same atom one box length away
    expect(lindemann([f, g]).index).toBeLessThan(1e-13);
  });
  it('bad input is an error', () => {
    expect(() => new LindemannAccumulator(1)).toThrow(/atoms ≥ 2/);
    const acc = new LindemannAccumulator(2);
    acc.add(makeFrame(['Cu', 'Cu'], [0, 0, 0, 2, 0, 0]));
    expect(() => acc.index()).toThrow(/at least 2 frames, got 1/);
    expect(() => acc.add(makeFrame(['Cu'], [0, 0, 0]))).toThrow(/1 atoms, the accumulator 2/);
  });
});
