/**
 * The executor loop of one job's Slurm tasks (docs/jobs.md §4), run in the job's worker thread:
 * submit pending tasks, poll squeue (then sacct/scontrol for those it no longer lists), take in
 * each result file (one transaction with the task's "done"), resubmit a task that ended without a
 * result up to `maxAttempts` submissions, and fail the job with a SlurmTaskFailedError once one
 * has used them up (after the other tasks finished: their results are kept).
 *
 * Restart: everything is in executor_tasks. A task `submitted` is polled, never submitted again;
 * a task `submitting` (the service died around sbatch) is looked up by its job name in squeue and
 * adopted if found; a result file already there is taken in; the script itself exits at once when
 * its result file exists. So a frame is never calculated twice and no result is lost.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import type { ExecutorTask } from '../store/tasks.ts';
import type { WorkerMessage } from '../jobs/messages.ts';
import type { SlurmSettings } from './config.ts';
import { SlurmClient, SlurmError, SlurmUnreachableError } from './slurm-client.ts';
import type { TaskClient } from './local-client.ts';
import { taskPaths, type TaskResult } from './task-files.ts';

/** A task ended without a result in every one of its allowed submissions. */
export class SlurmTaskFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SlurmTaskFailedError';
  }
}

export interface TaskHooks {
  /** Write the task's folder (task.json, run.sh, inputs); called before every submission (idempotent). */
  write(task: ExecutorTask): void;
  /** Take in a result: record it and mark the task done in one transaction. */
  ingest(task: ExecutorTask, result: TaskResult): void;
  /** What the task is, for logs (e.g. "frames 3, 4" or "model 1"). */
  describe(task: ExecutorTask): string;
}

export interface DriveOptions {
  store: Store;
  jobId: number;
  slurm: SlurmSettings;
  hooks: TaskHooks;
  signal: AbortSignal;
  post: (m: WorkerMessage) => void;
  /** Slurm (default) or the local script runner. */
  client?: TaskClient;
}

