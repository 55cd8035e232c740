/** Active-learning iterations of a data set (numbered 0, 1, 2, …). */
import type Database from 'better-sqlite3';
import { nowIso } from './blob.ts';

export interface Iteration { id: number; datasetId: number; number: number; note: string; createdAt: string }

export class IterationRepo {
  constructor(private readonly db: Database.Database) {}

  /** Open the next iteration of a data set. */
  create(datasetId: number, note = ''): Iteration {
    const row = this.db.prepare('SELECT COALESCE(MAX(number) + 1, 0) AS n FROM iterations WHERE dataset_id = ?').get(datasetId) as { n: number };
    const info = this.db.prepare('INSERT INTO iterations (dataset_id, number, note, created_at) VALUES (?, ?, ?, ?)').run(datasetId, row.n, note, nowIso());
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Iteration | undefined {
    return this.db.prepare('SELECT id, dataset_id AS datasetId, number, note, created_at AS createdAt FROM iterations WHERE id = ?').get(id) as Iteration | undefined;
  }

  list(datasetId: number): Iteration[] {
    return this.db.prepare('SELECT id, dataset_id AS datasetId, number, note, created_at AS createdAt FROM iterations WHERE dataset_id = ? ORDER BY number').all(datasetId) as Iteration[];
  }
}
