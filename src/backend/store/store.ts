/** The backend store: one SQLite database (WAL) and a repository per table. */
import type Database from 'better-sqlite3';
import { openDatabase } from './open.ts';
import { DatasetRepo } from './datasets.ts';
import { FrameRepo } from './frames.ts';
import { LabelRepo } from './labels.ts';
import { JobRepo } from './jobs.ts';
import { ModelRepo } from './models.ts';
import { IterationRepo } from './iterations.ts';
import { TaskRepo } from './tasks.ts';
import { schemaVersion } from './migrations.ts';

export class Store {
  readonly datasets: DatasetRepo;
  readonly frames: FrameRepo;
  readonly labels: LabelRepo;
  readonly jobs: JobRepo;
  readonly models: ModelRepo;
  readonly iterations: IterationRepo;
  readonly tasks: TaskRepo;

  constructor(readonly db: Database.Database, readonly path: string) {
    this.datasets = new DatasetRepo(db);
    this.frames = new FrameRepo(db);
    this.labels = new LabelRepo(db);
    this.jobs = new JobRepo(db);
    this.models = new ModelRepo(db);
    this.iterations = new IterationRepo(db);
    this.tasks = new TaskRepo(db);
  }

  /** Open (create, migrate) the store at a file path or ':memory:'. */
  static open(path: string): Store {
    return new Store(openDatabase(path), path);
  }

  get schemaVersion(): number {
    return schemaVersion(this.db);
  }

  close(): void {
    this.db.close();
  }
}
