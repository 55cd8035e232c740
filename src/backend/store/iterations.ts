/**
 * Active-learning iterations of a data set (numbered 0, 1, 2, …): the one iteration model shared
 * by `nanostudio loop` (embedded store or HTTP) and the studio's label/train flow and dashboard.
 *
 * An iteration has a status (training → exploring → labeling → done in `nanostudio loop`; the
 * studio may use any order), wall seconds per stage, and one exploration result per explored
 * system (frames classified accurate / candidate / failed by the force deviation with the trust
 * levels lo/hi, eV/Å). Frames posted with `iterationId` give framesSelected / framesLabeled /
 * framesFailed; the newest ensemble with this iteration gives ensembleId and the RMSEs (mean over
 * the ensemble's models; energy eV/atom, force eV/Å).
 */
import type Database from 'better-sqlite3';
import { nowIso } from './blob.ts';

export const ITERATION_STATUSES = ['exploring', 'labeling', 'training', 'done'] as const;
export type IterationStatus = (typeof ITERATION_STATUSES)[number];
export const EXPLORATION_KINDS = ['cluster', 'bulk', 'surface', 'studio'] as const;
export type ExplorationKind = (typeof EXPLORATION_KINDS)[number];

export interface Iteration { id: number; datasetId: number; number: number; note: string; createdAt: string }

/** Exploration result of one system in one iteration (frame counts; trust levels eV/Å). */
export interface ExplorationEntry {
  system: string;
  kind: ExplorationKind;
  frames: number;
  accurate: number;
  candidate: number;
  failed: number;
  trustLo: number;
  trustHi: number;
}

export interface RmsePair { energyPerAtom: number; force: number }

/** Contract 2 (COMMON.md): what GET /datasets/:id/iterations returns per iteration. */
export interface IterationSummary extends Iteration {
  status: IterationStatus;
  exploration: ExplorationEntry[];
  framesSelected: number;
  framesLabeled: number;
  framesFailed: number;
  /** Labeled frames in the data set when the iteration closed (status done), or now. */
  datasetSize: number;
  /** The (newest) ensemble trained in this iteration. */
  ensembleId: number | null;
  /** Mean over the ensemble's models; energy eV/atom, force eV/Å. */
  rmse: { train: RmsePair | null; validation: RmsePair | null };
  /** Wall time per stage, s (e.g. train, explore, select, label). */
  stageSeconds: Record<string, number>;
  closedAt: string | null;
}

interface Row {
  id: number; dataset_id: number; number: number; note: string; created_at: string; status: IterationStatus;
  stage_seconds: string; dataset_size: number | null; closed_at: string | null;
}

const toIteration = (r: Row): Iteration => ({ id: r.id, datasetId: r.dataset_id, number: r.number, note: r.note, createdAt: r.created_at });

/** Mean of a metric over models, or null when any model lacks it. */
function meanMetric(models: Array<Record<string, number>>, key: string): number | null {
  if (models.length === 0) return null;
  let s = 0;
  for (const m of models) {
    const v = m[key];
    if (typeof v !== 'number' || !Number.isFinite(v)) return null;
    s += v;
  }
  return s / models.length;
}

function rmsePair(models: Array<Record<string, number>>, e: string, f: string): RmsePair | null {
  const energyPerAtom = meanMetric(models, e), force = meanMetric(models, f);
  return energyPerAtom === null || force === null ? null : { energyPerAtom, force };
}

export class IterationRepo {
  constructor(private readonly db: Database.Database) {}

