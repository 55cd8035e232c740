/**
 * A label job on Slurm (docs/jobs.md §4): its pending frames in batches of `batchSize`, one sbatch
 * job per batch (task.json + run.sh: EAM labels in the wrapper, CP2K runs from the script and the
 * wrapper parses the outputs), each batch's labels recorded with the frames' done marks in one
 * transaction when its result file appears.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store.ts';
import type { Job } from '../store/jobs.ts';
import type { ExecutorTask } from '../store/tasks.ts';
import type { WorkerMessage } from '../jobs/messages.ts';
import type { LabelerSpec } from '../labelers/spec.ts';
import { Cp2kLabeler } from '../labelers/cp2k.ts';
import { EamLabeler } from '../labelers/eam.ts';
import type { SlurmSettings } from './config.ts';
import { driveTasks } from './drive.ts';
import { frameToJson, labelScript, taskPaths, type LabelTaskResult, type LabelTaskSpec, type TaskResult } from './task-files.ts';
import { writeJsonAtomic } from '../../node/write-atomic.ts';
import type { TaskClient } from './local-client.ts';

export async function runSlurmLabelJob(store: Store, job: Job, spec: LabelerSpec, slurm: SlurmSettings & { workDir: string }, signal: AbortSignal,
  post: (m: WorkerMessage) => void, client?: TaskClient): Promise<'succeeded' | 'cancelled'> {
  // Here only the inputs are written (CP2K: the data files must be visible here; the executable need not be).
  const cp2k = spec.kind === 'cp2k' ? Cp2kLabeler.forTasks(spec.settings) : null;
  const labelerName = spec.kind === 'eam' ? (await EamLabeler.load(spec.file)).name : cp2k!.name;
  const jobDir = join(slurm.workDir, `job-${job.id}`);
  if (store.tasks.forJob(job.id).length === 0) {
    const pending = store.jobs.pendingFrames(job.id);
    const tasks = [];
    for (let k = 0; k * slurm.batchSize < pending.length; k++) {
      const dir = join(jobDir, `task-${k}`);
      tasks.push({ item: k, frameIds: pending.slice(k * slurm.batchSize, (k + 1) * slurm.batchSize), name: `ns-j${job.id}-t${k}`, dir, outputPath: taskPaths(dir).result });
    }
    store.tasks.createMany(job.id, tasks);
    post({ type: 'log', level: 'info', message: `labeling ${pending.length} frames with ${labelerName} on Slurm: ${tasks.length} task(s) of up to ${slurm.batchSize} frame(s) in ${jobDir}${slurm.partition ? `, partition ${slurm.partition}` : ''}, time ${slurm.time}` });
  } else {
    const open = store.tasks.forJob(job.id).filter((t) => t.state !== 'done');
    post({ type: 'log', level: 'info', message: `resuming on Slurm: ${open.length} task(s) not done (${open.filter((t) => t.state === 'submitted').map((t) => `${t.item}→${t.slurmId}`).join(', ') || 'none submitted'})` });
  }
  const total = job.progress.total;
  const describe = (t: ExecutorTask): string => `frame${t.frameIds.length > 1 ? 's' : ''} ${t.frameIds.join(', ')}`;

  const write = (t: ExecutorTask): void => {
    const frames: LabelTaskSpec['frames'] = t.frameIds.map((id) => {
      const stored = store.frames.get(id);
      if (!stored) return { id, frame: { symbols: [], positions: [], cell: null, pbc: [false, false, false] }, failed: `frame ${id} no longer exists` };
      if (!cp2k) return { id, frame: frameToJson(stored.frame) };
      try {
        const { input, volume } = cp2k.prepare(stored.frame);
        mkdirSync(join(t.dir, `frame-${id}`), { recursive: true });
        writeFileSync(join(t.dir, `frame-${id}`, 'label.inp'), input);
        return { id, frame: frameToJson(stored.frame), volume, timeoutSeconds: cp2k.settings.timeoutSeconds };
      } catch (e) {
        return { id, frame: frameToJson(stored.frame), failed: e instanceof Error ? e.message : String(e) };
      }
    });
    const taskSpec: LabelTaskSpec = { kind: 'label', jobId: job.id, item: t.item, labeler: spec, labelerName, frames };
    writeJsonAtomic(taskPaths(t.dir).spec, taskSpec);
    writeFileSync(taskPaths(t.dir).script, labelScript(taskSpec, t.name, t.dir, slurm), { mode: 0o755 });
  };

  const ingest = (t: ExecutorTask, result: TaskResult): void => {
    if (result.kind !== 'label' || result.item !== t.item) throw new Error(`task ${t.item}: result file of another task (${result.kind} ${result.item})`);
    const r: LabelTaskResult = result;
    store.db.transaction(() => {
      for (const f of r.frames) {
        const outcome = f.status === 'ok'
          ? { status: 'ok' as const, energy: f.energy, forces: Float64Array.from(f.forces), virial: f.virial ? Float64Array.from(f.virial) : null }
          : { status: 'failed' as const, reason: f.reason };
        store.labels.recordForJob(job.id, f.id, r.labeler, outcome, f.seconds);
      }
      store.tasks.finish(t.id, 'done');
    })();
    const done = store.jobs.get(job.id)!.progress.done;
    for (const f of r.frames) {
      if (f.status === 'failed') post({ type: 'log', level: 'warn', message: `frame ${f.id}: label failed: ${f.reason}` });
      post({ type: 'progress', done, total, frameId: f.id, status: f.status, reason: f.status === 'failed' ? f.reason : undefined, seconds: f.seconds });
    }
  };

  const end = await driveTasks({ store, jobId: job.id, slurm, hooks: { write, ingest, describe }, signal, post, client });
  if (end === 'cancelled') return 'cancelled';
  const counts = store.labels.countsForJob(job.id);
  post({ type: 'log', level: 'info', message: `labeled ${counts.ok + counts.failed} frames on Slurm: ${counts.ok} ok, ${counts.failed} failed (see labels for reasons)` });
  return 'succeeded';
}
