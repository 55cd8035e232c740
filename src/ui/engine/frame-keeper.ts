/**
 * The frame writes of one run. The worker reports a run's end right after its last frames; the
 * page must not show the end ("finished · N frames saved") while some of those frames are still
 * being written to IndexedDB, or a "send to label" clicked at once would miss them. A write that
 * never settles (a wedged IndexedDB) must not hold the end back for ever: after a bounded wait
 * the end comes with a named error, and the frames already stored stay stored and counted.
 */
export interface FrameKeeper<F> {
  /** Start writing a batch; `onStored(n)` or `onError(message)` follows when it lands (even after a timeout). */
  keep(batch: F[]): void;
  /**
   * Resolves once every batch kept so far has landed (stored or failed); rejects with a
   * FrameStoreTimeoutError when some are still being written `settleTimeoutMs` after the call.
   */
  settled(): Promise<void>;
}

/** How long the end of a run waits for its frame writes by default, ms. */
export const FRAME_STORE_TIMEOUT_MS = 30_000;

/** Frame writes still pending when the wait for them ran out. */
export class FrameStoreTimeoutError extends Error {
  override name = 'FrameStoreTimeoutError';
  constructor(readonly frames: number, readonly batches: number, readonly waitedMs: number) {
    super(`${frames} frame(s) in ${batches} batch(es) were not written to the frame store (IndexedDB) within ${waitedMs / 1000} s; the run ended without them (frames already stored are kept)`);
  }
}

export function frameKeeper<F>(
  store: (batch: F[]) => Promise<unknown>,
  onStored: (n: number) => void,
  onError: (message: string) => void,
  settleTimeoutMs = FRAME_STORE_TIMEOUT_MS,
): FrameKeeper<F> {
  /** Writes in flight → their frame count. */
  const pending = new Map<Promise<void>, number>();
  return {
    keep(batch) {
      const p: Promise<void> = store(batch).then(
        () => onStored(batch.length),
        (e: unknown) => onError(`could not store ${batch.length} frame(s): ${e instanceof Error ? e.message : String(e)}`),
      ).finally(() => pending.delete(p));
      pending.set(p, batch.length);
    },
    async settled() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), settleTimeoutMs); });
      try {
        while (pending.size > 0) {
          if ((await Promise.race([Promise.allSettled([...pending.keys()]), timeout])) === 'timeout') {
            let frames = 0;
            for (const n of pending.values()) frames += n;
            throw new FrameStoreTimeoutError(frames, pending.size, settleTimeoutMs);
          }
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
