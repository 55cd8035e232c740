// Worker-thread entry: register the TypeScript loader (tsx) in this thread, then run the job
// module named in workerData.entry (label-worker.ts or train-worker.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
