/**
 * A train job through task folders (docs/jobs.md §4): one task per ensemble member, on Slurm
 * (executor slurm) or run here with bash (DeePMD-kit with the local executor). The built-in
 * trainer's task checkpoints into its folder, so a resubmitted member continues where it stopped;
 * DeePMD-kit restarts from its own checkpoint. When every member is done, the ensemble, its
 * models and the job's "succeeded" are one transaction (as for the in-process train job).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import type { Job } from '../store/jobs.ts';
import type { ExecutorTask } from '../store/tasks.ts';
import type { WorkerMessage } from '../jobs/messages.ts';
import type { TrainJobSettings } from '../schemas.ts';
import { labeledFrames, type LabeledFrameRecord } from '../export/labeled-frame.ts';
import { loadDpModel } from '../../core/potentials/dp/load.ts';
import { dataTypeMap } from '../train/train-models.ts';
import { deepmdScriptBody, writeDeepmdInputs } from '../train/deepmd.ts';
import type { SlurmSettings } from './config.ts';
import { driveTasks } from './drive.ts';
import { commitEnsemble } from '../train/commit-ensemble.ts';
import type { TaskClient } from './local-client.ts';
import { frameToJson, scriptHeader, taskPaths, wrapperLine, type TaskResult, type TrainTaskResult, type TrainTaskSpec } from './task-files.ts';
import { writeJsonAtomic } from '../../node/write-atomic.ts';

export async function runTaskTrainJob(store: Store, job: Job, settings: TrainJobSettings, slurm: SlurmSettings & { workDir: string }, signal: AbortSignal,
  post: (m: WorkerMessage) => void, client?: TaskClient): Promise<'succeeded' | 'cancelled'> {
  if (job.datasetId === null) throw new Error(`job ${job.id} has no data set`);
  const all = labeledFrames(store, job.datasetId).frames;
  let tasks = store.tasks.forJob(job.id);
  let frames: LabeledFrameRecord[];
  if (tasks.length === 0) {
    frames = all;
    if (frames.length < 2) throw new Error(`data set ${job.datasetId} has ${frames.length} labeled frame(s); at least 2 are needed`);
    const ids = frames.map((f) => f.id);
    const jobDir = join(slurm.workDir, `job-${job.id}`);
    store.tasks.createMany(job.id, Array.from({ length: settings.models }, (_, k) => {
      const dir = join(jobDir, `member-${k}`);
      return { item: k, frameIds: ids, name: `ns-j${job.id}-m${k}`, dir, outputPath: taskPaths(dir).result };
    }));
    tasks = store.tasks.forJob(job.id);
    post({ type: 'log', level: 'info', message: `training ${settings.models} models with ${settings.trainer === 'deepmd' ? `DeePMD-kit (${settings.deepmdBackend})` : 'the built-in trainer'} on ${frames.length} labeled frames, one task per model in ${jobDir}` });
  } else {
    // Same frames as when the tasks were made (resubmitted members continue from their checkpoints).
    const byId = new Map(all.map((f) => [f.id, f]));
    const missing = tasks[0].frameIds.filter((id) => !byId.has(id));
    if (missing.length) throw new Error(`frames ${missing.slice(0, 10).join(', ')} of this train job no longer have a successful label`);
    frames = tasks[0].frameIds.map((id) => byId.get(id)!);
    post({ type: 'log', level: 'info', message: `resuming: ${tasks.filter((t) => t.state !== 'done').length} of ${tasks.length} model task(s) not done` });
  }
  let done = tasks.filter((t) => t.state === 'done').length;

  const write = (t: ExecutorTask): void => {
    const deepmd = settings.trainer === 'deepmd';
    if (deepmd) writeDeepmdInputs(t.dir, frames, settings, t.item);
    const spec: TrainTaskSpec = {
      kind: 'train', jobId: job.id, item: t.item, member: t.item, settings,
      frames: deepmd ? [] : frames.map((f) => ({ id: f.id, frame: frameToJson(f.frame), energy: f.energy, forces: Array.from(f.forces), virial: f.virial ? Array.from(f.virial) : null })),
    };
    writeJsonAtomic(taskPaths(t.dir).spec, spec);
    const body = deepmd ? deepmdScriptBody(settings, wrapperLine('deepmd', t.dir, slurm)) : [wrapperLine('train', t.dir, slurm)];
    writeFileSync(taskPaths(t.dir).script, [...scriptHeader(t.name, t.dir, slurm), ...body].join('\n') + '\n', { mode: 0o755 });
  };
  const ingest = (t: ExecutorTask, r: TaskResult): void => {
    if (r.kind !== 'train' || r.item !== t.item) throw new Error(`task ${t.item}: result file of another task (${r.kind} ${r.item})`);
    store.tasks.finish(t.id, 'done');
    done++;
    const from = r.resumedFromStep ? ` (resumed from its checkpoint at step ${r.resumedFromStep})` : r.restarted ? ' (dp train --restart from its checkpoint)' : '';
    post({ type: 'log', level: 'info', message: `model ${t.item} (seed ${r.seed}) trained by ${r.trainer}${from}` });
    post({ type: 'progress', done, total: settings.models, detail: { model: t.item } });
  };
  const end = await driveTasks({ store, jobId: job.id, slurm, hooks: { write, ingest, describe: (t) => `model ${t.item}` }, signal, post, client });
  if (end === 'cancelled') return 'cancelled';

  // Every member is done: read the models back (each must load and have the data's type map).
  const typeMap = dataTypeMap(frames);
  const results: Array<{ r: TrainTaskResult; bytes: Uint8Array }> = [];
  for (const t of store.tasks.forJob(job.id)) {
    const r = JSON.parse(readFileSync(t.outputPath, 'utf8')) as TrainTaskResult;
    const bytes = new Uint8Array(readFileSync(r.modelFile));
    const model = await loadDpModel(bytes, r.modelFile);
    if (model.typeMap.join() !== typeMap.join()) throw new Error(`model ${t.item} (${r.modelFile}) has type map [${model.typeMap.join(', ')}], the data [${typeMap.join(', ')}]`);
    results.push({ r, bytes });
  }
  const ens = commitEnsemble(store, job, { settings, trainer: results[0].r.trainer, frameIds: frames.map((f) => f.id),
    models: results.map(({ r, bytes }) => ({ seed: r.seed, format: r.format, content: bytes, metrics: r.metrics, curve: r.curve })) });
  if (ens !== null) post({ type: 'log', level: 'info', message: `ensemble ${ens} stored (${results.length} models, ${results[0].r.trainer})` });
  return 'succeeded';
}
