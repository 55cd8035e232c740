/** Data sets: named collections of frames. */
import type Database from 'better-sqlite3';
import { nowIso } from './blob.ts';

export interface Dataset {
  id: number;
  name: string;
  description: string;
  createdAt: string;
  frameCount: number;
  labeledCount: number;
}

interface Row { id: number; name: string; description: string; created_at: string; frame_count: number; labeled_count: number }

const SELECT = `
  SELECT d.id, d.name, d.description, d.created_at,
    (SELECT COUNT(*) FROM frames f WHERE f.dataset_id = d.id) AS frame_count,
    (SELECT COUNT(DISTINCT l.frame_id) FROM labels l JOIN frames f ON f.id = l.frame_id
      WHERE f.dataset_id = d.id AND l.status = 'ok') AS labeled_count
  FROM datasets d`;

const toDataset = (r: Row): Dataset => ({
  id: r.id, name: r.name, description: r.description, createdAt: r.created_at,
  frameCount: r.frame_count, labeledCount: r.labeled_count,
});

export class DatasetRepo {
  constructor(private readonly db: Database.Database) {}

  create(name: string, description = ''): Dataset {
    const info = this.db.prepare('INSERT INTO datasets (name, description, created_at) VALUES (?, ?, ?)').run(name, description, nowIso());
    return this.get(Number(info.lastInsertRowid))!;
  }

  get(id: number): Dataset | undefined {
    const r = this.db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as Row | undefined;
    return r && toDataset(r);
  }

  byName(name: string): Dataset | undefined {
    const r = this.db.prepare(`${SELECT} WHERE d.name = ?`).get(name) as Row | undefined;
    return r && toDataset(r);
  }

  list(): Dataset[] {
    return (this.db.prepare(`${SELECT} ORDER BY d.id`).all() as Row[]).map(toDataset);
  }

  update(id: number, patch: { name?: string; description?: string }): Dataset | undefined {
    const cur = this.get(id);
    if (!cur) return undefined;
    this.db.prepare('UPDATE datasets SET name = ?, description = ? WHERE id = ?')
      .run(patch.name ?? cur.name, patch.description ?? cur.description, id);
    return this.get(id);
  }

  /** Delete a data set with its frames and their labels; false if it did not exist. */
  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM datasets WHERE id = ?').run(id).changes > 0;
  }
}
