/**
 * The end of a train job (in-process or through task folders): its ensemble, the models, the end
 * of its checkpoints and the job's "succeeded" are one transaction. A crash before it resumes the
 * job (from its checkpoints or tasks); after it the job is finished and never re-run, so no
 * ensemble is stored twice.
 */
import type { Store } from '../store/store.ts';
import type { Job } from '../store/jobs.ts';
import type { TrainJobSettings } from '../schemas.ts';
import type { CurveRow } from './train-models.ts';

/** One member as stored: its file (format 'dp': DeePMD-kit v3 .dp), metrics and learning curve (a missing validation RMSE is stored as NaN). */
export interface MemberToStore { seed: number; format: string; content: Uint8Array; metrics: Record<string, number>; curve: CurveRow[] }

/**
 * Store the job's ensemble (named by the job's `name`, else "ensemble of job N") and finish the
 * job as succeeded, in one transaction. Returns the new ensemble's id, or null when the job
 * already has one (stored by an earlier run of its worker: nothing is stored twice, the job is finished).
 */
export function commitEnsemble(store: Store, job: Job, e: { settings: TrainJobSettings; trainer: string; frameIds: number[]; models: MemberToStore[] }): number | null {
  const name = typeof job.params.name === 'string' && job.params.name ? job.params.name : `ensemble of job ${job.id}`;
  return store.db.transaction((): number | null => {
    if (store.jobs.ensembleOf(job.id) !== null) {
      store.jobs.finish(job.id, 'succeeded');
      return null;
    }
    const ens = store.models.createEnsemble({ name, datasetId: job.datasetId, iterationId: typeof job.params.iterationId === 'number' ? job.params.iterationId : null, jobId: job.id,
      settings: { ...e.settings, trainer: e.trainer }, trainingFrames: e.frameIds });
    for (const m of e.models) store.models.addModel(ens, { seed: m.seed, format: m.format, content: m.content, metrics: m.metrics, learningCurve: m.curve.map((r) => ({ ...r, rmseEVal: r.rmseEVal ?? NaN })) });
    store.jobs.clearCheckpoints(job.id);
    store.jobs.setProgress(job.id, e.settings.models, e.settings.models);
    store.jobs.finish(job.id, 'succeeded');
    return ens;
  })();
}
