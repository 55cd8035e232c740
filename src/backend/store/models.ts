/** Model ensembles (e.g. 4 DP-SE models differing by seed) with their training data and metrics. */
import type Database from 'better-sqlite3';
import { nowIso } from './blob.ts';

export interface Ensemble {
  id: number;
  name: string;
  datasetId: number | null;
  iterationId: number | null;
  jobId: number | null;
  settings: Record<string, unknown>;
  /** Frame ids the ensemble was trained on. */
  trainingFrames: number[];
  createdAt: string;
  models: ModelInfo[];
}

export interface ModelInfo {
  id: number;
  seed: number;
  /** 'dp' (DeePMD-kit v3 .dp), 'json' or 'pb'. */
  format: string;
  /** e.g. { rmseEnergyPerAtomTrain: eV/atom, rmseForceTrain: eV/Å, … }. */
  metrics: Record<string, number>;
  /** Rows { step, lr, loss, rmseE (eV/atom), rmseF (eV/Å) }. */
  learningCurve: Array<Record<string, number>>;
  createdAt: string;
}

interface EnsRow { id: number; name: string; dataset_id: number | null; iteration_id: number | null; job_id: number | null; settings: string; training_frames: string; created_at: string }
interface ModelRow { id: number; seed: number; format: string; metrics: string; learning_curve: string; created_at: string }

export class ModelRepo {
  constructor(private readonly db: Database.Database) {}

  createEnsemble(e: { name: string; datasetId: number | null; iterationId?: number | null; jobId?: number | null; settings?: Record<string, unknown>; trainingFrames: number[] }): number {
    const info = this.db.prepare(`INSERT INTO ensembles (name, dataset_id, iteration_id, job_id, settings, training_frames, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(e.name, e.datasetId, e.iterationId ?? null, e.jobId ?? null, JSON.stringify(e.settings ?? {}), JSON.stringify(e.trainingFrames), nowIso());
    return Number(info.lastInsertRowid);
  }

  addModel(ensembleId: number, m: { seed: number; format: string; content: Uint8Array; metrics: Record<string, number>; learningCurve: Array<Record<string, number>> }): number {
    const info = this.db.prepare(`INSERT INTO models (ensemble_id, seed, format, content, metrics, learning_curve, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(ensembleId, m.seed, m.format, Buffer.from(m.content), JSON.stringify(m.metrics), JSON.stringify(m.learningCurve), nowIso());
    return Number(info.lastInsertRowid);
  }

  getEnsemble(id: number): Ensemble | undefined {
    const r = this.db.prepare('SELECT * FROM ensembles WHERE id = ?').get(id) as EnsRow | undefined;
    if (!r) return undefined;
    const models = (this.db.prepare('SELECT id, seed, format, metrics, learning_curve, created_at FROM models WHERE ensemble_id = ? ORDER BY id').all(id) as ModelRow[])
      .map((m) => ({ id: m.id, seed: m.seed, format: m.format, metrics: JSON.parse(m.metrics) as Record<string, number>,
        learningCurve: JSON.parse(m.learning_curve) as Array<Record<string, number>>, createdAt: m.created_at }));
    return {
      id: r.id, name: r.name, datasetId: r.dataset_id, iterationId: r.iteration_id, jobId: r.job_id,
      settings: JSON.parse(r.settings) as Record<string, unknown>, trainingFrames: JSON.parse(r.training_frames) as number[],
      createdAt: r.created_at, models,
    };
  }

  listEnsembles(): Ensemble[] {
    return (this.db.prepare('SELECT id FROM ensembles ORDER BY id').all() as { id: number }[]).map((r) => this.getEnsemble(r.id)!);
  }

  /** The stored bytes of one model file. */
  modelContent(modelId: number): { format: string; content: Buffer } | undefined {
    return this.db.prepare('SELECT format, content FROM models WHERE id = ?').get(modelId) as { format: string; content: Buffer } | undefined;
  }
}
