/** Open (and migrate) the backend SQLite database in WAL mode. */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations.ts';

/** Open `path` (created with its folder if missing; ':memory:' for tests), WAL, foreign keys on. */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a committed transaction survives a crash of the service (kill -9); after a
  // power loss the last transactions may roll back, but a label and its frame's done-mark are
  // one transaction, so a resumed job still labels every frame exactly once.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 10000');
  migrate(db);
  return db;
}