  /** Open the next iteration of a data set. */
  create(datasetId: number, note = '', status: IterationStatus = 'exploring'): Iteration {
    const row = this.db.prepare('SELECT COALESCE(MAX(number) + 1, 0) AS n FROM iterations WHERE dataset_id = ?').get(datasetId) as { n: number };
    const info = this.db.prepare('INSERT INTO iterations (dataset_id, number, note, created_at, status) VALUES (?, ?, ?, ?, ?)').run(datasetId, row.n, note, nowIso(), status);
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Iteration | undefined {
    const r = this.db.prepare('SELECT * FROM iterations WHERE id = ?').get(id) as Row | undefined;
    return r && toIteration(r);
  }

  list(datasetId: number): Iteration[] {
    return (this.db.prepare('SELECT * FROM iterations WHERE dataset_id = ? ORDER BY number').all(datasetId) as Row[]).map(toIteration);
  }

  /** Record (or replace: same system again) the exploration result of one system. */
  addExploration(iterationId: number, e: ExplorationEntry): void {
    if (e.accurate + e.candidate + e.failed !== e.frames) {
      throw new Error(`exploration of ${e.system}: accurate + candidate + failed = ${e.accurate + e.candidate + e.failed}, not frames = ${e.frames}`);
    }
    this.db.prepare(`INSERT INTO iteration_explorations (iteration_id, system, kind, frames, accurate, candidate, failed, trust_lo, trust_hi, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (iteration_id, system) DO UPDATE SET kind = excluded.kind, frames = excluded.frames, accurate = excluded.accurate,
        candidate = excluded.candidate, failed = excluded.failed, trust_lo = excluded.trust_lo, trust_hi = excluded.trust_hi, created_at = excluded.created_at`)
      .run(iterationId, e.system, e.kind, e.frames, e.accurate, e.candidate, e.failed, e.trustLo, e.trustHi, nowIso());
  }

  explorations(iterationId: number): ExplorationEntry[] {
    return this.db.prepare(`SELECT system, kind, frames, accurate, candidate, failed, trust_lo AS trustLo, trust_hi AS trustHi
      FROM iteration_explorations WHERE iteration_id = ? ORDER BY id`).all(iterationId) as ExplorationEntry[];
  }

  /**
   * Update status, note and stage wall times (merged by stage name, seconds). Moving to 'done'
   * records the data set's labeled-frame count and the closing time. Returns false if unknown.
   */
  update(id: number, patch: { status?: IterationStatus; note?: string; stageSeconds?: Record<string, number> }): boolean {
    const r = this.db.prepare('SELECT * FROM iterations WHERE id = ?').get(id) as Row | undefined;
    if (!r) return false;
    const stages = { ...(JSON.parse(r.stage_seconds) as Record<string, number>), ...(patch.stageSeconds ?? {}) };
    const status = patch.status ?? r.status;
    const closing = status === 'done' && r.status !== 'done';
    this.db.prepare('UPDATE iterations SET status = ?, note = ?, stage_seconds = ?, dataset_size = ?, closed_at = ? WHERE id = ?').run(
      status, patch.note ?? r.note, JSON.stringify(stages),
      closing ? this.labeledCount(r.dataset_id) : status === 'done' ? r.dataset_size : null,
      closing ? nowIso() : status === 'done' ? r.closed_at : null, id);
    return true;
  }

  private labeledCount(datasetId: number): number {
    return (this.db.prepare(`SELECT COUNT(DISTINCT l.frame_id) AS n FROM labels l JOIN frames f ON f.id = l.frame_id
      WHERE f.dataset_id = ? AND l.status = 'ok'`).get(datasetId) as { n: number }).n;
  }

  summary(id: number): IterationSummary | undefined {
    const r = this.db.prepare('SELECT * FROM iterations WHERE id = ?').get(id) as Row | undefined;
    if (!r) return undefined;
    const counts = this.db.prepare(`SELECT COUNT(*) AS selected,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM labels l WHERE l.frame_id = f.id AND l.status = 'ok') THEN 1 ELSE 0 END) AS labeled,
        SUM(CASE WHEN EXISTS (SELECT 1 FROM labels l WHERE l.frame_id = f.id AND l.status = 'failed')
                  AND NOT EXISTS (SELECT 1 FROM labels l WHERE l.frame_id = f.id AND l.status = 'ok') THEN 1 ELSE 0 END) AS failed
      FROM frames f WHERE f.iteration_id = ?`).get(id) as { selected: number; labeled: number | null; failed: number | null };
    const ens = this.db.prepare('SELECT id FROM ensembles WHERE iteration_id = ? ORDER BY id DESC LIMIT 1').get(id) as { id: number } | undefined;
    const metrics = ens
      ? (this.db.prepare('SELECT metrics FROM models WHERE ensemble_id = ? ORDER BY id').all(ens.id) as { metrics: string }[])
        .map((m) => JSON.parse(m.metrics) as Record<string, number>)
      : [];
    return {
      ...toIteration(r),
      status: r.status,
      exploration: this.explorations(id),
      framesSelected: counts.selected,
      framesLabeled: counts.labeled ?? 0,
      framesFailed: counts.failed ?? 0,
      datasetSize: r.status === 'done' && r.dataset_size !== null ? r.dataset_size : this.labeledCount(r.dataset_id),
      ensembleId: ens?.id ?? null,
      rmse: {
        train: rmsePair(metrics, 'rmseEnergyPerAtomTrain', 'rmseForceTrain'),
        validation: rmsePair(metrics, 'rmseEnergyPerAtomValidation', 'rmseForceValidation'),
      },
      stageSeconds: JSON.parse(r.stage_seconds) as Record<string, number>,
      closedAt: r.closed_at,
    };
  }

  summaries(datasetId: number): IterationSummary[] {
    return this.list(datasetId).map((i) => this.summary(i.id)!);
  }
}
