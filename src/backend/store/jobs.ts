/** Jobs (label / train) with their state machine, frame work list and logs. */
import type Database from 'better-sqlite3';
import { nowIso } from './blob.ts';

export type JobKind = 'label' | 'train';
export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const FINAL_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export interface Job {
  id: number;
  kind: JobKind;
  state: JobState;
  datasetId: number | null;
  params: Record<string, unknown>;
  progress: { done: number; total: number };
  error: string | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** An external program run by a job in its own process group (pgid = pid of the leader). */
export interface JobProcess {
  id: number;
  jobId: number;
  frameId: number | null;
  pid: number;
  pgid: number;
  /** Start time of the pid, clock ticks since boot (/proc/<pid>/stat field 22), to recognise pid reuse. */
  startTicks: number | null;
  executable: string;
  /** Its temporary working folder (removed when the process is reaped). */
  dir: string | null;
  startedAt: string;
}

/** The last checkpoint of one member of a train job's ensemble (TrainCheckpoint JSON of src/core/train). */
export interface TrainCheckpointRow {
  jobId: number;
  member: number;
  seed: number;
  /** Optimiser steps completed. */
  step: number;
  /** The frames the member trains on, in the trainer's order (resume needs the same data). */
  frameIds: number[];
  checkpoint: string;
  updatedAt: string;
}

export interface JobLog { id: number; jobId: number; at: string; level: 'info' | 'warn' | 'error'; message: string }

interface Row {
  id: number; kind: JobKind; state: JobState; dataset_id: number | null; params: string; progress_done: number;
  progress_total: number; error: string | null; attempts: number; created_at: string; started_at: string | null; finished_at: string | null;
}

const toJob = (r: Row): Job => ({
  id: r.id, kind: r.kind, state: r.state, datasetId: r.dataset_id, params: JSON.parse(r.params) as Record<string, unknown>,
  progress: { done: r.progress_done, total: r.progress_total }, error: r.error, attempts: r.attempts,
  createdAt: r.created_at, startedAt: r.started_at, finishedAt: r.finished_at,
});

export class JobRepo {
  constructor(private readonly db: Database.Database) {}

  /** Create a queued job; a label job gets its work list of frame ids. */
  create(kind: JobKind, datasetId: number | null, params: Record<string, unknown>, frameIds: number[] = [], total = frameIds.length): Job {
    const id = this.db.transaction(() => {
      const info = this.db.prepare(`INSERT INTO jobs (kind, state, dataset_id, params, progress_total, created_at) VALUES (?, 'queued', ?, ?, ?, ?)`)
        .run(kind, datasetId, JSON.stringify(params), total, nowIso());
      const jobId = Number(info.lastInsertRowid);
      const ins = this.db.prepare('INSERT INTO job_frames (job_id, frame_id) VALUES (?, ?)');
      for (const f of frameIds) ins.run(jobId, f);
      return jobId;
    })();
    return this.get(id)!;
  }

  get(id: number): Job | undefined {
    const r = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as Row | undefined;
    return r && toJob(r);
  }

  list(opts: { state?: JobState; datasetId?: number } = {}): Job[] {
    const rows = this.db.prepare(`SELECT * FROM jobs WHERE (? IS NULL OR state = ?) AND (? IS NULL OR dataset_id = ?) ORDER BY id`)
      .all(opts.state ?? null, opts.state ?? null, opts.datasetId ?? null, opts.datasetId ?? null) as Row[];
    return rows.map(toJob);
  }

  /** Oldest queued job, or undefined. */
  nextQueued(): Job | undefined {
    const r = this.db.prepare(`SELECT * FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1`).get() as Row | undefined;
    return r && toJob(r);
  }

  /** Move a queued job to running, atomically: false if it is no longer queued (cancelled, or claimed by another runner). */
  claim(id: number): boolean {
    return this.db.prepare(`UPDATE jobs SET state = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, ?) WHERE id = ? AND state = 'queued'`).run(nowIso(), id).changes > 0;
  }

  /** Move a job to a final state (only from a non-final one); returns whether it changed. */
  finish(id: number, state: 'succeeded' | 'failed' | 'cancelled', error: string | null = null): boolean {
    return this.db.prepare(`UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ? AND state IN ('queued', 'running')`)
      .run(state, error, nowIso(), id).changes > 0;
  }

  setProgress(id: number, done: number, total: number): void {
    this.db.prepare('UPDATE jobs SET progress_done = ?, progress_total = ? WHERE id = ?').run(done, total, id);
  }

  /** Jobs left `running` by a crash go back to `queued` (they resume where they stopped); returns their ids. */
  requeueInterrupted(): number[] {
    const ids = (this.db.prepare(`SELECT id FROM jobs WHERE state = 'running'`).all() as { id: number }[]).map((r) => r.id);
    for (const id of ids) {
      this.db.prepare(`UPDATE jobs SET state = 'queued' WHERE id = ?`).run(id);
      this.log(id, 'warn', 'service restarted: job was interrupted and is re-queued; frames already labeled are kept');
    }
    return ids;
  }

  /** Frame ids of a label job not labeled yet, in order. */
  pendingFrames(jobId: number): number[] {
    return (this.db.prepare('SELECT frame_id FROM job_frames WHERE job_id = ? AND done = 0 ORDER BY frame_id').all(jobId) as { frame_id: number }[])
      .map((r) => r.frame_id);
  }

  /** Record an external process of a running job; returns the record id. */
  recordProcess(p: Omit<JobProcess, 'id' | 'startedAt'>): number {
    return Number(this.db.prepare(`INSERT INTO job_processes (job_id, frame_id, pid, pgid, start_ticks, executable, dir, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(p.jobId, p.frameId, p.pid, p.pgid, p.startTicks, p.executable, p.dir, nowIso()).lastInsertRowid);
  }

  /** Forget a process record (it exited, or it was reaped). */
  forgetProcess(id: number): void {
    this.db.prepare('DELETE FROM job_processes WHERE id = ?').run(id);
  }

  /** Recorded processes, of one job or of all jobs. */
  processes(jobId?: number): JobProcess[] {
    return this.db.prepare(`SELECT id, job_id AS jobId, frame_id AS frameId, pid, pgid, start_ticks AS startTicks, executable, dir, started_at AS startedAt
      FROM job_processes WHERE (? IS NULL OR job_id = ?) ORDER BY id`).all(jobId ?? null, jobId ?? null) as JobProcess[];
  }

  /** Keep the latest checkpoint of one ensemble member (replaces the previous one). */
  saveCheckpoint(c: Omit<TrainCheckpointRow, 'updatedAt'>): void {
    this.db.prepare(`INSERT INTO train_checkpoints (job_id, member, seed, step, frame_ids, checkpoint, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (job_id, member) DO UPDATE SET seed = excluded.seed, step = excluded.step, frame_ids = excluded.frame_ids, checkpoint = excluded.checkpoint, updated_at = excluded.updated_at`)
      .run(c.jobId, c.member, c.seed, c.step, JSON.stringify(c.frameIds), c.checkpoint, nowIso());
  }

  /** The checkpoints of a train job, by member. */
  checkpoints(jobId: number): TrainCheckpointRow[] {
    const rows = this.db.prepare('SELECT job_id AS jobId, member, seed, step, frame_ids AS frameIds, checkpoint, updated_at AS updatedAt FROM train_checkpoints WHERE job_id = ? ORDER BY member')
      .all(jobId) as (Omit<TrainCheckpointRow, 'frameIds'> & { frameIds: string })[];
    return rows.map((r) => ({ ...r, frameIds: JSON.parse(r.frameIds) as number[] }));
  }

  clearCheckpoints(jobId: number): void {
    this.db.prepare('DELETE FROM train_checkpoints WHERE job_id = ?').run(jobId);
  }

  /** The ensemble a train job stored, or null. */
  ensembleOf(jobId: number): number | null {
    const r = this.db.prepare('SELECT id FROM ensembles WHERE job_id = ? ORDER BY id LIMIT 1').get(jobId) as { id: number } | undefined;
    return r ? r.id : null;
  }

  log(jobId: number, level: JobLog['level'], message: string): JobLog {
    const at = nowIso();
    const info = this.db.prepare('INSERT INTO job_logs (job_id, at, level, message) VALUES (?, ?, ?, ?)').run(jobId, at, level, message);
    return { id: Number(info.lastInsertRowid), jobId, at, level, message };
  }

  logs(jobId: number, afterId = 0): JobLog[] {
    return (this.db.prepare('SELECT id, job_id AS jobId, at, level, message FROM job_logs WHERE job_id = ? AND id > ? ORDER BY id')
      .all(jobId, afterId) as JobLog[]);
  }
}
