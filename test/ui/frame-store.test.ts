import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { icosahedron } from '../../src/core/build/index.ts';
import type { RunInfo, SavedFrame } from '../../src/worker/frames.ts';
import {
  clearFrameStore, listFrames, listRuns, markSent, onFrameStoreChange, recordFrames, recordRun, selectedFrames, updateFrames,
} from '../../src/ui/frames/frame-store.ts';

const run = (id: string, startedAt: string): RunInfo => ({
  id, kind: 'md', ensemble: 'langevin', structure: 'Cu13 icosahedron', temperatureK: 600, dtFs: 1, engine: 'cpu float64',
  models: ['m0.dp'], trustLo: 0.05, trustHi: 0.15, seed: 1, startedAt,
});

function frame(runId: string, step: number, maxDeviF: number): SavedFrame {
  const f = icosahedron('Cu', 2);
  const dev = new Float64Array(13).fill(maxDeviF / 2);
  dev[step % 13] = maxDeviF;
  return {
    runId, step, timeFs: step, symbols: f.symbols, positions: f.positions.map((x) => x + step * 1e-3), temperatureK: 600,
    potentialEnergy: -40 + step * 1e-3, kineticEnergy: 1, maxDeviF, avgDeviF: maxDeviF / 2, atomicDeviF: dev,
    frameClass: maxDeviF < 0.05 ? 'good' : maxDeviF < 0.15 ? 'decent' : 'poor',
  };
}

describe('frame store (IndexedDB)', () => {
  beforeEach(() => clearFrameStore());

  it('keeps runs and frames in order, with typed arrays intact, across reads', async () => {
    await recordRun(run('b', '2026-01-02T00:00:00Z'));
    await recordRun(run('a', '2026-01-01T00:00:00Z'));
    await recordFrames([frame('a', 0, 0.01), frame('a', 10, 0.08)]);
    await recordFrames([frame('b', 0, 0.2)]);
    await recordFrames([frame('a', 20, 0.1)]);
    expect((await listRuns()).map((r) => r.id)).toEqual(['a', 'b']);
    const a = await listFrames('a');
    expect(a.map((f) => f.step)).toEqual([0, 10, 20]);
    expect(a[1].positions).toBeInstanceOf(Float64Array);
    expect(a[1].positions[0]).toBeCloseTo(icosahedron('Cu', 2).positions[0] + 0.01, 12);
    expect(a[1].atomicDeviF[10]).toBe(0.08);
    expect(a.every((f) => f.selected === false)).toBe(true);
    expect(new Set(a.map((f) => f.id)).size).toBe(3);
    expect((await listFrames('b')).length).toBe(1);
  });

  it('returns the selected decent frames not sent yet; markSent records data set and job', async () => {
    await recordRun(run('a', '2026-01-01T00:00:00Z'));
    await recordFrames([frame('a', 0, 0.01), frame('a', 1, 0.08), frame('a', 2, 0.1), frame('a', 3, 0.3)]);
    const fs = await listFrames('a');
    await updateFrames(fs.map((f) => ({ id: f.id, selected: true })));
    // Only the decent ones count as selected for labeling.
    expect((await selectedFrames()).map((f) => f.step)).toEqual([1, 2]);
    await markSent([fs[1].id], { datasetId: 7 });
    expect((await selectedFrames()).map((f) => f.step)).toEqual([2]);
    await markSent([fs[2].id], { datasetId: 7, jobId: 3 });
    expect(await selectedFrames()).toEqual([]);
    const after = await listFrames('a');
    expect(after[1]).toMatchObject({ sentDatasetId: 7 });
    expect(after[1].labeledJobId).toBeUndefined();
    expect(after[2]).toMatchObject({ sentDatasetId: 7, labeledJobId: 3 });
  });

  it('tells listeners about runs, new frames and updates', async () => {
    const seen: string[] = [];
    const off = onFrameStoreChange((e) => seen.push(e.kind === 'frames' || e.kind === 'updated' ? `${e.kind}:${e.frames.length}` : e.kind));
    await recordRun(run('a', '2026-01-01T00:00:00Z'));
    await recordFrames([frame('a', 0, 0.08), frame('a', 1, 0.08)]);
    const [f0] = await listFrames('a');
    await updateFrames([{ id: f0.id, frameClass: 'poor' }]);
    off();
    await recordFrames([frame('a', 2, 0.08)]);
    expect(seen).toEqual(['run', 'frames:2', 'updated:1']);
    expect((await listFrames('a'))[0].frameClass).toBe('poor');
  });

  it('refuses a malformed frame by name and stores nothing of its batch', async () => {
    const bad = { ...frame('a', 1, 0.08), atomicDeviF: new Float64Array(5) };
    await expect(recordFrames([frame('a', 0, 0.08), bad])).rejects.toThrow(/5 per-atom deviations for 13 atoms/);
    await expect(recordFrames([{ ...frame('a', 2, 0.08), maxDeviF: NaN }])).rejects.toThrow(/max force deviation is NaN/);
    expect(await listFrames('a')).toEqual([]);
    await expect(markSent([12345], { datasetId: 1 })).rejects.toThrow(/frame 12345 is not in the frame store/);
  });
});
