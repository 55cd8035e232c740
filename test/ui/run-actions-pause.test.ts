/**
 * Pause/resume of an MD run against a worker that answers out of order: a late answer to an
 * earlier pause must not mark a later pause as held (the worker has not stopped for it yet).
 * The real engine store and run actions; only the worker (another thread in the page) is faked.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** Pause calls whose answers the test releases, in any order. */
const pauses: { answer: () => void }[] = [];
const fakeWorker = {
  pause: () => new Promise<void>((answer) => { pauses.push({ answer }); }),
  resume: () => Promise.resolve(),
};
vi.mock('../../src/ui/engine/sim-client.ts', () => ({ simWorker: () => fakeWorker }));

const { pauseOrResume } = await import('../../src/ui/engine/run-actions.ts');
const { useEngine } = await import('../../src/ui/engine/engine-store.ts');

const md = () => useEngine.getState().md;
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('pauseOrResume with a worker that answers late', () => {
  beforeEach(() => {
    pauses.length = 0;
    useEngine.getState().set({ md: { ...md(), phase: 'running', held: false } });
  });

  it('a pause is held once the worker answers it', async () => {
    pauseOrResume();
    expect(md()).toMatchObject({ phase: 'paused', held: false });
    pauses[0].answer();
    await settle();
    expect(md()).toMatchObject({ phase: 'paused', held: true });
  });

  it('the answer to an earlier pause does not hold a later one', async () => {
    pauseOrResume(); // pause 1
    pauseOrResume(); // resume
    expect(md()).toMatchObject({ phase: 'running', held: false });
    pauseOrResume(); // pause 2
    expect(pauses).toHaveLength(2);
    pauses[0].answer(); // pause 1 answers only now
    await settle();
    expect(md()).toMatchObject({ phase: 'paused', held: false });
    pauses[1].answer();
    await settle();
    expect(md()).toMatchObject({ phase: 'paused', held: true });
  });

  it('a late answer after a resume leaves the run running', async () => {
    pauseOrResume();
    pauseOrResume();
    pauses[0].answer();
    await settle();
    expect(md()).toMatchObject({ phase: 'running', held: false });
  });
});
