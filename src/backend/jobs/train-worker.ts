/** Train job, run in a worker thread (see train-job.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import type { RunnerMessage, WorkerInput, WorkerMessage } from './messages.ts';
import { runTrainJob } from './train-job.ts';

const input = workerData as WorkerInput;
const port = parentPort!;
const post = (m: WorkerMessage): void => port.postMessage(m);
let cancel: (() => void) | null = null;
let cancelRequested = false;
port.on('message', (m: RunnerMessage) => {
  if (m.type === 'cancel') { cancelRequested = true; cancel?.(); }
});

runTrainJob(input, post, (fn) => { cancel = fn; if (cancelRequested) fn(); })
  .then(
    (state) => post({ type: 'done', state }),
    (e: unknown) => post({ type: 'done', state: 'failed', error: e instanceof Error ? e.message : String(e) }),
  )
  .finally(() => port.close());
