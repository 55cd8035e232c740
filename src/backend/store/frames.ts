/** Frames of a data set with their provenance (which exploration, ensemble, deviation, when). */
import type Database from 'better-sqlite3';
import type { Frame, Pbc } from '../../core/atoms.ts';
import { blobToF64, f64ToBlob, nowIso } from './blob.ts';

export interface Provenance {
  /** Free text: where the frame came from (file name, "bhmc", "md 300 K", …). */
  source?: string;
  /** Exploration identifier (e.g. "md-nvt-300K-Cu55"). */
  exploration?: string | null;
  /** Model ensemble that drove / evaluated the exploration. */
  ensembleId?: number | null;
  /** Active-learning iteration. */
  iterationId?: number | null;
  /** Maximum force deviation of the ensemble on this frame, eV/Å. */
  maxDeviF?: number | null;
  /** When the frame was explored (ISO-8601). */
  exploredAt?: string | null;
}

export interface StoredFrame {
  id: number;
  datasetId: number;
  frame: Frame;
  provenance: Provenance;
  createdAt: string;
}

interface Row {
  id: number; dataset_id: number; natoms: number; symbols: string; positions: Buffer; cell: Buffer | null; pbc: string;
  source: string; exploration: string | null; ensemble_id: number | null; iteration_id: number | null;
  max_devi_f: number | null; info: string; explored_at: string | null; created_at: string;
}

function toStored(r: Row): StoredFrame {
  const info = JSON.parse(r.info) as Record<string, string | number | boolean>;
  const frame: Frame = {
    symbols: JSON.parse(r.symbols) as string[],
    positions: blobToF64(r.positions),
    cell: r.cell ? blobToF64(r.cell) : null,
    pbc: JSON.parse(r.pbc) as Pbc,
  };
  if (Object.keys(info).length > 0) frame.info = info;
  return {
    id: r.id, datasetId: r.dataset_id, frame, createdAt: r.created_at,
    provenance: {
      source: r.source, exploration: r.exploration, ensembleId: r.ensemble_id, iterationId: r.iteration_id,
      maxDeviF: r.max_devi_f, exploredAt: r.explored_at,
    },
  };
}

export class FrameRepo {
  constructor(private readonly db: Database.Database) {}

  /** Insert frames (positions/cell Å) into a data set in one transaction; returns their ids in order. */
  addMany(datasetId: number, items: Array<{ frame: Frame; provenance?: Provenance }>): number[] {
    const ins = this.db.prepare(`INSERT INTO frames
      (dataset_id, natoms, symbols, positions, cell, pbc, source, exploration, ensemble_id, iteration_id, max_devi_f, info, explored_at, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const now = nowIso();
    return this.db.transaction(() => items.map(({ frame, provenance: p = {} }) => {
      const info = ins.run(
        datasetId, frame.symbols.length, JSON.stringify(frame.symbols), f64ToBlob(frame.positions),
        frame.cell ? f64ToBlob(frame.cell) : null, JSON.stringify(frame.pbc), p.source ?? '', p.exploration ?? null,
        p.ensembleId ?? null, p.iterationId ?? null, p.maxDeviF ?? null, JSON.stringify(frame.info ?? {}), p.exploredAt ?? null, now,
      );
      return Number(info.lastInsertRowid);
    }))();
  }

  get(id: number): StoredFrame | undefined {
    const r = this.db.prepare('SELECT * FROM frames WHERE id = ?').get(id) as Row | undefined;
    return r && toStored(r);
  }

  /** Frames of a data set in insertion order, paged by id (afterId exclusive). */
  list(datasetId: number, opts: { afterId?: number; limit?: number } = {}): StoredFrame[] {
    const rows = this.db.prepare('SELECT * FROM frames WHERE dataset_id = ? AND id > ? ORDER BY id LIMIT ?')
      .all(datasetId, opts.afterId ?? 0, opts.limit ?? -1) as Row[];
    return rows.map(toStored);
  }

  ids(datasetId: number): number[] {
    return (this.db.prepare('SELECT id FROM frames WHERE dataset_id = ? ORDER BY id').all(datasetId) as { id: number }[]).map((r) => r.id);
  }

  count(datasetId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM frames WHERE dataset_id = ?').get(datasetId) as { n: number }).n;
  }
}
