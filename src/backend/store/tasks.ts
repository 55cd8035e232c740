/**
 * Executor tasks (docs/jobs.md §4): the Slurm jobs of a label job (one per frame or batch of
 * frames) or of a train job (one per ensemble member), with their state, Slurm id, attempts and
 * the file their wrapper writes. The table is what a restarted service resumes from:
 *   pending → submitting (name recorded, sbatch about to run) → submitted (Slurm id recorded)
 *     → done (result taken in, in one transaction with the labels) | pending again (resubmit) | failed | cancelled
 */
import type Database from 'better-sqlite3';
import { nowIso } from './blob.ts';

export type TaskState = 'pending' | 'submitting' | 'submitted' | 'done' | 'failed' | 'cancelled';

export interface ExecutorTask {
  id: number;
  jobId: number;
  /** Index of the task in its job (a batch of frames, or an ensemble member). */
  item: number;
  /** Frames of a label task, in order (empty for a train task). */
  frameIds: number[];
  /** Slurm job name of every submission (finds a submission whose id was not recorded). */
  name: string;
  state: TaskState;
  slurmId: string | null;
  /** Last state Slurm reported. */
  slurmState: string | null;
  /** Submissions so far. */
  attempts: number;
  /** Folder of its script, inputs, Slurm output and result. */
  dir: string;
  /** The result file the wrapper writes (atomically) when it finishes; the driver reads it from here (also after a restart). */
  outputPath: string;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: number; job_id: number; item: number; frame_ids: string; name: string; state: TaskState; slurm_id: string | null; slurm_state: string | null;
  attempts: number; dir: string; output_path: string; last_error: string | null; created_at: string; updated_at: string;
}

const toTask = (r: Row): ExecutorTask => ({
  id: r.id, jobId: r.job_id, item: r.item, frameIds: JSON.parse(r.frame_ids) as number[], name: r.name, state: r.state, slurmId: r.slurm_id,
  slurmState: r.slurm_state, attempts: r.attempts, dir: r.dir, outputPath: r.output_path, lastError: r.last_error, createdAt: r.created_at, updatedAt: r.updated_at,
});

export class TaskRepo {
  constructor(private readonly db: Database.Database) {}

  /** Create the tasks of a job (in one transaction); items already present are left alone. */
  createMany(jobId: number, tasks: Array<{ item: number; frameIds: number[]; name: string; dir: string; outputPath: string }>): void {
    const ins = this.db.prepare(`INSERT OR IGNORE INTO executor_tasks (job_id, item, frame_ids, name, state, dir, output_path, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?)`);
    this.db.transaction(() => {
      const now = nowIso();
      for (const t of tasks) ins.run(jobId, t.item, JSON.stringify(t.frameIds), t.name, t.dir, t.outputPath, now, now);
    })();
  }

  forJob(jobId: number): ExecutorTask[] {
    return (this.db.prepare('SELECT * FROM executor_tasks WHERE job_id = ? ORDER BY item').all(jobId) as Row[]).map(toTask);
  }

  get(id: number): ExecutorTask | undefined {
    const r = this.db.prepare('SELECT * FROM executor_tasks WHERE id = ?').get(id) as Row | undefined;
    return r && toTask(r);
  }

  /** About to run sbatch: one more attempt (recorded before the submission, so a crash in between is seen). */
  markSubmitting(id: number): void {
    this.db.prepare(`UPDATE executor_tasks SET state = 'submitting', attempts = attempts + 1, slurm_id = NULL, slurm_state = NULL, updated_at = ? WHERE id = ?`).run(nowIso(), id);
  }

  /** sbatch returned its id (or a lost submission was found by name). */
  markSubmitted(id: number, slurmId: string): void {
    this.db.prepare(`UPDATE executor_tasks SET state = 'submitted', slurm_id = ?, slurm_state = 'PENDING', updated_at = ? WHERE id = ?`).run(slurmId, nowIso(), id);
  }

  setSlurmState(id: number, slurmState: string): void {
    this.db.prepare(`UPDATE executor_tasks SET slurm_state = ?, updated_at = ? WHERE id = ? AND (slurm_state IS NOT ? )`).run(slurmState, nowIso(), id, slurmState);
  }

  /** The submission ended without a result: back to pending (resubmitted), with the reason. */
  markRetry(id: number, error: string): void {
    this.db.prepare(`UPDATE executor_tasks SET state = 'pending', last_error = ?, updated_at = ? WHERE id = ?`).run(error, nowIso(), id);
  }

  /** Final: done (result taken in), failed (attempts used up) or cancelled. */
  finish(id: number, state: 'done' | 'failed' | 'cancelled', error: string | null = null): void {
    this.db.prepare(`UPDATE executor_tasks SET state = ?, last_error = COALESCE(?, last_error), updated_at = ? WHERE id = ?`).run(state, error, nowIso(), id);
  }
}
