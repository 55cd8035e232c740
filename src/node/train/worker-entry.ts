/**
 * Node worker-thread entry of the trainer: trains one model (workerData: WorkerTrainInput) and
 * posts WorkerTrainMessage values to the parent; a { type: 'cancel' } message aborts training.
 * Started by trainEnsembleInThreads (ensemble-threads.ts) through worker-boot.mjs. Node only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { trainModel } from '../../core/train/trainer.ts';
import type { WorkerTrainInput, WorkerTrainMessage, WorkerTrainCommand } from './worker-protocol.ts';

const input = workerData as WorkerTrainInput;
const port = parentPort;
if (!port) throw new Error('worker-entry.ts must run in a worker thread');
const post = (m: WorkerTrainMessage): void => port.postMessage(m);
const ac = new AbortController();
port.on('message', (m: WorkerTrainCommand) => {
  if (m.type === 'cancel') ac.abort();
});

trainModel(input.data, input.settings, {
  seed: input.seed,
  signal: ac.signal,
  initModel: input.initModel,
  resume: input.resume,
  checkpointEvery: input.checkpointEvery,
  checkpointSeconds: input.checkpointSeconds,
  ...(input.checkpointEvery !== undefined || input.checkpointSeconds !== undefined
    ? { onCheckpoint: (checkpoint) => post({ type: 'checkpoint', checkpoint }) }
    : {}),
  onProgress: (p) => post({ type: 'progress', progress: p }),
  onWarning: (message) => post({ type: 'warning', message }),
}).then(
  (result) => post({ type: 'done', result }),
  (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    post({ type: 'error', name: err.name, message: err.message });
  },
);
