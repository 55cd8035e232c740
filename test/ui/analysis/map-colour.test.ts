import { describe, expect, it } from 'vitest';
import { mapClasses } from '../../../src/ui/analysis/map-colour.ts';
import { thinIndices } from '../../../src/ui/analysis/thin.ts';
import { CLASS_COLOURS } from '../../../src/ui/colors.ts';

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
    // The timeline's colours and rule: a deviation exactly at lo is decent, at hi poor, NaN poor.
    expect(c.colours.slice(0, 3)).toEqual([CLASS_COLOURS.good, CLASS_COLOURS.decent, CLASS_COLOURS.poor]);
    const edge = [[{ symbols: ['Cu', 'Cu', 'Cu'], positions: [0, 0, 0, 2.5, 0, 0, 5, 0, 0], deviation: [0.05, 0.15, Number.NaN] }]];
    const e = mapClasses({ group: [0, 0, 0], frame: [0, 0, 0], atom: [0, 1, 2] }, ['run'], edge, 'deviation', { lo: 0.05, hi: 0.15 });
    expect(Array.from(e.cls)).toEqual([1, 2, 2]);
  });
  it('names bad trust levels', () => {
    expect(() => mapClasses(rows, ['a', 'b'], frames, 'deviation', { lo: 0.2, hi: 0.1 })).toThrow(/colouring by deviation: trust levels must satisfy lo < hi/);
    expect(() => mapClasses(rows, ['a', 'b'], frames, 'deviation', { lo: 0, hi: 0.1 })).toThrow(/lo must be > 0/);
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
