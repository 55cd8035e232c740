import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random.ts';

describe('Rng (xoshiro128**)', () => {
  it('matches the reference C output for state {1,2,3,4}', () => {
    const r = Rng.restore({ s: [1, 2, 3, 4], spare: null });
    expect(Array.from({ length: 6 }, () => r.nextUint32())).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });
  it('is reproducible from a seed and resumable from state()', () => {
    const a = new Rng(42), b = new Rng(42);
    const xa = Array.from({ length: 5 }, () => a.normal());
    expect(Array.from({ length: 5 }, () => b.normal())).toEqual(xa);
    const st = a.state();
    const next = [a.uniform(), a.normal(), a.normal()];
    const c = Rng.restore(JSON.parse(JSON.stringify(st)));
    expect([c.uniform(), c.normal(), c.normal()]).toEqual(next);
    expect(new Rng(43).uniform()).not.toBe(new Rng(42).uniform());
  });
  it('uniform in [0,1) and normal have the right first two moments', () => {
    const r = new Rng(7);
    const n = 200_000;
    let su = 0, sn = 0, sn2 = 0, umin = 1, umax = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform(); su += u; umin = Math.min(umin, u); umax = Math.max(umax, u);
      const z = r.normal(); sn += z; sn2 += z * z;
    }
    expect(umin).toBeGreaterThanOrEqual(0); expect(umax).toBeLessThan(1);
    // 5 standard errors: mean of U has sd sqrt(1/12/n); mean of Z sd 1/sqrt(n); mean of Z² sd sqrt(2/n)
    expect(Math.abs(su / n - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(sn / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sn2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  });
});
