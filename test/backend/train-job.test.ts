// Train job commit (issue 12): the ensemble and the job's "succeeded" are one transaction, so a
// crash between them cannot store the ensemble twice after the resume.
import { describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { runTrainJob } from '../../src/backend/jobs/train-job.ts';
import type { WorkerMessage } from '../../src/backend/jobs/messages.ts';
import { labeledStore } from './helpers.ts';

const TINY = { models: 1, steps: 30, rcut: 5, rcutSmth: 0.5, embedding: [4, 8], fitting: [8, 8], axisNeuron: 4, startLr: 1e-2, stopLr: 1e-4, decaySteps: 10, startPrefE: 1, limitPrefE: 1, validationFraction: 0 };

describe('train job commit', () => {
  it('marks the job succeeded in the transaction that stores its ensemble; a resumed run stores nothing twice', async () => {
    const { store, path, datasetId } = await labeledStore();
    const job = store.jobs.create('train', datasetId, { name: 'once', settings: TINY }, [], 1);
    expect(store.jobs.claim(job.id)).toBe(true);
    const logs: string[] = [];
    const post = (m: WorkerMessage): void => { if (m.type === 'log') logs.push(m.message); };
    expect(await runTrainJob({ jobId: job.id, dbPath: path, dataDir: dirname(path) }, post, () => {})).toBe('succeeded');
    // A crash right after runTrainJob returns (before the runner hears 'done') must not re-run it.
    expect(store.jobs.get(job.id)!.state).toBe('succeeded');
    expect(store.jobs.requeueInterrupted()).toEqual([]);
    // Even if the job body runs again on that job (a stale runner), no second ensemble appears.
    expect(await runTrainJob({ jobId: job.id, dbPath: path, dataDir: dirname(path) }, post, () => {})).toBe('succeeded');
    const ensembles = store.models.listEnsembles().filter((e) => e.jobId === job.id);
    expect(ensembles).toHaveLength(1);
    expect(logs.some((l) => /already stored/.test(l))).toBe(true);
    store.close();
  });
});
