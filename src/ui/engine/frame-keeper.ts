/**
 * The frame writes of one run. The worker reports a run's end right after its last frames; the
 * page must not show the end ("finished · N frames saved") while some of those frames are still
 * being written to IndexedDB, or a "send to label" clicked at once would miss them.
 */
export interface FrameKeeper<F> {
  /** Start writing a batch; `onStored(n)` or `onError(message)` follows when it lands. */
  keep(batch: F[]): void;
  /** Resolves once every batch kept so far has landed (stored or failed). */
  settled(): Promise<void>;
}

export function frameKeeper<F>(
  store: (batch: F[]) => Promise<unknown>,
  onStored: (n: number) => void,
  onError: (message: string) => void,
): FrameKeeper<F> {
  const pending = new Set<Promise<void>>();
  return {
    keep(batch) {
      const p: Promise<void> = store(batch).then(
        () => onStored(batch.length),
        (e: unknown) => onError(`could not store ${batch.length} frame(s): ${e instanceof Error ? e.message : String(e)}`),
      ).finally(() => pending.delete(p));
      pending.add(p);
    },
    async settled() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
