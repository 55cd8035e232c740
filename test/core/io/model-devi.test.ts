/**
 * model_devi.out in the layout of DeePMD-kit's LAMMPS pair style: exact header, %12d step and
 * " %18.6e" values, read back by the parser; rows of a real ensemble deviation round-trip.
 */
import { describe, expect, it } from 'vitest';
import { formatModelDevi, formatModelDeviHeader, formatModelDeviLine, parseModelDevi, MODEL_DEVI_COLUMNS } from '../../../src/core/io/model-devi.ts';
import { modelDeviation } from '../../../src/core/potentials/dp/deviation.ts';

describe('model_devi.out (DeePMD LAMMPS layout)', () => {
  it('writes the exact header', () => {
    expect(formatModelDeviHeader()).toBe(
      '#       step         max_devi_v         min_devi_v         avg_devi_v         max_devi_f         min_devi_f         avg_devi_f',
    );
  });

  it('writes %12d and %18.6e columns separated by one space', () => {
    const line = formatModelDeviLine({ step: 100, max_devi_v: 1.2345678e-2, min_devi_v: 0, avg_devi_v: 3e-7, max_devi_f: 0.25, min_devi_f: 1e-120, avg_devi_f: -1.5 });
    expect(line).toBe(
      '         100       1.234568e-02       0.000000e+00       3.000000e-07       2.500000e-01      1.000000e-120      -1.500000e+00',
    );
    expect(line.length).toBe(12 + 6 * 19);
    expect(() => formatModelDeviLine({ step: 1.5, max_devi_v: 0, min_devi_v: 0, avg_devi_v: 0, max_devi_f: 0, min_devi_f: 0, avg_devi_f: 0 })).toThrow(/step must be an integer/);
  });

  it('round-trips an ensemble deviation through the text and names bad lines', () => {
    const F = [
      [1, 0, 0, 0, 2, 0],
      [0, 1, 0, 0, 2, 1],
      [0, 0, 1, 0, 2, 2],
    ];
    const d = modelDeviation(F.map((f, k) => ({ energy: -k, forces: f, virial: Array.from({ length: 9 }, (_, c) => c * k) })));
    const text = formatModelDevi([{ step: 0, ...d }, { step: 10, ...d }]);
    const lines = text.split('\n');
    expect(lines.length).toBe(4); // header, 2 rows, trailing newline
    const back = parseModelDevi(text);
    expect(back.map((r) => r.step)).toEqual([0, 10]);
    for (const c of MODEL_DEVI_COLUMNS) expect(back[1][c]).toBeCloseTo(d[c], 6);
    expect(() => parseModelDevi('#x\n  1 2 3\n', 'run/model_devi.out')).toThrow(/run\/model_devi.out line 2: expected 7 columns/);
    expect(() => parseModelDevi('1 2 3 x 5 6 7\n')).toThrow(/line 1: column 4 "x" is not a number/);
  });
});
