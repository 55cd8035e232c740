import { afterEach, describe, expect, it, vi } from 'vitest';
import { frameKeeper, FrameStoreTimeoutError } from '../../src/ui/engine/frame-keeper.ts';

/** A store whose writes land only when the test says so. */
function slowStore() {
  const waiting: { batch: number[]; done: () => void; fail: (e: Error) => void }[] = [];
  const store = (batch: number[]) => new Promise<void>((done, fail) => { waiting.push({ batch, done, fail }); });
  return { store, waiting };
}

describe('frame keeper: a run ends only after its frames are stored', () => {
  it('settled() waits for every pending batch, and the count is final when it resolves', async () => {
    const { store, waiting } = slowStore();
    let stored = 0;
    const errors: string[] = [];
    const k = frameKeeper(store, (n) => { stored += n; }, (m) => errors.push(m));
    k.keep([1, 2, 3]);
    k.keep([4, 5]);
    let ended = false;
    const end = k.settled().then(() => { ended = true; });
    await Promise.resolve();
    expect(ended).toBe(false);
    waiting[1].done(); // the later batch lands first
    await new Promise((r) => setTimeout(r, 0));
    expect(ended).toBe(false);
    expect(stored).toBe(2);
    waiting[0].done();
    await end;
    expect(stored).toBe(5);
    expect(errors).toEqual([]);
  });

  it('a failed write is named and does not hold the end back', async () => {
    const { store, waiting } = slowStore();
    let stored = 0;
    const errors: string[] = [];
    const k = frameKeeper(store, (n) => { stored += n; }, (m) => errors.push(m));
    k.keep([1, 2]);
    k.keep([3]);
    const end = k.settled();
    waiting[0].fail(new Error('QuotaExceededError'));
    waiting[1].done();
    await end;
    expect(stored).toBe(1);
    expect(errors).toEqual(['could not store 2 frame(s): QuotaExceededError']);
  });

  it('batches kept while waiting are waited for too', async () => {
    const { store, waiting } = slowStore();
    let stored = 0;
    const k = frameKeeper(store, (n) => { stored += n; }, () => {});
    k.keep([1]);
    let ended = false;
    const end = k.settled().then(() => { ended = true; });
    k.keep([2, 3]);
    waiting[0].done();
    await new Promise((r) => setTimeout(r, 0));
    expect(stored).toBe(1);
    expect(ended).toBe(false);
    waiting[1].done();
    await end;
    expect(stored).toBe(3);
  });
});

describe('frame keeper: a write that never settles', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('ends with a named error after the bounded wait; what landed stays counted, a late landing still counts', async () => {
    vi.useFakeTimers();
    const { store, waiting } = slowStore();
    let stored = 0;
    const errors: string[] = [];
    const k = frameKeeper(store, (n) => { stored += n; }, (m) => errors.push(m), 5000);
    k.keep([1, 2, 3]);
    k.keep([4, 5]); // never lands in time
    waiting[0].done();
    let outcome: unknown = 'pending';
    k.settled().then(() => { outcome = 'ended'; }, (e: unknown) => { outcome = e; });
    await vi.advanceTimersByTimeAsync(4999);
    expect(outcome).toBe('pending');
    expect(stored).toBe(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(FrameStoreTimeoutError);
    const e = outcome as FrameStoreTimeoutError;
    expect(e.name).toBe('FrameStoreTimeoutError');
    expect(e.message).toBe('2 frame(s) in 1 batch(es) were not written to the frame store (IndexedDB) within 5 s; the run ended without them (frames already stored are kept)');
    expect(stored).toBe(3);
    waiting[1].done();
    await vi.advanceTimersByTimeAsync(0);
    expect(stored).toBe(5);
    expect(errors).toEqual([]);
  });

  it('writes that land in time end the run without error and leave no timer behind', async () => {
    vi.useFakeTimers();
    const { store, waiting } = slowStore();
    const k = frameKeeper(store, () => {}, () => {}, 5000);
    k.keep([1]);
    const end = k.settled();
    await vi.advanceTimersByTimeAsync(4000);
    waiting[0].done();
    await expect(end).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });
});
