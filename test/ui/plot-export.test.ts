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
