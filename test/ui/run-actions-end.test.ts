/**
 * The end of an MD run when an IndexedDB write never settles: the run still ends, with the
 * frame keeper's named error, after the bounded wait, and the frames that were stored stay
 * counted. The real run actions and stores; the worker and the frame writes are faked.
 */
import { describe, expect, it, vi } from 'vitest';
import type { MdRunListener, SavedFrame } from '../../src/worker/api.ts';
import { icosahedron } from '../../src/core/build/index.ts';

let listener: MdRunListener | null = null;
vi.mock('../../src/ui/engine/sim-client.ts', () => ({
  simWorker: () => ({
    startMd: (_s: unknown, _o: unknown, l: MdRunListener) => { listener = l; return new Promise(() => {}); },
  }),
}));
/** First batch lands, every later one hangs (a wedged IndexedDB transaction). */
let writes = 0;
vi.mock('../../src/ui/engine/frame-sink.ts', () => ({
  storeRun: () => Promise.resolve(),
  storeFrames: () => (writes++ === 0 ? Promise.resolve() : new Promise<void>(() => {})),
}));

const { startMd } = await import('../../src/ui/engine/run-actions.ts');
const { FRAME_STORE_TIMEOUT_MS } = await import('../../src/ui/engine/frame-keeper.ts');
const { useEngine } = await import('../../src/ui/engine/engine-store.ts');
const { useStudio } = await import('../../src/ui/store.ts');

const cu13 = icosahedron('Cu', 2);
const saved = (step: number): SavedFrame => ({
  runId: 'md-wedged', step, timeFs: step, symbols: cu13.symbols, positions: cu13.positions, temperatureK: 600,
  potentialEnergy: -40, kineticEnergy: 1, maxDeviF: 0.01, avgDeviF: 0.005, atomicDeviF: new Float64Array(13), frameClass: 'good',
});

describe('startMd: a frame write that never lands', () => {
  it('ends the run with the named error after the bounded wait, keeping the stored count', async () => {
    vi.useFakeTimers();
    useStudio.getState().setFrame(cu13, 'Cu13');
    void startMd();
    await vi.advanceTimersByTimeAsync(0);
    const l = listener!;
    l.onRun({ id: 'md-wedged', kind: 'md', ensemble: 'langevin', structure: 'Cu13', temperatureK: 600, dtFs: 1, engine: 'cpu float64', models: [], trustLo: 0.05, trustHi: 0.15, seed: 1, startedAt: '2026-12-02T00:00:00Z' }, { engine: 'cpu', why: 'test' });
    l.onFrames([saved(0), saved(10)]);
    l.onFrames([saved(20)]);
    l.onEnd({ kind: 'finished' });
    await vi.advanceTimersByTimeAsync(FRAME_STORE_TIMEOUT_MS - 1);
    expect(useEngine.getState().md.phase).toBe('running'); // still waiting for the write
    await vi.advanceTimersByTimeAsync(1);
    const md = useEngine.getState().md;
    expect(md.phase).toBe('error');
    expect(md.error).toBe(`1 frame(s) in 1 batch(es) were not written to the frame store (IndexedDB) within ${FRAME_STORE_TIMEOUT_MS / 1000} s; the run ended without them (frames already stored are kept)`);
    expect(md.frames).toBe(2);
    vi.useRealTimers();
  });
});
