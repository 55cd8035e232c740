import { describe, expect, it } from 'vitest';
import { buildNeighborList } from '../../src/core/neighbor/neighbor-list.ts';
import { makeFrame, type Frame } from '../../src/core/atoms.ts';

/** O(N²·images) reference: all images within a generous range. */
function bruteForce(f: Frame, rc: number): Map<number, number[]> {
  const n = f.symbols.length;
  const out = new Map<number, number[]>();
  const R = f.cell && f.pbc.some(Boolean) ? 4 : 0;
  for (let i = 0; i < n; i++) {
    const d: number[] = [];
    for (let j = 0; j < n; j++) {
      for (let a = -R; a <= R; a++) for (let b = -R; b <= R; b++) for (let c = -R; c <= R; c++) {
        if ((a && !f.pbc[0]) || (b && !f.pbc[1]) || (c && !f.pbc[2])) continue;
        if (i === j && !a && !b && !c) continue;
        const s = [0, 1, 2].map((k) => (f.cell ? a * f.cell[k] + b * f.cell[3 + k] + c * f.cell[6 + k] : 0));
        const r = Math.hypot(...[0, 1, 2].map((k) => f.positions[3 * j + k] + s[k] - f.positions[3 * i + k]));
        if (r < rc) d.push(r);
      }
    }
    out.set(i, d.sort((x, y) => x - y));
  }
  return out;
}

function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 4294967296);
}

function check(f: Frame, rc: number) {
  const nl = buildNeighborList(f, rc);
  const ref = bruteForce(f, rc);
  for (let i = 0; i < f.symbols.length; i++) {
    const got: number[] = [];
    for (let p = nl.offsets[i]; p < nl.offsets[i + 1]; p++) {
      got.push(Math.hypot(nl.vectors[3 * p], nl.vectors[3 * p + 1], nl.vectors[3 * p + 2]));
    }
    got.sort((x, y) => x - y);
    const want = ref.get(i)!;
    expect(got.length).toBe(want.length);
    got.forEach((r, k) => expect(r).toBeCloseTo(want[k], 10));
  }
  return nl;
}

describe('cell-list neighbour list', () => {
  it('matches brute force for an open cluster', () => {
    const rnd = seeded(1);
    const pos = Array.from({ length: 90 }, () => rnd() * 12);
    check(makeFrame(new Array(30).fill('Cu'), pos), 4.5);
  });

  it('matches brute force in a triclinic periodic box smaller than 2·rcut (self images)', () => {
    const rnd = seeded(2);
    const cell = [3.1, 0, 0, 0.9, 2.8, 0, 0.4, -0.6, 3.3];
    const s = Array.from({ length: 15 }, () => rnd());
    const pos: number[] = [];
    for (let i = 0; i < 5; i++) for (let k = 0; k < 3; k++) pos.push(s[3 * i] * cell[k] + s[3 * i + 1] * cell[3 + k] + s[3 * i + 2] * cell[6 + k]);
    const nl = check(makeFrame(new Array(5).fill('Cu'), pos, cell, [true, true, true]), 5.0);
    // An atom sees its own periodic images.
    let selfImages = 0;
    for (let p = nl.offsets[0]; p < nl.offsets[1]; p++) if (nl.neighbors[p] === 0) selfImages++;
    expect(selfImages).toBeGreaterThan(0);
  });

  it('handles mixed pbc (slab) and atoms outside the cell', () => {
    const rnd = seeded(3);
    const cell = [5, 0, 0, 0, 6, 0, 0, 0, 20];
    const pos = Array.from({ length: 60 }, (_, i) => (i % 3 === 2 ? rnd() * 8 : rnd() * 14 - 4));
    check(makeFrame(new Array(20).fill('Cu'), pos, cell, [true, true, false]), 3.7);
  });

  it('rejects a non-positive cutoff', () => {
    expect(() => buildNeighborList(makeFrame(['Cu'], [0, 0, 0]), 0)).toThrow(/cutoff/);
  });
});
