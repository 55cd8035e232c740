import { describe, expect, it } from 'vitest';
import { columnsToCsv, fileStem, MAX_STEM } from '../../src/ui/plots/export.ts';

describe('file names from titles (one rule for every download)', () => {
  it('keeps letters, digits, dots, underscores and dashes; any other run becomes one dash', () => {
    expect(fileStem('Cu55 icosahedron', 'x')).toBe('Cu55-icosahedron');
    expect(fileStem('run.extxyz: 55 atoms (frame 1 of 3)', 'x')).toBe('run.extxyz-55-atoms-frame-1-of-3');
    expect(fileStem('md-1733-2_a', 'x')).toBe('md-1733-2_a');
  });
  it('no path, hidden or dot-only names; the fallback when nothing is left', () => {
    expect(fileStem('../../etc/passwd', 'x')).toBe('etc-passwd');
    expect(fileStem('.hidden', 'x')).toBe('hidden');
    expect(fileStem('...', 'structure')).toBe('structure');
    expect(fileStem('   ', 'studio')).toBe('studio');
    expect(fileStem('Ω ∑', 'view')).toBe('view');
  });
  it('at most MAX_STEM characters, with no dash left at the cut', () => {
    const long = fileStem(`${'a'.repeat(MAX_STEM - 1)} b${'c'.repeat(40)}`, 'x');
    expect(long).toBe('a'.repeat(MAX_STEM - 1));
    expect(fileStem('b'.repeat(3 * MAX_STEM), 'x')).toHaveLength(MAX_STEM);
  });
});

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
