import { describe, expect, it } from 'vitest';
import { columnsToCsv } from '../../src/ui/plots/export.ts';

describe('plot CSV export', () => {
  it('writes a header with units and one row per point; gaps stay empty; labels are quoted when needed', () => {
    const csv = columnsToCsv(['step', 'E_pot (eV)', 'note, "x"'], [[0, 10], [-1.5, null], [1]]);
    expect(csv).toBe('step,E_pot (eV),"note, ""x"""\n0,-1.5,1\n10,,\n');
  });
  it('refuses mismatched labels', () => {
    expect(() => columnsToCsv(['a'], [[1], [2]])).toThrow(/1 labels for 2 columns/);
  });
});

describe('scatter ranges', () => {
  it('pads a range on both sides and widens a zero span', async () => {
    const { padRange } = await import('../../src/ui/plots/ranges.ts');
    const [a, b] = padRange(1, 3);
    expect(a).toBeCloseTo(0.88, 12);
    expect(b).toBeCloseTo(3.12, 12);
    expect(padRange(2, 2)).toEqual([1.5, 2.5]);
  });
});
