/**
 * Trust levels in the studio (issue 12): changing them re-classifies every stored frame — the
 * class held in memory (timeline, badge, decent inspector), the replayed frame and the class saved
 * in IndexedDB, also for frames that arrive from a run started with the old levels — and levels
 * without a colour scale (lo ≤ 0, lo ≥ hi, non-finite) are a named error, never NaN colours.
 */
import 'fake-indexeddb/auto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { icosahedron } from '../../src/core/build/index.ts';
import type { FrameClass, RunInfo, SavedFrame } from '../../src/worker/frames.ts';
import { classCounts, classifyMaxDevi, trustLevelError } from '../../src/ui/frames/trust.ts';
import { deviationScale } from '../../src/ui/colors.ts';
import { listFrames, recordFrames, recordRun } from '../../src/ui/frames/frame-store.ts';
import { initFrames, showFrame, useFrames } from '../../src/ui/frames/use-frames.ts';
import { useStudio } from '../../src/ui/store.ts';

describe('trust-level rule and classifier', () => {
  it('0 < lo < hi, finite; anything else is a named error', () => {
    expect(trustLevelError(0.05, 0.15)).toBeNull();
    expect(trustLevelError(0, 0.15)).toBe('trust level lo must be > 0 eV/Å, got 0');
    expect(trustLevelError(-0.1, 0.15)).toBe('trust level lo must be > 0 eV/Å, got -0.1');
    expect(trustLevelError(0.2, 0.2)).toBe('trust levels must satisfy lo < hi, got lo = 0.2 ≥ hi = 0.2');
    expect(trustLevelError(0.3, 0.2)).toBe('trust levels must satisfy lo < hi, got lo = 0.3 ≥ hi = 0.2');
    expect(trustLevelError(NaN, 0.2)).toMatch(/trust levels must be numbers, got lo = NaN/);
    expect(trustLevelError(0.1, Infinity)).toMatch(/trust levels must be numbers/);
  });

  it('classes follow [lo, hi): good below lo, decent from lo, poor from hi (and for NaN)', () => {
    expect(classifyMaxDevi(0.0499, 0.05, 0.15)).toBe('good');
    expect(classifyMaxDevi(0.05, 0.05, 0.15)).toBe('decent');
    expect(classifyMaxDevi(0.1499, 0.05, 0.15)).toBe('decent');
    expect(classifyMaxDevi(0.15, 0.05, 0.15)).toBe('poor');
    expect(classifyMaxDevi(NaN, 0.05, 0.15)).toBe('poor');
  });

  it('deviation colours are finite on a valid scale and a named error without one', () => {
    const colour = deviationScale(0.05, 0.15);
    for (const eps of [0, 0.01, 0.05, 0.1, 0.15, 3]) {
      for (const c of colour(eps)) {
        expect(Number.isFinite(c)).toBe(true);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(1);
      }
    }
    const near = (got: number[], want: number[]) => want.forEach((w, k) => expect(got[k]).toBeCloseTo(w, 12));
    near(colour(0.05), [0.98, 0.85, 0.25]); // yellow at lo
    near(colour(0.15), [0.86, 0.1, 0.1]); // red at hi
    const lerp = (a: number[], b: number[], u: number) => a.map((x, k) => x + u * (b[k] - x));
    near(colour(0.025), lerp([0.17, 0.24, 0.62], [0.16, 0.68, 0.7], 0.25 / 0.33)); // half of lo: t = 0.25, between blue and teal
    near(deviationScale(0.1, 0.3)(0.1), [0.98, 0.85, 0.25]); // each scale has its own levels
    // The levels are checked when the scale is made, before any atom is coloured.
    expect(() => deviationScale(0, 0.15)).toThrow('deviation colours: trust level lo must be > 0 eV/Å, got 0');
    expect(() => deviationScale(0.2, 0.2)).toThrow('deviation colours: trust levels must satisfy lo < hi, got lo = 0.2 ≥ hi = 0.2');
    expect(() => deviationScale(0.3, 0.1)).toThrow(/lo < hi/);
  });
});

const run: RunInfo = {
  id: 'md-trust', kind: 'md', ensemble: 'langevin', structure: 'Cu13 icosahedron', temperatureK: 600, dtFs: 1, engine: 'cpu float64',
  models: ['m0.dp'], trustLo: 0.05, trustHi: 0.15, seed: 1, startedAt: '2026-12-02T00:00:00Z',
};

/** A saved frame as the worker sends it: classified with the run's levels (0.05, 0.15). */
function frame(step: number, maxDeviF: number): SavedFrame {
  const f = icosahedron('Cu', 2);
  const dev = new Float64Array(13).fill(maxDeviF / 2);
  dev[0] = maxDeviF;
  return {
    runId: run.id, step, timeFs: step, symbols: f.symbols, positions: f.positions, temperatureK: 600,
    potentialEnergy: -40, kineticEnergy: 1, maxDeviF, avgDeviF: maxDeviF / 2, atomicDeviF: dev,
    frameClass: classifyMaxDevi(maxDeviF, run.trustLo, run.trustHi),
  };
}

const inMemory = (): FrameClass[] => (useFrames.getState().byRun[run.id] ?? []).map((f) => f.frameClass);
const inStore = async (): Promise<FrameClass[]> => (await listFrames(run.id)).map((f) => f.frameClass);

describe('changing the trust levels during a run re-classifies the frames', () => {
  beforeAll(async () => {
    useStudio.getState().set({ trustLo: 0.05, trustHi: 0.15 });
    await initFrames();
    await recordRun(run);
    await recordFrames([frame(0, 0.01), frame(5, 0.06), frame(10, 0.12), frame(15, 0.3)]);
    await vi.waitFor(() => expect(inMemory()).toHaveLength(4));
  });

  it('class in memory, on the replayed frame and in IndexedDB follow the new levels', async () => {
    expect(inMemory()).toEqual(['good', 'decent', 'decent', 'poor']);
    showFrame(run.id, 1); // the viewer replays the frame with max ε_f 0.06
    expect(useStudio.getState().replay?.frameClass).toBe('decent');

    useStudio.getState().set({ trustLo: 0.1, trustHi: 0.2 });
    expect(inMemory()).toEqual(['good', 'good', 'decent', 'poor']);
    expect(useStudio.getState().replay?.frameClass).toBe('good');
    expect(classCounts(useFrames.getState().byRun[run.id])).toEqual({ good: 2, decent: 1, poor: 1 });
    await vi.waitFor(async () => expect(await inStore()).toEqual(['good', 'good', 'decent', 'poor']));

    useStudio.getState().set({ trustLo: 0.005, trustHi: 0.01 });
    expect(inMemory()).toEqual(['poor', 'poor', 'poor', 'poor']);
    expect(useStudio.getState().replay?.frameClass).toBe('poor');
    await vi.waitFor(async () => expect(await inStore()).toEqual(['poor', 'poor', 'poor', 'poor']));
  });

  it('frames that arrive after the change (classified by the worker with the run\'s old levels) get the current levels', async () => {
    useStudio.getState().set({ trustLo: 0.1, trustHi: 0.2 });
    const late = frame(20, 0.07);
    expect(late.frameClass).toBe('decent'); // as the worker classified it with 0.05 / 0.15
    await recordFrames([late]);
    await vi.waitFor(() => expect(inMemory()).toHaveLength(5));
    expect(inMemory()[4]).toBe('good');
    await vi.waitFor(async () => expect((await inStore())[4]).toBe('good'));
  });
});
