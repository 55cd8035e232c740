// Basin hopping as the studio worker runs it, on the CPU ensemble: every evaluation becomes a
// candidate frame with its deviation, trials and distinct minima are reported, stop works.
import { describe, expect, it } from 'vitest';
import { BhmcRun, validateBhmcParams, type BhmcMinimumInfo, type BhmcTrialInfo } from '../../src/worker/bhmc-run.ts';
import type { RunInfo, SavedFrame } from '../../src/worker/frames.ts';
import { demoEnsemble } from './demo-ensemble.ts';

const info: RunInfo = {
  id: 'bhmc-test', kind: 'bhmc', ensemble: 'bhmc', structure: 'Cu8', temperatureK: 1500, dtFs: 0, engine: 'cpu', models: [],
  trustLo: 0.05, trustHi: 0.15, seed: 4, startedAt: new Date(0).toISOString(),
};

describe('BHMC run (CPU path)', () => {
  it('Cu8, 4 trials: one frame per evaluation with its deviation, a trial per relaxation, distinct minima', async () => {
    const calc = await demoEnsemble();
    let evals = 0;
    const counting = { name: calc.name, implementedProperties: calc.implementedProperties, compute: (f: Parameters<typeof calc.compute>[0]) => { evals++; return calc.compute(f); } };
    const frames: SavedFrame[] = [];
    const trials: BhmcTrialInfo[] = [];
    let minima: BhmcMinimumInfo[] = [];
    const reports: BhmcMinimumInfo[][] = [];
    let distinct = 0;
    let end: unknown;
    const run = new BhmcRun(info, { natoms: 8, element: 'Cu', temperatureK: 1500, stepSize: 0.8, fmax: 0.1, trials: 4, seed: 4, maxRelaxSteps: 300 }, {
      onTrial: (t, m, n) => { trials.push(t); minima = m; reports.push(m); distinct = n; },
      onFrames: (f) => frames.push(...f),
      onEnd: (how) => (end = how),
    }, { lo: 0.05, hi: 0.15 });
    await run.loop(counting);
    expect(end).toEqual({ kind: 'finished' });
    expect(trials.map((t) => t.trial)).toEqual([0, 1, 2, 3, 4]);
    expect(frames.length).toBe(evals);
    expect(frames.length).toBe(run.state.evaluations);
    for (let k = 1; k < frames.length; k++) expect(frames[k].step).toBeGreaterThan(frames[k - 1].step);
    expect(frames.every((f) => f.runId === 'bhmc-test' && f.symbols.length === 8 && f.atomicDeviF.length === 8)).toBe(true);
    expect(frames.some((f) => f.maxDeviF > 0)).toBe(true);
    expect(frames[frames.length - 1].step).toBeGreaterThanOrEqual(40000);
    expect(minima.length).toBeGreaterThan(0);
    expect(minima.length).toBe(run.state.minima.length);
    for (let k = 1; k < minima.length; k++) expect(minima[k].energy).toBeGreaterThanOrEqual(minima[k - 1].energy);
    expect(minima[0].positions.length).toBe(24);
    expect(distinct).toBe(run.state.minima.length);
    expect(minima.map((m) => m.id).sort()).toEqual(run.state.minima.map((m) => m.id).sort());
    // a trial re-copies at most the minimum it reached: the others are the previous report's entries
    expect(minima.length).toBeGreaterThan(1);
    for (let k = 1; k < reports.length; k++) {
      expect(reports[k].filter((m) => !reports[k - 1].includes(m)).length).toBeLessThanOrEqual(1);
    }
    const accepted = trials.filter((t) => t.accepted);
    expect(trials[trials.length - 1].currentEnergy).toBe(accepted[accepted.length - 1].energy);
  });

  it('stop ends the run between evaluations; bad parameters are named', async () => {
    const calc = await demoEnsemble();
    let end: unknown;
    const run = new BhmcRun(info, { natoms: 8, element: 'Cu', temperatureK: 1000, stepSize: 0.8, fmax: 0.05, trials: 1000, seed: 1 }, {
      onTrial: () => run.stop(), onFrames: () => {}, onEnd: (how) => (end = how),
    }, { lo: 0.05, hi: 0.15 });
    await run.loop(calc);
    expect(end).toEqual({ kind: 'stopped' });
    expect(run.state.trials.length).toBe(1);
    expect(() => validateBhmcParams({ natoms: 1, element: 'Cu', temperatureK: 1, stepSize: 0.5, fmax: 0.1, trials: 2, seed: 1 })).toThrow(/number of atoms/);
    expect(() => validateBhmcParams({ natoms: 8, element: 'Cu', temperatureK: 1, stepSize: 0.5, fmax: -1, trials: 2, seed: 1 })).toThrow(/fmax/);
  });
});
