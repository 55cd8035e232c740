/**
 * Wall time of a resumable stage that survives a kill -9: the running total (seconds recorded by
 * earlier runs + this run's elapsed time) is persisted every `everyMs` while the stage runs and
 * whenever the caller reaches a durable point (a checkpoint, a finished MD task), so a killed run
 * loses at most the time since the last record, and the resumed run continues from that total.
 * Persist calls are serialized (an HTTP store sees them in order). Units: s, ms.
 */
export class StageClock {
  private readonly t0 = performance.now();
  private readonly timer: ReturnType<typeof setInterval>;
  private chain: Promise<void> = Promise.resolve();

  /**
   * @param base seconds already recorded for this stage (by a run that was killed), s
   * @param persist records a running total, s (must be idempotent: the newest call wins)
   * @param everyMs period of the background record, ms (the timer runs only when the event loop is free)
   */
  constructor(private readonly base: number, private readonly persist: (seconds: number) => Promise<unknown> | void, everyMs = 2000) {
    // best effort in the background: a failed record is retried by the next one, and record()/stop() report errors
    this.timer = setInterval(() => { this.record().catch(() => {}); }, everyMs);
    this.timer.unref();
  }

  /** Total wall time of the stage so far, s. */
  seconds(): number {
    return this.base + (performance.now() - this.t0) / 1000;
  }

  /** Record the running total now (after the records already queued). */
  record(): Promise<void> {
    const s = this.seconds();
    this.chain = this.chain.catch(() => {}).then(async () => { await this.persist(s); });
    return this.chain;
  }

  /** Stop the background record; resolves with the stage's total, s, once every queued record is written. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    const s = this.seconds();
    await this.chain;
    return s;
  }
}
