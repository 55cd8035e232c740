/**
 * The job runner: takes queued jobs oldest first and runs each in its own worker thread
 * (label-worker.ts / train-worker.ts), at most `concurrency` at a time. Progress and logs are
 * relayed to subscribers (SSE) and logs are kept in the database. On start, jobs left
 * `running` by a crash are re-queued; a label job resumes with its frames not yet labeled.
 */
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Store } from '../store/store.ts';
import type { JobKind } from '../store/jobs.ts';
import { reapGroup } from './process-group.ts';
import type { JobEvent, RunnerMessage, WorkerInput, WorkerMessage } from './messages.ts';
import { jobExecutor } from '../executor/config.ts';

const BOOT = fileURLToPath(new URL('./worker-boot.mjs', import.meta.url));
const ENTRIES: Record<JobKind, string> = {
  label: new URL('./label-worker.ts', import.meta.url).href,
  train: new URL('./train-worker.ts', import.meta.url).href,
};

export interface RunnerOptions {
  /** Jobs run at the same time on this machine (default 1: a DFT code already uses the cores). Jobs on Slurm do not count: their worker only submits and polls. */
  concurrency?: number;
  /** The service's data folder (DATA_DIR): local task folders (DeePMD-kit training) go in DATA_DIR/deepmd. */
  dataDir: string;
}

export class JobRunner {
  readonly events = new EventEmitter();
  private readonly running = new Map<number, Worker>();
  private readonly cancelling = new Set<number>();
  /** Running jobs whose work runs on Slurm (not counted against `concurrency`). */
  private readonly remote = new Set<number>();
  private started = false;
  private stopped = false;
  private readonly concurrency: number;

  private readonly dataDir: string;

  constructor(private readonly store: Store, opts: RunnerOptions) {
    this.concurrency = opts.concurrency ?? 1;
    this.dataDir = opts.dataDir;
    this.events.setMaxListeners(0);
  }

  /**
   * Kill the external process groups (cp2k) left by a crashed service, re-queue interrupted jobs
   * and begin taking queued ones. Returns the re-queued ids.
   */
  start(): number[] {
    if (this.store.path === ':memory:') throw new Error('the job runner needs a database file (worker threads open their own connection)');
    this.reap();
    const requeued = this.store.jobs.requeueInterrupted();
    this.started = true;
    this.pump();
    return requeued;
  }

  /** Call after a job was queued. */
  poke(): void {
    if (this.started) this.pump();
  }

  isRunning(jobId: number): boolean {
    return this.running.has(jobId);
  }

  /** Cancel a queued or running job; false if it is already finished or unknown. */
  cancel(jobId: number): boolean {
    const job = this.store.jobs.get(jobId);
    if (!job) return false;
    const w = this.running.get(jobId);
    if (w) {
      this.cancelling.add(jobId);
      w.postMessage({ type: 'cancel' } satisfies RunnerMessage);
      this.log(jobId, 'info', 'cancellation requested');
      return true;
    }
    if (job.state === 'queued' || job.state === 'running') {
      this.store.jobs.finish(jobId, 'cancelled');
      this.emit({ type: 'state', jobId, state: 'cancelled' });
      return true;
    }
    return false;
  }

  /**
   * Stop taking jobs, terminate running workers and kill their external programs (their jobs stay
   * `running` and resume on the next start).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const ids = [...this.running.keys()];
    await Promise.all([...this.running.values()].map((w) => w.terminate()));
    this.running.clear();
    this.remote.clear();
    for (const id of ids) this.reap(id);
  }

  /**
   * Kill the recorded process groups of a job (or of every job) that still run our program, remove
   * their folders and forget them; each action is logged with its job.
   */
  private reap(jobId?: number): void {
    for (const p of this.store.jobs.processes(jobId)) {
      const what = reapGroup(p);
      this.store.jobs.forgetProcess(p.id);
      if (what) this.log(p.jobId, 'warn', `${what} (left by ${jobId === undefined ? 'the previous service' : 'the stopped job'}${p.frameId !== null ? `, frame ${p.frameId}` : ''})`);
    }
  }

  private emit(e: JobEvent): void {
    this.events.emit(`job:${e.jobId}`, e);
    this.events.emit('job', e);
  }

  private log(jobId: number, level: 'info' | 'warn' | 'error', message: string): void {
    const l = this.store.jobs.log(jobId, level, message);
    this.emit({ type: 'log', jobId, level, message, at: l.at });
  }

  private pump(): void {
    if (this.stopped) return;
    for (const job of this.store.jobs.list({ state: 'queued' })) {
      if (this.running.has(job.id)) continue;
      const slurm = jobExecutor(job.params).kind === 'slurm';
      if (!slurm && this.running.size - this.remote.size >= this.concurrency) continue;
      this.launch(job.id, job.kind, slurm);
    }
  }

  private launch(jobId: number, kind: JobKind, remote: boolean): void {
    if (!this.store.jobs.claim(jobId)) return; // cancelled (or taken) since it was listed
    if (remote) this.remote.add(jobId);
    this.emit({ type: 'state', jobId, state: 'running' });
    const input: WorkerInput & { entry: string } = { jobId, dbPath: this.store.path, dataDir: this.dataDir, entry: ENTRIES[kind] };
    const worker = new Worker(BOOT, { workerData: input });
    this.running.set(jobId, worker);
    let finished = false;
    const finish = (state: 'succeeded' | 'failed' | 'cancelled', error: string | null = null): void => {
      if (finished) return;
      finished = true;
      // The worker listens for 'cancel' messages and would otherwise stay alive.
      void worker.terminate().then(() => { if (!this.stopped) this.reap(jobId); }); // stop() reaps on its own
      this.running.delete(jobId);
      this.remote.delete(jobId);
      this.cancelling.delete(jobId);
      if (this.stopped) return;
      this.store.jobs.finish(jobId, state, error);
      if (error) this.log(jobId, 'error', error);
      this.log(jobId, 'info', `job ${state}`);
      this.emit({ type: 'state', jobId, state, error });
      this.pump();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') {
        this.emit({ type: 'progress', jobId, done: m.done, total: m.total, frameId: m.frameId, status: m.status, reason: m.reason, seconds: m.seconds, detail: m.detail });
      } else if (m.type === 'log') {
        this.log(jobId, m.level, m.message);
      } else if (m.type === 'done') {
        finish(this.cancelling.has(jobId) && m.state !== 'failed' ? 'cancelled' : m.state, m.error ?? null);
      }
    });
    worker.on('error', (e) => finish('failed', `worker crashed: ${e.message}`));
    worker.on('exit', (code) => {
      if (!finished) finish(this.cancelling.has(jobId) ? 'cancelled' : 'failed', `worker exited with code ${code} before finishing`);
    });
  }
}
