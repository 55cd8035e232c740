import { describe, expect, it } from 'vitest';
import { errorMetrics, rmse, meanSignedError, meanUnsignedError, perAtom } from '../../../src/core/analysis/errors.ts';

describe('parity-plot error metrics', () => {
  it('a hand-made example', () => {
    // errors pred − ref: +1, −2, +3, 0 → MSE 0.5, MUE 1.5, RMSE sqrt(14/4)
    const ref = [10, 20, 30, 40];
    const pred = [11, 18, 33, 40];
    const m = errorMetrics(pred, ref);
    expect(m.mse).toBeCloseTo(0.5, 15);
    expect(m.mue).toBeCloseTo(1.5, 15);
    expect(m.rmse).toBeCloseTo(Math.sqrt(3.5), 15);
    expect(m.maxAbs).toBe(3);
    expect(m.n).toBe(4);
    expect(rmse(pred, ref)).toBe(m.rmse);
    expect(meanSignedError(pred, ref)).toBe(m.mse);
    expect(meanUnsignedError(pred, ref)).toBe(m.mue);
  });
  it('a constant offset shows in MSE = MUE = RMSE', () => {
    const m = errorMetrics([1.1, 2.1, 3.1], [1, 2, 3]);
    expect(m.mse).toBeCloseTo(0.1, 12);
    expect(m.mue).toBeCloseTo(0.1, 12);
    expect(m.rmse).toBeCloseTo(0.1, 12);
  });
  it('per-atom energies', () => {
    expect(Array.from(perAtom([-55, -147], [55, 147]))).toEqual([-1, -1]);
    expect(() => perAtom([1], [0])).toThrow(/frame 0 has 0 atoms/);
  });
  it('mismatched, empty or non-finite input is an error', () => {
    expect(() => errorMetrics([1, 2], [1])).toThrow(/differ in length/);
    expect(() => errorMetrics([], [])).toThrow(/no values/);
    expect(() => errorMetrics([Number.NaN], [1])).toThrow(/prediction 0 is not finite/);
    expect(() => errorMetrics([1], [Infinity])).toThrow(/reference 0 is not finite/);
  });
});
