/** Labels: reference energies/forces of a frame from a calculator (EAM, CP2K), or a failure with its reason. */
import type Database from 'better-sqlite3';
import { blobToF64, f64ToBlob, nowIso } from './blob.ts';

export interface LabelOk {
  status: 'ok';
  /** Total energy, eV. */
  energy: number;
  /** Forces, eV/Å, length 3N. */
  forces: Float64Array;
  /** Virial, eV, row-major 3×3 (when the calculator gives one). */
  virial?: Float64Array | null;
}
export interface LabelFailed {
  status: 'failed';
  /** Why (e.g. "SCF not converged after 100 steps", "cp2k exited with code 1: …"). */
  reason: string;
}
export type LabelOutcome = LabelOk | LabelFailed;

export interface StoredLabel {
  id: number;
  frameId: number;
  jobId: number | null;
  calculator: string;
  status: 'ok' | 'failed';
  reason: string | null;
  energy: number | null;
  forces: Float64Array | null;
  virial: Float64Array | null;
  seconds: number | null;
  createdAt: string;
}

interface Row {
  id: number; frame_id: number; job_id: number | null; calculator: string; status: 'ok' | 'failed'; reason: string | null;
  energy: number | null; forces: Buffer | null; virial: Buffer | null; seconds: number | null; created_at: string;
}

const toLabel = (r: Row): StoredLabel => ({
  id: r.id, frameId: r.frame_id, jobId: r.job_id, calculator: r.calculator, status: r.status, reason: r.reason,
  energy: r.energy, forces: r.forces ? blobToF64(r.forces) : null, virial: r.virial ? blobToF64(r.virial) : null,
  seconds: r.seconds, createdAt: r.created_at,
});

export class LabelRepo {
  constructor(private readonly db: Database.Database) {}

  /**
   * Record the label of one frame by one job, and mark the frame done for that job, in one
   * transaction: after a crash a frame is either labeled and done, or neither.
   * Returns false (and writes nothing) if that job already labeled that frame.
   */
  recordForJob(jobId: number | null, frameId: number, calculator: string, outcome: LabelOutcome, seconds: number): boolean {
    return this.db.transaction(() => {
      const res = this.db.prepare(`INSERT OR IGNORE INTO labels (frame_id, job_id, calculator, status, reason, energy, forces, virial, seconds, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        frameId, jobId, calculator, outcome.status,
        outcome.status === 'failed' ? outcome.reason : null,
        outcome.status === 'ok' ? outcome.energy : null,
        outcome.status === 'ok' ? f64ToBlob(outcome.forces) : null,
        outcome.status === 'ok' && outcome.virial ? f64ToBlob(outcome.virial) : null,
        seconds, nowIso(),
      );
      if (jobId !== null) {
        const marked = this.db.prepare('UPDATE job_frames SET done = 1 WHERE job_id = ? AND frame_id = ? AND done = 0').run(jobId, frameId).changes;
        if (marked > 0) this.db.prepare('UPDATE jobs SET progress_done = progress_done + 1 WHERE id = ?').run(jobId);
      }
      return res.changes > 0;
    })();
  }

  forFrame(frameId: number): StoredLabel[] {
    return (this.db.prepare('SELECT * FROM labels WHERE frame_id = ? ORDER BY id').all(frameId) as Row[]).map(toLabel);
  }

  /** Every label of the frames of a data set (ok and failed), oldest first. */
  forDataset(datasetId: number): StoredLabel[] {
    return (this.db.prepare(`SELECT l.* FROM labels l JOIN frames f ON f.id = l.frame_id WHERE f.dataset_id = ? ORDER BY l.id`)
      .all(datasetId) as Row[]).map(toLabel);
  }

  forJob(jobId: number): StoredLabel[] {
    return (this.db.prepare('SELECT * FROM labels WHERE job_id = ? ORDER BY id').all(jobId) as Row[]).map(toLabel);
  }

  /** Labels a job recorded so far, by status (from the database: counts every attempt of a resumed job). */
  countsForJob(jobId: number): { ok: number; failed: number } {
    const rows = this.db.prepare('SELECT status, COUNT(*) AS n FROM labels WHERE job_id = ? GROUP BY status').all(jobId) as { status: 'ok' | 'failed'; n: number }[];
    const out = { ok: 0, failed: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /** The newest successful label of each frame of a data set (map frame id → label). */
  latestOk(datasetId: number): Map<number, StoredLabel> {
    const out = new Map<number, StoredLabel>();
    for (const l of this.forDataset(datasetId)) if (l.status === 'ok') out.set(l.frameId, l);
    return out;
  }
}