function tail(path: string, n = 800): string {
  try {
    const t = readFileSync(path, 'utf8').trim();
    return t.length > n ? '…' + t.slice(-n) : t;
  } catch {
    return '';
  }
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> => new Promise((ok) => {
  if (signal.aborted) return ok();
  const t = setTimeout(done, ms);
  function done(): void { clearTimeout(t); signal.removeEventListener('abort', done); ok(); }
  signal.addEventListener('abort', done, { once: true });
});

/** Run every non-final task of the job to the end; 'cancelled' when the signal aborts (its Slurm jobs are scancelled). */
export async function driveTasks(o: DriveOptions): Promise<'done' | 'cancelled'> {
  const { store, jobId, slurm, hooks, signal, post } = o;
  const client: TaskClient = o.client ?? new SlurmClient();
  const log = (level: 'info' | 'warn' | 'error', message: string): void => post({ type: 'log', level, message });
  const failures: string[] = [];

  const take = (t: ExecutorTask): boolean => {
    // The path recorded when the task was made (what its wrapper writes), not recomputed: a task
    // made by an earlier version of the service is still taken in after an update and a restart.
    const p = t.outputPath;
    if (!existsSync(p)) return false;
    let result: TaskResult;
    try {
      result = JSON.parse(readFileSync(p, 'utf8')) as TaskResult;
    } catch (e) {
      throw new SlurmError(`task ${t.item} (${hooks.describe(t)}): unreadable result ${p}: ${(e as Error).message}`);
    }
    hooks.ingest(t, result);
    return true;
  };

  /** scancel every task still in Slurm and mark the unfinished ones cancelled. */
  const cancelLive = async (): Promise<void> => {
    const live = store.tasks.forJob(jobId).filter((t) => t.state === 'submitted' || t.state === 'submitting');
    const ids = live.map((t) => t.slurmId).filter((s): s is string => s !== null);
    for (const t of live.filter((x) => x.slurmId === null)) ids.push(...await client.idsByName(t.name).catch(() => []));
    await client.cancel(ids);
    for (const t of store.tasks.forJob(jobId)) if (t.state !== 'done' && t.state !== 'failed') store.tasks.finish(t.id, 'cancelled');
    if (ids.length) log('info', `scancel ${ids.join(' ')}`);
  };

  try {
    return await pollUntilDone();
  } catch (e) {
    // The job fails: its other Slurm jobs must not run on unseen (nothing would collect them).
    await cancelLive().catch((c: unknown) => log('warn', `could not scancel the job's other Slurm jobs: ${(c as Error).message}`));
    throw e;
  }

  async function pollUntilDone(): Promise<'done' | 'cancelled'> {
  for (;;) {
    if (signal.aborted) {
      await cancelLive();
      return 'cancelled';
    }
    const open = store.tasks.forJob(jobId).filter((t) => t.state === 'pending' || t.state === 'submitting' || t.state === 'submitted');
    if (open.length === 0) break;

    try {
      await pollOnce(open);
    } catch (e) {
      if (!(e instanceof SlurmUnreachableError)) throw e;
      // Nothing is concluded from a Slurm that does not answer (no task is resubmitted or failed for it).
      log('warn', `Slurm is not answering (${e.message}); asking again in ${slurm.pollSeconds} s`);
      await sleep(slurm.pollSeconds * 1000, signal);
      continue;
    }
    await submitPending();
    await sleep(slurm.pollSeconds * 1000, signal);
  }
  if (failures.length > 0) throw new SlurmTaskFailedError(`SlurmTaskFailedError: ${failures.join(' | ')}`);
  return 'done';
  }

  async function pollOnce(open: ExecutorTask[]): Promise<void> {
    // Submissions whose id was never recorded (the service stopped around sbatch).
    for (const t of open.filter((x) => x.state === 'submitting')) {
      const ids = await client.idsByName(t.name);
      if (ids.length > 0) {
        store.tasks.markSubmitted(t.id, ids[0]);
        log('info', `task ${t.item} (${hooks.describe(t)}): found its Slurm job ${ids[0]} by name ${t.name}`);
      } else if (!take(t)) {
        store.tasks.markRetry(t.id, 'submission not found after a restart of the service');
      }
    }

    // Poll the submitted ones.
    const submitted = store.tasks.forJob(jobId).filter((t) => t.state === 'submitted');
    const queued = await client.queued(submitted.map((t) => t.slurmId!));
    for (const t of submitted) {
      if (take(t)) continue;
      const q = queued.get(t.slurmId!);
      if (q && !q.final) {
        if (q.state !== t.slurmState) {
          store.tasks.setSlurmState(t.id, q.state);
          log('info', `task ${t.item} (${hooks.describe(t)}): Slurm job ${t.slurmId} ${q.state}${q.state === 'PENDING' && q.reason ? ` (${q.reason})` : ''}`);
        }
        continue;
      }
      const st = q ?? await client.finalState(t.slurmId!);
      if (take(t)) continue; // finished between the two looks
      const out = tail(join(t.dir, `slurm-${t.slurmId}.out`));
      const reason = `Slurm job ${t.slurmId} ended ${st.state}${st.exitCode ? ` (exit ${st.exitCode})` : ''} without a result${out ? `; its output: ${out}` : ''}`;
      store.tasks.setSlurmState(t.id, st.state);
      if (t.attempts < slurm.maxAttempts) {
        store.tasks.markRetry(t.id, reason);
        log('warn', `task ${t.item} (${hooks.describe(t)}): ${reason}; resubmitting (attempt ${t.attempts + 1} of ${slurm.maxAttempts})`);
      } else {
        store.tasks.finish(t.id, 'failed', reason);
        const msg = `task ${t.item} (${hooks.describe(t)}) failed ${t.attempts} time(s), the limit (maxAttempts ${slurm.maxAttempts}); last: ${reason}`;
        failures.push(msg);
        log('error', msg);
      }
    }

  }

  async function submitPending(): Promise<void> {
    for (const t of store.tasks.forJob(jobId).filter((x) => x.state === 'pending')) {
      if (signal.aborted) break;
      if (take(t)) continue;
      mkdirSync(t.dir, { recursive: true });
      hooks.write(t);
      store.tasks.markSubmitting(t.id);
      let id: string;
      try {
        id = await client.submit(taskPaths(t.dir).script);
      } catch (e) {
        store.tasks.finish(t.id, 'failed', (e as Error).message);
        throw e; // sbatch refused it (bad partition, account…): no point in trying the others
      }
      store.tasks.markSubmitted(t.id, id);
      log('info', `task ${t.item} (${hooks.describe(t)}): submitted as Slurm job ${id} (attempt ${t.attempts + 1} of ${slurm.maxAttempts})`);
    }
  }
}
