/**
 * Train job, run in a worker thread. The built-in DP-SE trainer is not written yet: the job
 * fails with that reason (never silently). See src/backend/train/ when it lands.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkerInput, WorkerMessage } from './messages.ts';
import { runTrainJob } from './train-job.ts';

const input = workerData as WorkerInput;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

runTrainJob(input, post).then(
  (state) => post({ type: 'done', state }),
  (e: unknown) => post({ type: 'done', state: 'failed', error: e instanceof Error ? e.message : String(e) }),
).finally(() => parentPort!.close());
