import { describe, expect, it } from 'vitest';
import { mapClasses } from '../../../src/ui/analysis/map-colour.ts';
import { thinIndices } from '../../../src/ui/analysis/thin.ts';

const rows = { group: [0, 0, 0, 1, 1], frame: [0, 0, 1, 0, 0], atom: [0, 1, 0, 0, 1] };
const frames = [
  [
    { symbols: ['Cu', 'Cu'], positions: [0, 0, 0, 2.5, 0, 0], deviation: [0.01, 0.2] },
    { symbols: ['Cu'], positions: [0, 0, 0], deviation: [0.1] },
  ],
  [{ symbols: ['Cu', 'Cu'], positions: [0, 0, 0, 2.5, 0, 0] }],
];

describe('descriptor map colouring', () => {
  it('by source: the class is the group', () => {
    const c = mapClasses(rows, ['run', 'ref'], frames, 'source', { lo: 0.05, hi: 0.15 });
    expect(Array.from(c.cls)).toEqual([0, 0, 0, 1, 1]);
    expect(c.names).toEqual(['run', 'ref']);
    expect(c.colours).toHaveLength(2);
  });
  it('by deviation: good/decent/poor on the trust levels, none for frames without deviations', () => {
    const c = mapClasses(rows, ['run', 'ref'], frames, 'deviation', { lo: 0.05, hi: 0.15 });
    expect(Array.from(c.cls)).toEqual([0, 2, 1, 3, 3]);
    expect(c.names[1]).toContain('decent');
    const tight = mapClasses(rows, ['run', 'ref'], frames, 'deviation', { lo: 0.005, hi: 0.02 });
    expect(Array.from(tight.cls)).toEqual([1, 2, 2, 3, 3]);
  });
  it('names bad trust levels', () => {
    expect(() => mapClasses(rows, ['a', 'b'], frames, 'deviation', { lo: 0.2, hi: 0.1 })).toThrow(/0 < lo < hi/);
  });
});

describe('thinning the frames of a run', () => {
  it('keeps all frames up to the cap, else evenly spaced ending with the last', () => {
    expect(thinIndices(3, 25)).toEqual([0, 1, 2]);
    const t = thinIndices(100, 25);
    expect(t).toHaveLength(25);
    expect(t[24]).toBe(99);
    expect(new Set(t).size).toBe(25);
    expect([...t].sort((a, b) => a - b)).toEqual(t);
  });
});
