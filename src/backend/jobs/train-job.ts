/**
 * Train job body (run inside the job's worker thread): the labeled frames of the data set
 * (newest successful label per frame) → an ensemble of `models` DP-SE models trained by the
 * built-in trainer (src/core/train: DeePMD energy + force loss, exact gradients), stored with their .dp files,
 * learning curves, metrics and the ids of the frames they were trained on.
 */
import { Store } from '../store/store.ts';
import { labeledFrames } from '../export/labeled-frame.ts';
import { TrainSettingsSchema } from '../schemas.ts';
import { trainEnsemble } from '../train/train-models.ts';
import type { WorkerInput, WorkerMessage } from './messages.ts';

/** Run a train job; resolves to its final state. `onCancel` registers the cancellation hook. */
export async function runTrainJob(input: WorkerInput, post: (m: WorkerMessage) => void, onCancel: (fn: () => void) => void): Promise<'succeeded' | 'failed' | 'cancelled'> {
  const store = Store.open(input.dbPath);
  try {
    const job = store.jobs.get(input.jobId);
    if (!job || job.datasetId === null) throw new Error(`job ${input.jobId} or its data set not found`);
    const settings = TrainSettingsSchema.parse(job.params.settings ?? {});
    const { frames, skipped } = labeledFrames(store, job.datasetId);
    if (frames.length < 2) throw new Error(`data set ${job.datasetId} has ${frames.length} labeled frame(s); at least 2 are needed`);
    post({ type: 'log', level: 'info', message: `training ${settings.models} DP-SE models (${settings.steps} steps each; loss prefactors energy ${settings.startPrefE}→${settings.limitPrefE}, force ${settings.startPrefF}→${settings.limitPrefF}) on ${frames.length} labeled frames${skipped ? ` (${skipped} without a successful label left out)` : ''}` });
    let done = 0;
    const run = trainEnsemble(frames, settings, (index, row) => {
      post({ type: 'progress', done, total: settings.models, detail: { model: index, step: row.step, lr: row.lr, loss: row.loss, rmseETrain: row.rmseETrain, ...(row.rmseEVal !== null ? { rmseEVal: row.rmseEVal } : {}) } });
    }, undefined, (index) => {
      done++;
      post({ type: 'progress', done, total: settings.models, detail: { model: index } });
    });
    let cancelled = false;
    onCancel(() => { cancelled = true; run.cancel(); });
    let models;
    try {
      models = await run.promise;
    } catch (e) {
      if (cancelled) return 'cancelled';
      throw e;
    }
    const name = typeof job.params.name === 'string' && job.params.name ? job.params.name : `ensemble of job ${job.id}`;
    store.db.transaction(() => {
      const ens = store.models.createEnsemble({ name, datasetId: job.datasetId, iterationId: typeof job.params.iterationId === 'number' ? job.params.iterationId : null, jobId: job.id, settings: { ...settings, trainer: 'nanostudio built-in DP-SE (float64)' }, trainingFrames: frames.map((f) => f.id) });
      for (const m of models) store.models.addModel(ens, { seed: m.seed, format: 'dp', content: m.dp, metrics: m.metrics, learningCurve: m.curve.map((r) => ({ ...r, rmseEVal: r.rmseEVal ?? NaN })) });
      post({ type: 'log', level: 'info', message: `ensemble ${ens} stored: ${models.map((m) => `seed ${m.seed} RMSE E ${m.metrics.rmseEnergyPerAtomTrain.toExponential(2)} eV/atom, F ${m.metrics.rmseForceTrain.toFixed(3)} eV/Å`).join('; ')}` });
    })();
    post({ type: 'progress', done, total: settings.models });
    return 'succeeded';
  } finally {
    store.close();
  }
}
