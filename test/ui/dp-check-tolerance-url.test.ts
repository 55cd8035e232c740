import { describe, expect, it } from 'vitest';
import { dpCheckToleranceFromUrl } from '../../src/ui/engine/sim-client.ts';

describe('dpCheckToleranceFromUrl (test-only URL parameter of the DP kernel check)', () => {
  it('is absent by default and reads a number when given', () => {
    expect(dpCheckToleranceFromUrl('')).toBeNull();
    expect(dpCheckToleranceFromUrl('?mode=teach')).toBeNull();
    expect(dpCheckToleranceFromUrl('?dpCheckTolerance=1e-9')).toBe(1e-9);
    expect(dpCheckToleranceFromUrl('?a=1&dpCheckTolerance=0')).toBe(0);
  });
  it('names a bad value', () => {
    for (const bad of ['', 'abc', '-1', 'Infinity', 'NaN']) {
      expect(() => dpCheckToleranceFromUrl(`?dpCheckTolerance=${bad}`)).toThrow(/URL parameter dpCheckTolerance must be a finite number ≥ 0/);
    }
  });
});
