/**
 * Versioned schema of the backend database. Each migration runs once, in order, inside a
 * transaction; the `migrations` table records which versions are applied. Never edit a shipped
 * migration: append a new one.
 *
 * Units stored: positions/cell Å, energy eV, forces eV/Å, virial eV, deviations eV/Å,
 * times ISO-8601 UTC strings. Arrays are stored as little-endian float64 BLOBs.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'initial schema: datasets, frames, labels, jobs, models, iterations',
    sql: `
      CREATE TABLE datasets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        description TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
      );
      CREATE TABLE iterations (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        UNIQUE (dataset_id, number)
      );
      CREATE TABLE ensembles (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
        iteration_id INTEGER REFERENCES iterations(id) ON DELETE SET NULL,
        job_id INTEGER,
        settings TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
      );
      CREATE TABLE frames (
        id INTEGER PRIMARY KEY,
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        natoms INTEGER NOT NULL,
        symbols TEXT NOT NULL,
        positions BLOB NOT NULL,
        cell BLOB,
        pbc TEXT NOT NULL,
        source TEXT NOT NULL DEFAULT '',
        exploration TEXT,
        ensemble_id INTEGER REFERENCES ensembles(id) ON DELETE SET NULL,
        iteration_id INTEGER REFERENCES iterations(id) ON DELETE SET NULL,
        max_devi_f REAL,
        info TEXT NOT NULL DEFAULT '{}',
        explored_at TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX frames_dataset ON frames(dataset_id, id);
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('label', 'train')),
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        dataset_id INTEGER REFERENCES datasets(id) ON DELETE SET NULL,
        params TEXT NOT NULL DEFAULT '{}',
        progress_done INTEGER NOT NULL DEFAULT 0,
        progress_total INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT
      );
      CREATE TABLE job_frames (
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        frame_id INTEGER NOT NULL REFERENCES frames(id) ON DELETE CASCADE,
        done INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (job_id, frame_id)
      );
      CREATE TABLE job_logs (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        level TEXT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX job_logs_job ON job_logs(job_id, id);
      CREATE TABLE labels (
        id INTEGER PRIMARY KEY,
        frame_id INTEGER NOT NULL REFERENCES frames(id) ON DELETE CASCADE,
        job_id INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
        calculator TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
        reason TEXT,
        energy REAL,
        forces BLOB,
        virial BLOB,
        seconds REAL,
        created_at TEXT NOT NULL,
        UNIQUE (job_id, frame_id)
      );
      CREATE INDEX labels_frame ON labels(frame_id, id);
      ALTER TABLE ensembles ADD COLUMN training_frames TEXT NOT NULL DEFAULT '[]';
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        ensemble_id INTEGER NOT NULL REFERENCES ensembles(id) ON DELETE CASCADE,
        seed INTEGER NOT NULL,
        format TEXT NOT NULL,
        content BLOB NOT NULL,
        metrics TEXT NOT NULL DEFAULT '{}',
        learning_curve TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'iteration model: status, stage wall times, data-set size at close, exploration results per system',
    sql: `
      ALTER TABLE iterations ADD COLUMN status TEXT NOT NULL DEFAULT 'exploring' CHECK (status IN ('exploring', 'labeling', 'training', 'done'));
      ALTER TABLE iterations ADD COLUMN stage_seconds TEXT NOT NULL DEFAULT '{}';
      ALTER TABLE iterations ADD COLUMN dataset_size INTEGER;
      ALTER TABLE iterations ADD COLUMN closed_at TEXT;
      CREATE TABLE iteration_explorations (
        id INTEGER PRIMARY KEY,
        iteration_id INTEGER NOT NULL REFERENCES iterations(id) ON DELETE CASCADE,
        system TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('cluster', 'bulk', 'surface', 'studio')),
        frames INTEGER NOT NULL,
        accurate INTEGER NOT NULL,
        candidate INTEGER NOT NULL,
        failed INTEGER NOT NULL,
        trust_lo REAL NOT NULL,
        trust_hi REAL NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (iteration_id, system)
      );
      CREATE INDEX frames_iteration ON frames(iteration_id);
    `,
  },
  {
    version: 3,
    name: 'external processes of running jobs (cp2k process groups), to reap them after a crash',
    sql: `
      CREATE TABLE job_processes (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        frame_id INTEGER,
        pid INTEGER NOT NULL,
        pgid INTEGER NOT NULL,
        start_ticks INTEGER,
        executable TEXT NOT NULL,
        dir TEXT,
        started_at TEXT NOT NULL
      );
      CREATE INDEX job_processes_job ON job_processes(job_id);
    `,
  },
  {
    version: 4,
    name: 'train checkpoints: the latest parameters + Adam state of each ensemble member of a running train job',
    sql: `
      CREATE TABLE train_checkpoints (
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        member INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        step INTEGER NOT NULL,
        frame_ids TEXT NOT NULL,
        checkpoint TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (job_id, member)
      );
    `,
  },
  {
    version: 5,
    name: 'executor tasks: the Slurm jobs of a label or train job (one per frame, batch or ensemble member), to poll, resubmit and resume them',
    sql: `
      CREATE TABLE executor_tasks (
        id INTEGER PRIMARY KEY,
        job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        item INTEGER NOT NULL,
        frame_ids TEXT NOT NULL DEFAULT '[]',
        name TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'submitting', 'submitted', 'done', 'failed', 'cancelled')),
        slurm_id TEXT,
        slurm_state TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        dir TEXT NOT NULL,
        output_path TEXT NOT NULL,
        last_error TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (job_id, item)
      );
      CREATE INDEX executor_tasks_state ON executor_tasks(state);
    `,
  },
];

/** Apply every migration newer than the recorded version; returns the versions applied. */
export function migrate(db: Database.Database, migrations: Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const row = db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}

/** The highest applied schema version (0 for an empty database). */
export function schemaVersion(db: Database.Database): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number | null };
  return row.v ?? 0;
}
