/** Statistics and schedules of the trainer on hand-checkable cases. */
import { describe, expect, it } from 'vitest';
import { makeFrame } from '../../src/core/atoms.ts';
import { initDpModel } from '../../src/core/train/init.ts';
import { computeEnergyBias, computeEnvStats, resolveAutoSel, statStd } from '../../src/core/train/stats.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { lrAt, makeLrSchedule, prefactor } from '../../src/core/train/schedule.ts';
import { splitIndices } from '../../src/core/train/trainer.ts';
import type { DpArchitecture } from '../../src/core/train/types.ts';

const arch = (typeMap: string[], sel: number[]): DpArchitecture => ({
  typeMap, rcut: 4.0, rcutSmth: 3.0, sel, embedding: [4], axisNeuron: 2, fitting: [4],
});

describe('environment statistics (davg/dstd)', () => {
  it('Cu dimer at r = 2.5 Å (switch = 1), sel 3: padding slots count as zeros', () => {
    const r = 2.5;
    const model = initDpModel(arch(['Cu', 'Ag'], [3, 2]), 1);
    const st = computeEnvStats(model, [makeFrame(['Cu', 'Cu'], [0, 0, 0, r, 0, 0])]);
    // Per Cu atom: 5 slots (sel 3 + 2), one real neighbour e = (1/r, ±1/r, 0, 0).
    // radial values over 2 atoms × 5 slots: two 1/r, eight 0 → mean 1/(5r), std sqrt(2/(10 r²) − 1/(25 r²)) = sqrt(4/25)/r
    // angular values: 2 × 5 × 3 = 30 numbers, +1/r and −1/r → mean 0, std sqrt(2/(30 r²))
    const nnei = 5;
    expect(st.davg[0]).toBeCloseTo(1 / (5 * r), 14);
    expect(st.dstd[0]).toBeCloseTo(Math.sqrt(2 / 10 - 1 / 25) / r, 14);
    expect(st.dstd[1]).toBeCloseTo(Math.sqrt(2 / 30) / r, 14);
    expect(st.dstd[3]).toBe(st.dstd[1]);
    expect(st.davg[1]).toBe(0);
    // constant over slots
    expect(st.davg[(nnei - 1) * 4]).toBe(st.davg[0]);
    expect(st.dstd[(nnei - 1) * 4 + 2]).toBe(st.dstd[2]);
    // the Ag type has no atoms: DeePMD's defaults (avg 0, std 0.1)
    expect(st.davg[nnei * 4]).toBe(0);
    expect(st.dstd[nnei * 4]).toBe(0.1);
    expect(st.dstd[nnei * 4 + 1]).toBe(0.1);
    expect(st.r[0].number).toBe(10);
    expect(st.a[0].number).toBe(30);
  });

  it('switching function enters the statistics (r inside the smooth region)', () => {
    const r = 3.5; // u = 0.5 → sw = 0.5
    const model = initDpModel(arch(['Cu'], [1]), 1);
    const st = computeEnvStats(model, [makeFrame(['Cu', 'Cu'], [0, 0, 0, 0, 0, r])]);
    expect(st.davg[0]).toBeCloseTo(0.5 / r, 14);
    // both atoms have the same radial value → std 0 → protection 1e-2
    expect(st.dstd[0]).toBe(1e-2);
    expect(st.dstd[1]).toBeCloseTo(Math.sqrt(((0.5 / r) ** 2 * 2) / 6), 14);
  });

  it('std protection and empty default as DeePMD StatItem', () => {
    expect(statStd({ number: 10, sum: 1, squaredSum: 0.1 })).toBe(1e-2);
    expect(statStd({ number: 0, sum: 0, squaredSum: 0 })).toBe(0.1);
    expect(statStd({ number: 4, sum: 0, squaredSum: 4 })).toBe(1);
  });
});

describe('sel "auto" (DeePMD update_sel)', () => {
  it('Cu13 icosahedron, rcut 3 Å: the centre has 12 neighbours → auto 16, auto:1.0 12', () => {
    const f = icosahedron('Cu', 2);
    const a = { ...arch(['Cu', 'Ag'], [0, 0]), rcut: 3.0, rcutSmth: 2.0 };
    expect(resolveAutoSel({ ...a, sel: 'auto' }, [f])).toEqual([16, 0]);
    expect(resolveAutoSel({ ...a, sel: 'auto:1.0' }, [f])).toEqual([12, 0]);
    expect(resolveAutoSel({ ...a, sel: [7, 3] }, [f])).toEqual([7, 3]);
    expect(() => resolveAutoSel({ ...a, sel: 'auto:x' as 'auto' }, [f])).toThrow(/auto:<ratio>/);
  });
});

