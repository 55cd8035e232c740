/**
 * Parallel ensemble training in Node worker threads (Node only; the trainer itself, src/core/train,
 * is pure TypeScript). Each seed trains in its own worker thread, at most `threads` at a time;
 * results are identical to trainModel in the calling thread with the same seed (same code,
 * same float64 arithmetic). Units as trainModel: energies eV (RMSE eV/atom), forces eV/Å.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { DpModel } from '../../core/potentials/dp/model.ts';
import type { LabeledFrame, TrainCheckpoint, TrainProgress, TrainResult, TrainSettings } from '../../core/train/types.ts';
import type { WorkerTrainCommand, WorkerTrainInput, WorkerTrainMessage } from './worker-protocol.ts';

const BOOT = fileURLToPath(new URL('./worker-boot.mjs', import.meta.url));
const ENTRY = new URL('./worker-entry.ts', import.meta.url).href;

export interface ThreadedEnsembleOptions {
  /** One model per seed (default [1, 2, 3, 4], the paper's 4-model ensemble). */
  seeds?: number[];
  /** Worker threads at a time (default: the machine's available parallelism, at most seeds.length). */
  threads?: number;
  /** Progress of every model (p.seed tells which). */
  onProgress?: (p: TrainProgress) => void;
  /** Cancels every model: the promise rejects with the signal's reason and the workers are terminated. */
  signal?: AbortSignal;
  onWarning?: (message: string, seed: number) => void;
  /** Start every member from this model (TrainOptions.initModel). */
  initModel?: DpModel;
  /** Checkpoints of some members (matched by their seed): those members continue from them. */
  resume?: TrainCheckpoint[];
  /** Checkpoint every this many steps and/or seconds (TrainOptions); each reaches onCheckpoint (cp.seed tells which member). */
  checkpointEvery?: number;
  checkpointSeconds?: number;
  onCheckpoint?: (cp: TrainCheckpoint) => void;
}

/** Train one model per seed in parallel worker threads; results in the order of `seeds`. */
export function trainEnsembleInThreads(data: LabeledFrame[], settings: TrainSettings, opts: ThreadedEnsembleOptions = {}): Promise<TrainResult[]> {
  const seeds = opts.seeds ?? [1, 2, 3, 4];
  const threads = Math.max(1, Math.min(seeds.length, Math.floor(opts.threads ?? availableParallelism())));
  const warn = opts.onWarning ?? ((m: string, seed: number) => console.warn(`warning (seed ${seed}): ${m}`));
  return new Promise<TrainResult[]>((resolve, reject) => {
    const results: (TrainResult | undefined)[] = seeds.map(() => undefined);
    const running = new Set<Worker>();
    let next = 0;
    let finished = 0;
    let failed = false;
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      for (const w of running) void w.terminate();
      running.clear();
      reject(e);
    };
    const onAbort = (): void => {
      for (const w of running) w.postMessage({ type: 'cancel' } satisfies WorkerTrainCommand);
      fail(opts.signal?.reason ?? new Error('training cancelled'));
    };
    if (opts.signal?.aborted) {
      fail(opts.signal.reason);
      return;
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const launch = (): void => {
      if (failed || next >= seeds.length) return;
      const k = next++;
      const seed = seeds[k];
      const input: WorkerTrainInput = { entry: ENTRY, data, settings, seed };
      if (opts.initModel) input.initModel = opts.initModel;
      const cp = opts.resume?.find((c) => c.seed === seed);
      if (cp) input.resume = cp;
      if (opts.onCheckpoint) {
        if (opts.checkpointEvery !== undefined) input.checkpointEvery = opts.checkpointEvery;
        if (opts.checkpointSeconds !== undefined) input.checkpointSeconds = opts.checkpointSeconds;
      }
      const w = new Worker(BOOT, { workerData: input });
      running.add(w);
      let done = false;
      w.on('message', (m: WorkerTrainMessage) => {
        if (m.type === 'progress') opts.onProgress?.(m.progress);
        else if (m.type === 'warning') warn(m.message, seed);
        else if (m.type === 'checkpoint') opts.onCheckpoint?.(m.checkpoint);
        else if (m.type === 'done') {
          done = true;
          results[k] = m.result;
          running.delete(w);
          void w.terminate();
          finished++;
          if (finished === seeds.length) {
            opts.signal?.removeEventListener('abort', onAbort);
            resolve(results as TrainResult[]);
          } else launch();
        } else if (m.type === 'error') {
          done = true;
          const e = new Error(`seed ${seed}: ${m.message}`);
          e.name = m.name;
          fail(e);
        }
      });
      w.on('error', (e) => fail(e));
      w.on('exit', (code) => {
        if (!done && !failed) fail(new Error(`trainer worker for seed ${seed} exited with code ${code} before finishing`));
      });
    };
    for (let i = 0; i < threads; i++) launch();
  });
}
