import { describe, expect, it } from 'vitest';
import { randomCluster, clusterBounds } from '../../../src/core/build/random-cluster.ts';
import { Rng } from '../../../src/core/random.ts';

describe('randomCluster', () => {
  it('respects dmin and dmax and is connected for several seeds and sizes', () => {
    for (const seed of [1, 2, 3, 42, 12345]) {
      for (const [n, dmin, dmax] of [[20, 2.2, 3.0], [55, 1.5, 3.0], [13, 2.4, 2.6]] as const) {
        const f = randomCluster('Cu', n, { dmin, dmax, seed });
        expect(f.symbols.length).toBe(n);
        const b = clusterBounds(f, dmax + 1e-9);
        expect(b.minDistance).toBeGreaterThanOrEqual(dmin - 1e-12);
        expect(b.allHaveNeighbour).toBe(true);
        expect(b.connected).toBe(true);
        expect(f.cell).toBeNull();
      }
    }
  });
  it('house bounds: placed 1.8–3.0 Å from a parent, 1.5 Å minimum', () => {
    const f = randomCluster('Au', 30, { dmin: 1.5, placeMin: 1.8, dmax: 3.0, seed: 7 });
    const b = clusterBounds(f, 3.0 + 1e-9);
    expect(b.minDistance).toBeGreaterThanOrEqual(1.5);
    expect(b.connected).toBe(true);
  });
  it('is deterministic per seed and differs between seeds', () => {
    const a = randomCluster('Cu', 20, { dmin: 2.2, dmax: 3.0, seed: 1 });
    const b = randomCluster('Cu', 20, { dmin: 2.2, dmax: 3.0, seed: 1 });
    const c = randomCluster('Cu', 20, { dmin: 2.2, dmax: 3.0, seed: 2 });
    expect(Array.from(a.positions)).toEqual(Array.from(b.positions));
    expect(Array.from(a.positions)).not.toEqual(Array.from(c.positions));
    // An explicit generator gives the same cluster as the seed.
    const d = randomCluster('Cu', 20, { dmin: 2.2, dmax: 3.0, rng: new Rng(1) });
    expect(Array.from(d.positions)).toEqual(Array.from(a.positions));
  });
  it('is centred on the origin', () => {
    const f = randomCluster('Cu', 10, { dmin: 2, dmax: 3, seed: 3 });
    for (let k = 0; k < 3; k++) {
      let s = 0;
      for (let i = 0; i < 10; i++) s += f.positions[3 * i + k];
      expect(Math.abs(s)).toBeLessThan(1e-12);
    }
  });
  it('one atom is fine', () => {
    expect(randomCluster('Cu', 1, { dmin: 2, dmax: 3, seed: 1 }).symbols).toEqual(['Cu']);
  });
  it('impossible bounds and bad input are clear errors', () => {
    expect(() => randomCluster('Cu', 10, { dmin: 3.0, dmax: 2.0, seed: 1 })).toThrow(/impossible distance bounds: dmin 3 Å > dmax 2 Å/);
    expect(() => randomCluster('Cu', 10, { dmin: 0, dmax: 2.0, seed: 1 })).toThrow(/dmin must be a positive/);
    expect(() => randomCluster('Cu', 10, { dmin: -1, dmax: 2.0, seed: 1 })).toThrow(/dmin must be a positive/);
    expect(() => randomCluster('Cu', 10, { dmin: 1, dmax: Number.NaN, seed: 1 })).toThrow(/dmax must be a positive/);
    expect(() => randomCluster('Cu', 0, { dmin: 2, dmax: 3, seed: 1 })).toThrow(/integer number of atoms ≥ 1/);
    expect(() => randomCluster('Xx', 5, { dmin: 2, dmax: 3, seed: 1 })).toThrow(/unknown element 'Xx'/);
    expect(() => randomCluster('Cu', 5, { dmin: 2, dmax: 3, placeMin: 1, seed: 1 })).toThrow(/placeMin/);
    expect(() => randomCluster('Cu', 5, { dmin: 2, dmax: 3 })).toThrow(/needs a seed/);
  });
  it('too many failed attempts is an error naming the atom', () => {
    // One proposal per atom: in a 200-atom cluster, some proposal lands too close to an atom.
    expect(() => randomCluster('Cu', 200, { dmin: 2.9, dmax: 3.0, seed: 1, maxAttempts: 1 })).toThrow(/could not place atom \d+ of 200 .* after 1 attempts/);
  });
});
