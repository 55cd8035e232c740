import { describe, expect, it } from 'vitest';
import { rdf, pairDistanceHistogram } from '../../../src/core/analysis/rdf.ts';
import { bulk } from '../../../src/core/build/bulk.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { surface } from '../../../src/core/build/surface.ts';

describe('g(r)', () => {
  const a = 3.61;
  const f = bulk('Cu', 'fcc', { cubic: true, repeat: [3, 3, 3] });
  const res = rdf(f, { rmax: 6, nbins: 600 });
  it('fcc: first peak at a/√2, coordination 12 after the first shell, 18 after the second', () => {
    let kmax = 0;
    for (let k = 1; k < res.g.length; k++) if (res.g[k] > res.g[kmax]) kmax = k;
    expect(Math.abs(res.r[kmax] - a / Math.SQRT2)).toBeLessThan(0.01);
    const at = (x: number) => res.coordination[Math.floor(x / 0.01) - 1];
    expect(at(3.0)).toBe(12);
    expect(at(3.8)).toBe(18); // second shell: 6 at a
    expect(at(2.5)).toBe(0);
    expect(res.density).toBeCloseTo(4 / a ** 3, 14);
  });
  it('ρ∫4πr²g dr reproduces the running coordination', () => {
    let integral = 0;
    for (let k = 0; k < res.g.length; k++) {
      integral += res.density * res.g[k] * ((4 * Math.PI) / 3) * (res.edges[k + 1] ** 3 - res.edges[k] ** 3);
      expect(integral).toBeCloseTo(res.coordination[k], 9);
    }
  });
  it('averages frames and agrees between a primitive cell and a supercell', () => {
    const p = rdf([bulk('Cu'), bulk('Cu')], { rmax: 6, nbins: 60 });
    const s = rdf(f, { rmax: 6, nbins: 60 });
    expect(p.frames).toBe(2);
    for (let k = 0; k < 60; k++) expect(p.g[k]).toBeCloseTo(s.g[k], 9);
  });
  it('refuses clusters and slabs, and bad bins', () => {
    expect(() => rdf(icosahedron('Cu', 3), { rmax: 5, nbins: 10 })).toThrow(/pairDistanceHistogram/);
    expect(() => rdf(surface('Cu', 'fcc111', [2, 2, 3], { vacuum: 5 }), { rmax: 5, nbins: 10 })).toThrow(/not periodic in all three/);
    expect(() => rdf(f, { rmax: 0, nbins: 10 })).toThrow(/rmax/);
    expect(() => rdf(f, { rmax: 5, nbins: 0 })).toThrow(/nbins/);
  });
});

describe('pair-distance histogram', () => {
  it('Cu13 icosahedron: 12 centre bonds + 30 surface edges, all pairs counted once', () => {
    const f = icosahedron('Cu', 2, 3.61);
    const h = pairDistanceHistogram(f, { rmax: 6, nbins: 600 });
    const total = h.counts.reduce((s, c) => s + c, 0);
    expect(total).toBe(78); // 13·12/2, all below 6 Å
    const d = 3.61 / Math.SQRT2;
    expect(h.counts[Math.floor(d / 0.01)]).toBe(12);
    const edge = d * 1.0514622242382672; // tangential edge of the Mackay icosahedron
    expect(h.counts[Math.floor(edge / 0.01)]).toBe(30);
    const area = h.pdf.reduce((s, p) => s + p * 0.01, 0);
    expect(area).toBeCloseTo(1, 12);
  });
  it('frames must have the same atoms', () => {
    expect(() => pairDistanceHistogram([icosahedron('Cu', 2), icosahedron('Cu', 3)], { rmax: 5, nbins: 5 })).toThrow(/frame 1 has 55 atoms/);
  });
});
