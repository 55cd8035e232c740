// Worker-thread boot of the trainer: register the TypeScript loader (tsx) in this thread, then run
// the entry module named in workerData.entry (worker-entry.ts). Started by ensemble-threads.ts.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
