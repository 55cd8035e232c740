/**
 * Train job body (run inside the job's worker thread): the labeled frames of the data set
 * (newest successful label per frame) → an ensemble of `models` DP-SE models trained by the
 * built-in trainer (src/core/train: DeePMD energy + force loss, exact gradients), stored with their .dp files,
 * learning curves, metrics and the ids of the frames they were trained on. Each model is
 * checkpointed (parameters + Adam state) into the store every `checkpointEverySeconds`; a job
 * interrupted by a crash resumes from its checkpoints. The ensemble and the job's "succeeded" are
 * one transaction.
 */
import { Store } from '../store/store.ts';
import { labeledFrames, type LabeledFrameRecord } from '../export/labeled-frame.ts';
import type { TrainCheckpoint } from '../../core/train/types.ts';
import { TrainJobSettingsSchema } from '../schemas.ts';
import { startEnsembleTraining } from '../train/train-models.ts';
import { commitEnsemble } from '../train/commit-ensemble.ts';
import type { WorkerInput, WorkerMessage } from './messages.ts';
import { join } from 'node:path';
import { jobExecutor, localTaskSettings } from '../executor/config.ts';
import { requireLocalDp } from '../train/deepmd.ts';
import { runTaskTrainJob } from '../executor/train-driver.ts';
import { LocalScriptClient } from '../executor/local-client.ts';

/** Run a train job; resolves to its final state. `onCancel` registers the cancellation hook. */
export async function runTrainJob(input: WorkerInput, post: (m: WorkerMessage) => void, onCancel: (fn: () => void) => void): Promise<'succeeded' | 'failed' | 'cancelled'> {
  const store = Store.open(input.dbPath);
  try {
    const job = store.jobs.get(input.jobId);
    if (!job || job.datasetId === null) throw new Error(`job ${input.jobId} or its data set not found`);
    const stored = store.jobs.ensembleOf(job.id);
    if (stored !== null) {
      // Committed with the job's final state; only a stale runner gets here. Never store it twice.
      store.jobs.finish(job.id, 'succeeded');
      post({ type: 'log', level: 'info', message: `ensemble ${stored} of this job is already stored; nothing to train` });
      return 'succeeded';
    }
    const settings = TrainJobSettingsSchema.parse(job.params.settings ?? {});
    const executor = jobExecutor(job.params);
    if (executor.kind === 'slurm' || settings.trainer === 'deepmd') {
      // One task folder per member: on Slurm, or (DeePMD-kit, local executor) run here with bash.
      const abort = new AbortController();
      onCancel(() => abort.abort());
      if (executor.kind === 'slurm') return await runTaskTrainJob(store, job, settings, executor.slurm, abort.signal, post);
      requireLocalDp();
      return await runTaskTrainJob(store, job, settings, localTaskSettings(join(input.dataDir, 'deepmd')), abort.signal, post, new LocalScriptClient());
    }
    const all = labeledFrames(store, job.datasetId);
    const { frames, resume } = resumeState(store, job.id, all.frames, post);
    const skipped = all.skipped;
    if (frames.length < 2) throw new Error(`data set ${job.datasetId} has ${frames.length} labeled frame(s); at least 2 are needed`);
    post({ type: 'log', level: 'info', message: `training ${settings.models} DP-SE models (${settings.steps} steps each; loss prefactors energy ${settings.startPrefE}→${settings.limitPrefE}, force ${settings.startPrefF}→${settings.limitPrefF}) on ${frames.length} labeled frames${skipped ? ` (${skipped} without a successful label left out)` : ''}; checkpoint every ${settings.checkpointEverySeconds} s` });
    let done = 0;
    const frameIds = frames.map((f) => f.id);
    const run = startEnsembleTraining(frames, settings, (index, row) => {
      post({ type: 'progress', done, total: settings.models, detail: { model: index, step: row.step, lr: row.lr, loss: row.loss, rmseETrain: row.rmseETrain, ...(row.rmseEVal !== null ? { rmseEVal: row.rmseEVal } : {}) } });
    }, undefined, (index) => {
      done++;
      post({ type: 'progress', done, total: settings.models, detail: { model: index } });
    }, {
      resume,
      checkpointSeconds: settings.checkpointEverySeconds,
      onCheckpoint: (member, cp) => {
        store.jobs.saveCheckpoint({ jobId: job.id, member, seed: cp.seed, step: cp.step, frameIds, checkpoint: JSON.stringify(cp) });
        post({ type: 'progress', done, total: settings.models, detail: { model: member, checkpointStep: cp.step } });
      },
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
    const ens = commitEnsemble(store, job, { settings, trainer: 'nanostudio built-in DP-SE (float64)', frameIds, models: models.map((m) => ({ seed: m.seed, format: 'dp', content: m.dp, metrics: m.metrics, curve: m.curve })) });
    if (ens !== null) post({ type: 'log', level: 'info', message: `ensemble ${ens} stored: ${models.map((m) => `seed ${m.seed} RMSE E ${m.metrics.rmseEnergyPerAtomTrain.toExponential(2)} eV/atom, F ${m.metrics.rmseForceTrain.toFixed(3)} eV/Å`).join('; ')}` });
    post({ type: 'progress', done, total: settings.models });
    return 'succeeded';
  } finally {
    store.close();
  }
}

/**
 * The checkpoints of an interrupted run and the frames they were trained on (same frames, same
 * order), or no checkpoints and every labeled frame when there are none or their frames are gone.
 */
function resumeState(store: Store, jobId: number, frames: LabeledFrameRecord[], post: (m: WorkerMessage) => void): { frames: LabeledFrameRecord[]; resume: TrainCheckpoint[] | undefined } {
  const rows = store.jobs.checkpoints(jobId);
  if (rows.length === 0) return { frames, resume: undefined };
  const byId = new Map(frames.map((f) => [f.id, f]));
  const ids = rows[0].frameIds;
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length > 0 || rows.some((r) => r.frameIds.join() !== ids.join())) {
    post({ type: 'log', level: 'warn', message: `checkpoints of this job ignored: ${missing.length} of their frames no longer have a successful label; training restarts from step 0` });
    store.jobs.clearCheckpoints(jobId);
    return { frames, resume: undefined };
  }
  for (const r of rows) post({ type: 'log', level: 'info', message: `resuming model ${r.member} (seed ${r.seed}) from its checkpoint at step ${r.step} (saved ${r.updatedAt})` });
  return { frames: ids.map((id) => byId.get(id)!), resume: rows.map((r) => JSON.parse(r.checkpoint) as TrainCheckpoint) };
}