describe('energy bias (least squares on compositions)', () => {
  it('recovers exact per-type energies', () => {
    const m = initDpModel(arch(['Cu', 'Ag'], [2, 2]), 1);
    const f = (nCu: number, nAg: number) => ({
      frame: makeFrame([...Array(nCu).fill('Cu'), ...Array(nAg).fill('Ag')], new Float64Array(3 * (nCu + nAg))),
      energy: -3.5 * nCu - 2.9 * nAg,
    });
    const b = computeEnergyBias(m, [f(3, 1), f(2, 2), f(5, 0), f(1, 4)]);
    expect(b[0]).toBeCloseTo(-3.5, 12);
    expect(b[1]).toBeCloseTo(-2.9, 12);
  });

  it('single type: Σ n E / Σ n²; rank-deficient compositions give the minimum-norm solution', () => {
    const m1 = initDpModel(arch(['Cu'], [2]), 1);
    const mk = (syms: string[], e: number) => ({ frame: makeFrame(syms, new Float64Array(3 * syms.length)), energy: e });
    const b1 = computeEnergyBias(m1, [mk(Array(13).fill('Cu'), -40), mk(Array(19).fill('Cu'), -60)]);
    expect(b1[0]).toBeCloseTo((13 * -40 + 19 * -60) / (13 * 13 + 19 * 19), 12);
    // Cu:Ag always 1:1 → only b_Cu + b_Ag is determined; minimum norm splits it equally.
    const m2 = initDpModel(arch(['Cu', 'Ag'], [2, 2]), 1);
    const b2 = computeEnergyBias(m2, [mk(['Cu', 'Ag'], -6), mk(['Cu', 'Ag', 'Cu', 'Ag'], -12)]);
    expect(b2[0]).toBeCloseTo(-3, 10);
    expect(b2[1]).toBeCloseTo(-3, 10);
  });
});

describe('learning-rate schedule and prefactors (DeePMD LearningRateExp)', () => {
  it('staircase decay reaching stop_lr at numb_steps', () => {
    const s = makeLrSchedule(1e-3, 3.5e-8, 2000, 400000);
    expect(s.decaySteps).toBe(2000);
    expect(lrAt(s, 0)).toBe(1e-3);
    expect(lrAt(s, 1999)).toBe(1e-3);
    expect(lrAt(s, 2000)).toBeCloseTo(1e-3 * s.decayRate, 18);
    expect(lrAt(s, 400000) / 3.5e-8).toBeCloseTo(1, 10);
    expect(s.decayRate).toBeCloseTo(Math.exp(Math.log(3.5e-5) / 200), 15);
  });

  it('decay_steps ≥ numb_steps is replaced as DeePMD does', () => {
    expect(makeLrSchedule(1e-3, 1e-8, 5000, 1000).decaySteps).toBe(11); // 1000//100 + 1
    expect(makeLrSchedule(1e-3, 1e-8, 50000, 20000).decaySteps).toBe(100); // 20000//10 > 100
  });

  it('prefactors follow lr/start_lr', () => {
    expect(prefactor(1000, 1, 1e-3, 1e-3)).toBe(1000);
    expect(prefactor(0.02, 1, 0, 1e-3)).toBe(1);
    expect(prefactor(1000, 1, 5e-4, 1e-3)).toBeCloseTo(500.5, 12);
  });
});

describe('train/validation split', () => {
  it('is seeded, disjoint and complete', () => {
    const a = splitIndices(40, 0.1, 0), b = splitIndices(40, 0.1, 0), c = splitIndices(40, 0.1, 1);
    expect(a).toEqual(b);
    expect(a.validation).toHaveLength(4);
    expect(new Set([...a.train, ...a.validation]).size).toBe(40);
    expect(c.validation).not.toEqual(a.validation);
    expect(splitIndices(1, 0.1, 0).validation).toHaveLength(0);
    expect(splitIndices(5, 0.01, 0).validation).toHaveLength(1);
  });
});
