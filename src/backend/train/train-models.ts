/**
 * Train an ensemble: the same settings, seeds seed, seed+1, …; one worker thread per model (at
 * most `parallel` at a time). Each model is returned as DeePMD-kit v3 `.dp` bytes with its
 * learning curve and metrics. Used by the train job and by `nanostudio train`.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import type { LabeledFrame } from '../export/labeled-frame.ts';
import type { TrainSettings } from '../schemas.ts';
import type { CurveRow } from './trainer.ts';
import { Rng } from '../../core/random.ts';

const BOOT = fileURLToPath(new URL('../jobs/worker-boot.mjs', import.meta.url));
const ENTRY = new URL('./model-worker.ts', import.meta.url).href;

/** What a model worker receives (frames as plain arrays). */
export interface ModelWorkerInput {
  entry: string;
  train: SerializedFrame[];
  validation: SerializedFrame[];
  settings: TrainSettings;
  typeMap: string[];
  seed: number;
  index: number;
}

export interface SerializedFrame {
  id: number; symbols: string[]; positions: number[]; cell: number[] | null; pbc: [boolean, boolean, boolean];
  energy: number; forces: number[];
}

export type ModelWorkerMessage =
  | { type: 'curve'; index: number; row: CurveRow }
  | { type: 'done'; index: number; dp: Uint8Array; curve: CurveRow[]; metrics: Record<string, number>; stopped: boolean }
  | { type: 'error'; index: number; error: string };

export interface TrainedModel {
  seed: number;
  dp: Uint8Array;
  curve: CurveRow[];
  metrics: Record<string, number>;
}

export function serializeFrame(f: LabeledFrame): SerializedFrame {
  return { id: f.id, symbols: f.frame.symbols, positions: Array.from(f.frame.positions), cell: f.frame.cell ? Array.from(f.frame.cell) : null, pbc: f.frame.pbc, energy: f.energy, forces: Array.from(f.forces) };
}

export function deserializeFrame(s: SerializedFrame): LabeledFrame {
  return {
    id: s.id, energy: s.energy, forces: Float64Array.from(s.forces), virial: null, calculator: '',
    frame: { symbols: s.symbols, positions: Float64Array.from(s.positions), cell: s.cell ? Float64Array.from(s.cell) : null, pbc: s.pbc },
  };
}

/** Seeded split into training and validation frames (the same for every model of the ensemble). */
export function splitFrames(frames: LabeledFrame[], fraction: number, seed: number): { train: LabeledFrame[]; validation: LabeledFrame[] } {
  const idx = frames.map((_, i) => i);
  const rng = new Rng(seed);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const nVal = frames.length > 1 ? Math.min(frames.length - 1, Math.round(fraction * frames.length)) : 0;
  return { validation: idx.slice(0, nVal).map((i) => frames[i]), train: idx.slice(nVal).map((i) => frames[i]) };
}

export interface EnsembleRun {
  promise: Promise<TrainedModel[]>;
  cancel(): void;
}

/** Start training `settings.models` models; `onCurve` sees every learning-curve row. */
export function trainEnsemble(frames: LabeledFrame[], settings: TrainSettings, onCurve: (index: number, row: CurveRow) => void,
  parallel = Math.max(1, availableParallelism()), onModelDone: (index: number) => void = () => {}): EnsembleRun {
  const typeMap = [...new Set(frames.flatMap((f) => f.frame.symbols))].sort();
  const { train, validation } = splitFrames(frames, settings.validationFraction, settings.seed);
  const results: TrainedModel[] = new Array(settings.models);
  const workers = new Set<Worker>();
  let cancelled = false;
  let next = 0;
  const promise = new Promise<TrainedModel[]>((resolve, reject) => {
    let running = 0, finished = 0, failed = false;
    const launch = (): void => {
      while (!cancelled && !failed && running < parallel && next < settings.models) {
        const index = next++;
        const input: ModelWorkerInput = { entry: ENTRY, train: train.map(serializeFrame), validation: validation.map(serializeFrame), settings, typeMap, seed: settings.seed + index, index };
        const w = new Worker(BOOT, { workerData: input });
        workers.add(w);
        running++;
        const done = (): void => { workers.delete(w); running--; void w.terminate(); };
        w.on('message', (m: ModelWorkerMessage) => {
          if (m.type === 'curve') onCurve(m.index, m.row);
          else if (m.type === 'error') { done(); failed = true; reject(new Error(`model ${m.index}: ${m.error}`)); }
          else {
            done();
            results[m.index] = { seed: settings.seed + m.index, dp: m.dp, curve: m.curve, metrics: m.metrics };
            finished++;
            onModelDone(m.index);
            if (finished === settings.models) resolve(results);
            else launch();
          }
        });
        w.on('error', (e) => { done(); failed = true; reject(e); });
      }
      if (cancelled) reject(new Error('cancelled'));
    };
    launch();
  });
  return {
    promise,
    cancel() {
      cancelled = true;
      for (const w of workers) void w.terminate();
    },
  };
}
