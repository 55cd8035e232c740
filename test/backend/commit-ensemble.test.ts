// The end of every train job (in-process trainer, and task folders on Slurm or DeePMD-kit here):
// one function stores the ensemble with the job's "succeeded", once.
import { describe, expect, it } from 'vitest';
import { commitEnsemble } from '../../src/backend/train/commit-ensemble.ts';
import { TrainJobSettingsSchema } from '../../src/backend/schemas.ts';
import { labeledStore } from './helpers.ts';

describe('commitEnsemble', () => {
  it('stores the ensemble, its models and the job\'s succeeded together, ends the checkpoints, and never stores a second one', async () => {
    const { store, datasetId } = await labeledStore();
    try {
      const settings = TrainJobSettingsSchema.parse({ models: 2 });
      const job = store.jobs.create('train', datasetId, { settings }, [], 2);
      store.jobs.saveCheckpoint({ jobId: job.id, member: 0, seed: 1, step: 5, frameIds: [1, 2], checkpoint: '{}' });
      const curve = [{ step: 0, lr: 1e-3, loss: 2, rmseETrain: 0.1, rmseFTrain: 0.5, rmseEVal: null }, { step: 10, lr: 5e-4, loss: 1, rmseETrain: 0.05, rmseFTrain: 0.3, rmseEVal: 0.07 }];
      const models = [1, 2].map((seed) => ({ seed, format: 'dp', content: new Uint8Array([seed, 9]), metrics: { rmseForceTrain: 0.1 * seed }, curve }));
      const ens = commitEnsemble(store, job, { settings, trainer: 'test trainer', frameIds: [1, 2, 3], models });
      expect(ens).not.toBeNull();
      expect(store.jobs.get(job.id)).toMatchObject({ state: 'succeeded', progress: { done: 2, total: 2 } });
      expect(store.jobs.checkpoints(job.id)).toEqual([]);
      const stored = store.models.listEnsembles().find((e) => e.id === ens)!;
      expect(stored).toMatchObject({ name: `ensemble of job ${job.id}`, jobId: job.id, settings: { trainer: 'test trainer', models: 2 } });
      expect(stored.models.map((m) => m.seed)).toEqual([1, 2]);
      expect(stored.models[0].learningCurve.map((r) => [r.step, r.rmseFTrain])).toEqual([[0, 0.5], [10, 0.3]]);
      expect(Array.from(store.models.modelContent(stored.models[1].id)!.content)).toEqual([2, 9]);
      // A second run of the job's worker (a stale runner) stores nothing.
      expect(commitEnsemble(store, job, { settings, trainer: 'test trainer', frameIds: [1, 2, 3], models })).toBeNull();
      expect(store.models.listEnsembles().filter((e) => e.jobId === job.id)).toHaveLength(1);
    } finally {
      store.close();
    }
  });
});
