import { describe, expect, it } from 'vitest';
import { cloneFrame, makeFrame } from '../../../src/core/atoms.ts';
import { cnHistogramDescriptor, farthestPointSelect } from '../../../src/core/analysis/farthest-point.ts';
import { bulk } from '../../../src/core/build/bulk.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { surface } from '../../../src/core/build/surface.ts';

const d1 = (...xs: number[]): Float64Array[] => xs.map((x) => Float64Array.of(x));

describe('cnHistogramDescriptor', () => {
  it('Cu13 icosahedron: 12 surface atoms with CN 6 and the centre with CN 12', () => {
    const h = cnHistogramDescriptor(icosahedron('Cu', 2), 3.0);
    expect(h.length).toBe(17);
    expect(h[6]).toBeCloseTo(12 / 13, 14);
    expect(h[12]).toBeCloseTo(1 / 13, 14);
    expect(h.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
  });

  it('fcc bulk: every atom has CN 12 (periodic images counted); larger CN clamp into the last bin', () => {
    const b = bulk('Cu', 'fcc', { cubic: true });
    expect(Array.from(cnHistogramDescriptor(b, 3.0))).toEqual(Array.from({ length: 17 }, (_, k) => (k === 12 ? 1 : 0)));
    const clamped = cnHistogramDescriptor(b, 3.0, 8);
    expect(clamped.length).toBe(9);
    expect(clamped[8]).toBe(1);
  });

  it('does not depend on atom order, rotation or translation', () => {
    const f = surface('Cu', 'fcc111', [2, 2, 4], { vacuum: 8 });
    const n = f.symbols.length;
    const perm = Array.from({ length: n }, (_, i) => (i * 7 + 3) % n);
    const g = cloneFrame(f);
    perm.forEach((p, i) => { for (let c = 0; c < 3; c++) g.positions[3 * i + c] = f.positions[3 * p + c] + [1.3, -2.1, 0.4][c]; });
    expect(Array.from(cnHistogramDescriptor(g, 3.0))).toEqual(Array.from(cnHistogramDescriptor(f, 3.0)));
    const c13 = icosahedron('Cu', 2);
    const rot = makeFrame(c13.symbols, Array.from({ length: 13 }, (_, i) => {
      const [x, y, z] = [c13.positions[3 * i], c13.positions[3 * i + 1], c13.positions[3 * i + 2]];
      return [Math.cos(0.7) * x - Math.sin(0.7) * y, Math.sin(0.7) * x + Math.cos(0.7) * y, z];
    }).flat());
    expect(Array.from(cnHistogramDescriptor(rot, 3.0))).toEqual(Array.from(cnHistogramDescriptor(c13, 3.0)));
  });

  it('rejects an empty frame, a bad cutoff and a bad maxCn', () => {
    expect(() => cnHistogramDescriptor(makeFrame([], []), 3)).toThrow(/no atoms/);
    expect(() => cnHistogramDescriptor(icosahedron('Cu', 2), -1)).toThrow(/cutoff/);
    expect(() => cnHistogramDescriptor(icosahedron('Cu', 2), 3, 0)).toThrow(/maxCn/);
  });
});

describe('farthestPointSelect', () => {
  it('picks the farthest point from the chosen set each time (1-D, hand-checked)', () => {
    // from 0: 10 is farthest; then 4 (4 from 0, 6 from 10) beats 1 (1 from 0); then 1.
    expect(farthestPointSelect(d1(0, 1, 10, 4), 4)).toEqual([0, 2, 3, 1]);
    expect(farthestPointSelect(d1(0, 1, 10, 4), 2, 2)).toEqual([2, 0]);
  });

  it('breaks ties by the lowest index and is deterministic', () => {
    expect(farthestPointSelect(d1(0, 2, -2), 3)).toEqual([0, 1, 2]);
    const pts = Array.from({ length: 40 }, (_, i) => Float64Array.of(Math.sin(i * 1.7), Math.cos(i * 0.3)));
    expect(farthestPointSelect(pts, 10)).toEqual(farthestPointSelect(pts, 10));
  });

  it('takes each distinct structure before any duplicate', () => {
    const ico = cnHistogramDescriptor(icosahedron('Cu', 2), 3.0);
    const fcc = cnHistogramDescriptor(bulk('Cu', 'fcc', { cubic: true }), 3.0);
    const slab = cnHistogramDescriptor(surface('Cu', 'fcc100', [2, 2, 4], { vacuum: 8 }), 3.0);
    const set = [ico, ico, ico, fcc, ico, fcc, slab, ico];
    const pick = farthestPointSelect(set, 3);
    expect(new Set(pick.map((i) => set[i]))).toEqual(new Set([ico, fcc, slab]));
  });

  it('returns every index when k ≥ n, nothing for k = 0 or no descriptors', () => {
    expect(farthestPointSelect(d1(5, 1, 3), 10).sort()).toEqual([0, 1, 2]);
    expect(farthestPointSelect(d1(5, 1, 3), 0)).toEqual([]);
    expect(farthestPointSelect([], 3)).toEqual([]);
  });

  it('names bad input', () => {
    expect(() => farthestPointSelect(d1(1, 2), -1)).toThrow(/k must be/);
    expect(() => farthestPointSelect(d1(1, 2), 1, 5)).toThrow(/first must be/);
    expect(() => farthestPointSelect([Float64Array.of(1), Float64Array.of(1, 2)], 2)).toThrow(/descriptor 1 has length 2/);
    expect(() => farthestPointSelect([Float64Array.of(1), Float64Array.of(NaN)], 2)).toThrow(/non-finite/);
  });
});
