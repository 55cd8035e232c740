/** Messages between trainEnsembleInThreads (ensemble-threads.ts) and a trainer worker thread (worker-entry.ts). */
import type { DpModel } from '../../core/potentials/dp/model.ts';
import type { LabeledFrame, TrainCheckpoint, TrainProgress, TrainResult, TrainSettings } from '../../core/train/types.ts';

/** workerData of a trainer worker: the entry module URL, the data and one seed. */
export interface WorkerTrainInput {
  entry: string;
  data: LabeledFrame[];
  settings: TrainSettings;
  seed: number;
  /** Optional starting model (TrainOptions.initModel). */
  initModel?: DpModel;
  /** Continue from this checkpoint (TrainOptions.resume). */
  resume?: TrainCheckpoint;
  /** Post checkpoints (TrainOptions.checkpointEvery / checkpointSeconds); none when both are absent. */
  checkpointEvery?: number;
  checkpointSeconds?: number;
}

/** Worker → parent. */
export type WorkerTrainMessage =
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'warning'; message: string }
  | { type: 'checkpoint'; checkpoint: TrainCheckpoint }
  | { type: 'done'; result: TrainResult }
  | { type: 'error'; name: string; message: string };

/** Parent → worker. */
export type WorkerTrainCommand = { type: 'cancel' };
