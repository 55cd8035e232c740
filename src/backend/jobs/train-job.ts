/** Train job body (see train-worker.ts). */
import type { WorkerInput, WorkerMessage } from './messages.ts';

/** Run a train job; resolves to its final state. */
export async function runTrainJob(input: WorkerInput, post: (m: WorkerMessage) => void): Promise<'succeeded' | 'failed' | 'cancelled'> {
  post({ type: 'log', level: 'error', message: `job ${input.jobId}: no trainer is available in this build (built-in DP-SE trainer not implemented yet; DeePMD-kit delegation not wired)` });
  throw new Error('no trainer available: the built-in DP-SE trainer is not implemented yet');
}
