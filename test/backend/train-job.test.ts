// Train job commit (issue 12): the ensemble and the job's "succeeded" are one transaction, so a
// crash between them cannot store the ensemble twice after the resume.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Store } from '../../src/backend/store/store.ts';
import { runTrainJob } from '../../src/backend/jobs/train-job.ts';
import { EamLabeler } from '../../src/backend/labelers/eam.ts';
import { labelFrame } from '../../src/backend/labelers/labeler.ts';
import { makeFrame } from '../../src/core/atoms.ts';
import type { WorkerMessage } from '../../src/backend/jobs/messages.ts';
import { cuFrames, tempDir } from './helpers.ts';

const TINY = { models: 1, steps: 30, rcut: 5, rcutSmth: 0.5, embedding: [4, 8], fitting: [8, 8], axisNeuron: 4, startLr: 1e-2, stopLr: 1e-4, decaySteps: 10, startPrefE: 1, limitPrefE: 1, validationFraction: 0 };

async function labeledStore(): Promise<{ store: Store; path: string; datasetId: number }> {
  const path = join(tempDir(), 'db.sqlite');
  const store = Store.open(path);
  const ds = store.datasets.create('cu13');
  const frames = cuFrames(4, 0.2, 5).map((f) => makeFrame(f.symbols, f.positions.flat()));
  const ids = store.frames.addMany(ds.id, frames.map((frame) => ({ frame, provenance: {} })));
  const eam = await EamLabeler.load();
  for (let i = 0; i < ids.length; i++) store.labels.recordForJob(null, ids[i], eam.name, await labelFrame(eam, frames[i]), 0);
  return { store, path, datasetId: ds.id };
}

describe('train job commit', () => {
  it('marks the job succeeded in the transaction that stores its ensemble; a resumed run stores nothing twice', async () => {
    const { store, path, datasetId } = await labeledStore();
    const job = store.jobs.create('train', datasetId, { name: 'once', settings: TINY }, [], 1);
    expect(store.jobs.claim(job.id)).toBe(true);
    const logs: string[] = [];
    const post = (m: WorkerMessage): void => { if (m.type === 'log') logs.push(m.message); };
    expect(await runTrainJob({ jobId: job.id, dbPath: path }, post, () => {})).toBe('succeeded');
    // A crash right after runTrainJob returns (before the runner hears 'done') must not re-run it.
    expect(store.jobs.get(job.id)!.state).toBe('succeeded');
    expect(store.jobs.requeueInterrupted()).toEqual([]);
    // Even if the job body runs again on that job (a stale runner), no second ensemble appears.
    expect(await runTrainJob({ jobId: job.id, dbPath: path }, post, () => {})).toBe('succeeded');
    const ensembles = store.models.listEnsembles().filter((e) => e.jobId === job.id);
    expect(ensembles).toHaveLength(1);
    expect(logs.some((l) => /already stored/.test(l))).toBe(true);
    store.close();
  });
});
