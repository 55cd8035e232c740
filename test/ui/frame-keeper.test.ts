import { describe, expect, it } from 'vitest';
import { frameKeeper } from '../../src/ui/engine/frame-keeper.ts';

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
