/** Messages between the job runner (main thread) and a job worker thread. */

export interface WorkerInput {
  /** Job to run. */
  jobId: number;
  /** SQLite file of the store (the worker opens its own connection; WAL allows both). */
  dbPath: string;
  /** The service's data folder (DATA_DIR). */
  dataDir: string;
}

export type WorkerMessage =
  | { type: 'progress'; done: number; total: number; frameId?: number; status?: 'ok' | 'failed'; reason?: string; seconds?: number; detail?: Record<string, number> }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string }
  | { type: 'done'; state: 'succeeded' | 'failed' | 'cancelled'; error?: string };

export type RunnerMessage = { type: 'cancel' };

/** An event as streamed to clients over SSE. */
export type JobEvent =
  | { type: 'state'; jobId: number; state: string; error?: string | null }
  | { type: 'progress'; jobId: number; done: number; total: number; frameId?: number; status?: 'ok' | 'failed'; reason?: string; seconds?: number; detail?: Record<string, number> }
  | { type: 'log'; jobId: number; level: string; message: string; at: string };
