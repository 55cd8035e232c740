import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { readPlan, validatePlan } from '../../src/loop/plan.ts';
import { findLagging, median, replacementSeed, trustWarning } from '../../src/loop/lagging.ts';

describe('lagging-seed rule and the trust-lo warning', () => {
  it('flags members above factor × median (median of the whole ensemble, itself included)', () => {
    expect(median([0.3, 0.1, 0.2])).toBe(0.2);
    expect(median([0.4, 0.1, 0.2, 0.3])).toBeCloseTo(0.25, 15);
    // the demo run's iteration 0: three seeds near 0.13 eV/Å, seed 4 at 0.30
    expect(findLagging([0.128, 0.125, 0.131, 0.30], 1.5)).toEqual({ medianForce: 0.1295, lagging: [3] });
    expect(findLagging([0.128, 0.125, 0.131, 0.18], 1.5).lagging).toEqual([]);
    // two models: the median is their mean, so one must be > 3× the other at factor 1.5
    expect(findLagging([0.1, 0.29], 1.5).lagging).toEqual([]);
    expect(findLagging([0.1, 0.31], 1.5).lagging).toEqual([1]);
    expect(findLagging([0.2], 1.5).lagging).toEqual([]);
  });

  it('fresh seeds never collide with the initial seeds or with each other', () => {
    const used = new Set(Array.from({ length: 4 }, (_, k) => 7 + k));
    for (let n = 0; n < 20; n++) for (let k = 0; k < 4; k++) {
      const s = replacementSeed(7, 4, n, k);
      expect(used.has(s)).toBe(false);
      used.add(s);
    }
  });

  it('warns only for system types whose trust lo is below the validation force RMSE', () => {
    const plan = readPlan('plans/demo-cu.yaml');
    plan.trust.bulk = { lo: 0.2, hi: 0.5 };
    expect(trustWarning(plan, ['cluster', 'bulk'], 0.04)).toBeNull();
    const w = trustWarning(plan, ['cluster', 'bulk'], 0.12)!;
    expect(w).toMatch(/^validation force RMSE \(median over models\) 0\.120 eV\/Å is above trust lo of cluster \(0\.05 eV\/Å\): .*convergence level 0\.99 is out of reach/);
    expect(w).not.toMatch(/bulk/);
    expect(trustWarning(plan, ['bulk'], 0.12)).toBeNull();
  });

  it('the plan: on by default (factor 1.5), null turns it off, a factor ≤ 1 is refused', () => {
    const raw = parse(readFileSync('plans/demo-cu.yaml', 'utf8')) as { training: Record<string, unknown> };
    delete raw.training.replaceLagging;
    expect(validatePlan(raw).training.replaceLagging).toEqual({ factor: 1.5 });
    expect(validatePlan({ ...raw, training: { ...raw.training, replaceLagging: null } }).training.replaceLagging).toBeNull();
    expect(() => validatePlan({ ...raw, training: { ...raw.training, replaceLagging: { factor: 1 } } }, 'p.yaml'))
      .toThrow(/training\.replaceLagging\.factor: must be > 1/);
  });
});
