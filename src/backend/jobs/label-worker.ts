/**
 * Label job, run in a worker thread: label every pending frame of the job in order, recording
 * each label (ok or failed with its reason) in the database in one transaction with the frame's
 * "done" mark, so a crash never loses or repeats a frame. Cancellation aborts the running
 * calculation and records nothing for that frame.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Store } from '../store/store.ts';
import { createLabeler, LabelerSpecSchema } from '../labelers/spec.ts';
import { labelFrame, runsExternalPrograms } from '../labelers/labeler.ts';
import type { RunnerMessage, WorkerInput, WorkerMessage } from './messages.ts';
import { jobExecutor } from '../executor/config.ts';
import { runSlurmLabelJob } from '../executor/label-driver.ts';

const input = workerData as WorkerInput;
const port = parentPort!;
const post = (m: WorkerMessage): void => port.postMessage(m);
const abort = new AbortController();
port.on('message', (m: RunnerMessage) => { if (m.type === 'cancel') abort.abort(); });

async function main(): Promise<void> {
  const store = Store.open(input.dbPath);
  try {
    const job = store.jobs.get(input.jobId);
    if (!job) throw new Error(`job ${input.jobId} not found`);
    const spec = LabelerSpecSchema.parse(job.params.calculator);
    const executor = jobExecutor(job.params);
    if (executor.kind === 'slurm') {
      post({ type: 'done', state: await runSlurmLabelJob(store, job, spec, executor.slurm, abort.signal, post) });
      return;
    }
    const labeler = await createLabeler(spec);
    const pending = store.jobs.pendingFrames(job.id);
    const total = job.progress.total;
    let done = total - pending.length;
    post({ type: 'log', level: 'info', message: `labeling ${pending.length} of ${total} frames with ${labeler.name}` });
    // External programs (cp2k) are recorded with the job while they run, so that the runner can
    // kill their process group after a crash or a stop of the service.
    let current: number | null = null;
    if (runsExternalPrograms(labeler)) {
      labeler.watchProcesses((p) => {
        const id = store.jobs.recordProcess({ jobId: job.id, frameId: current, ...p });
        return () => store.jobs.forgetProcess(id);
      });
    }
    for (const frameId of pending) {
      current = frameId;
      // Yield to the event loop so a 'cancel' message from the runner is received between frames.
      await new Promise<void>((r) => setImmediate(r));
      if (abort.signal.aborted) break;
      const stored = store.frames.get(frameId);
      const t0 = performance.now();
      const outcome = stored
        ? await labelFrame(labeler, stored.frame, abort.signal)
        : { status: 'failed' as const, reason: `frame ${frameId} no longer exists` };
      if (abort.signal.aborted) break; // an aborted calculation is not a label
      const seconds = (performance.now() - t0) / 1000;
      store.labels.recordForJob(job.id, frameId, labeler.name, outcome, seconds);
      done++;
      if (outcome.status === 'failed') {
        post({ type: 'log', level: 'warn', message: `frame ${frameId}: label failed: ${outcome.reason}` });
      }
      post({ type: 'progress', done, total, frameId, status: outcome.status, reason: outcome.status === 'failed' ? outcome.reason : undefined, seconds });
    }
    if (abort.signal.aborted) {
      post({ type: 'done', state: 'cancelled' });
      return;
    }
    const counts = store.labels.countsForJob(job.id); // every attempt, not only this one
    post({ type: 'log', level: 'info', message: `labeled ${counts.ok + counts.failed} frames: ${counts.ok} ok, ${counts.failed} failed (see labels for reasons)` });
    post({ type: 'done', state: 'succeeded' });
  } finally {
    store.close();
  }
}

main()
  .catch((e: unknown) => post({ type: 'done', state: 'failed', error: e instanceof Error ? e.message : String(e) }))
  .finally(() => port.close());
