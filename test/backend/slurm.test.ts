// The Slurm executor against a real one-node Slurm cluster (slurm-wlm + munge, started here as
// root, see slurm-cluster.ts) and the real `nanostudio serve --executor slurm`: EAM label tasks
// (the labels equal the in-process EAM labeler's), a restart of the service (kill -9) while tasks
// run resumes with every frame labeled once and no task submitted twice, a failing task is
// resubmitted up to its limit and the job then fails with SlurmTaskFailedError, and a CP2K dimer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Store } from '../../src/backend/store/store.ts';
import { EamLabeler } from '../../src/backend/labelers/eam.ts';
import { Cp2kLabeler } from '../../src/backend/labelers/cp2k.ts';
import { labelFrame } from '../../src/backend/labelers/labeler.ts';
import { findCp2k } from '../../src/backend/labelers/cp2k-data.ts';
import { makeFrame } from '../../src/core/atoms.ts';
import { TOKEN, cuFrames, tempDir } from './helpers.ts';
import { api, waitFinished, waitFor, type JobJson } from './service-api.ts';
import { killHard, startServiceProcess, stopService, type ServiceProcess } from './service-process.ts';
import { slurmUnavailable, startSlurmCluster, type SlurmCluster } from './slurm-cluster.ts';

const unavailable = slurmUnavailable();
let cluster: SlurmCluster;
const started: ServiceProcess[] = [];

beforeAll(async () => {
  if (unavailable) throw new Error(`cannot start a Slurm cluster for the test: ${unavailable}`);
  cluster = await startSlurmCluster();
});
afterAll(async () => {
  for (const p of started) await killHard(p);
  cluster?.stop();
});

async function serve(dir: string, extra: string[] = []): Promise<ServiceProcess> {
  const p = await startServiceProcess(dir, TOKEN, ['--executor', 'slurm', '--slurm-poll', '0.3', ...extra], { env: cluster.env });
  started.push(p);
  return p;
}

function tasksOf(dir: string, jobId: number) {
  const s = Store.open(join(dir, 'nanostudio.sqlite'));
  try {
    return s.tasks.forJob(jobId);
  } finally {
    s.close();
  }
}

function labelsOf(dir: string, jobId: number) {
  const s = Store.open(join(dir, 'nanostudio.sqlite'));
  try {
    return s.labels.forJob(jobId);
  } finally {
    s.close();
  }
}

/** Slurm output files of a task folder: one per submission that started. */
const slurmOutputs = (taskDir: string): string[] => readdirSync(taskDir).filter((f) => /^slurm-\d+\.out$/.test(f));

describe('Slurm executor (real slurmctld + slurmd)', () => {
  it('labels frames with EAM in sbatch jobs (batches of 2); labels equal the in-process labeler', async () => {
    const dir = tempDir();
    const svc = await serve(dir, ['--slurm-batch', '2']);
    expect(svc.output()).toMatch(/executor: slurm/);
    const frames = cuFrames(5, 0.1, 3);
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'slurm-eam' });
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames });
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' } });
    const done = await waitFinished(svc.base, job.id, 90_000);
    expect(done.state, done.logs.map((l) => l.message).join('\n')).toBe('succeeded');
    expect(done.logs.some((l) => /submitted as Slurm job \d+/.test(l.message))).toBe(true);
    const tasks = tasksOf(dir, job.id);
    expect(tasks.map((t) => t.frameIds.length)).toEqual([2, 2, 1]);
    for (const t of tasks) {
      expect(t.state).toBe('done');
      expect(t.attempts).toBe(1);
      expect(t.slurmId).toMatch(/^\d+$/);
      expect(slurmOutputs(t.dir)).toHaveLength(1);
    }
    const labels = labelsOf(dir, job.id);
    expect(labels).toHaveLength(5);
    const eam = await EamLabeler.load();
    const first = Math.min(...labels.map((l) => l.frameId));
    for (const l of labels) {
      expect(l.status).toBe('ok');
      const k = l.frameId - first; // frames were added in order
      const local = await labelFrame(eam, makeFrame(frames[k].symbols, frames[k].positions.flat()));
      expect(local.status).toBe('ok');
      if (local.status !== 'ok') continue;
      expect(l.energy).toBe(local.energy);
      expect(Array.from(l.forces!)).toEqual(Array.from(local.forces));
    }
    expect(await stopService(svc)).toBe(0);
  });

  it('resumes after kill -9 of the service while tasks run: every frame labeled once, no task submitted twice; a lost sbatch id is found by name', async () => {
    const dir = tempDir();
    let svc = await serve(dir);
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'slurm-restart' });
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: cuFrames(4, 0.1, 5) });
    // Each task waits for the file ../release, so the service is killed while every task is queued or running.
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' }, executor: { kind: 'slurm', slurm: { setup: ['while [ ! -e ../release ]; do sleep 0.2; done'] } } });
    await waitFor(() => tasksOf(dir, job.id), (ts) => ts.length === 4 && ts.every((t) => t.state === 'submitted'), 30_000, 50);
    await killHard(svc);
    const before = tasksOf(dir, job.id);
    expect(labelsOf(dir, job.id)).toHaveLength(0);
    // As if the service had died between sbatch and recording the id of task 0.
    const db = Store.open(join(dir, 'nanostudio.sqlite'));
    db.db.prepare(`UPDATE executor_tasks SET state = 'submitting', slurm_id = NULL WHERE job_id = ? AND item = 0`).run(job.id);
    db.close();

    svc = await serve(dir);
    await waitFor(() => api<JobJson>(svc.base, 'GET', `/jobs/${job.id}`), (j) => j.logs.some((l) => /task 0 \(frame \d+\): found its Slurm job \d+ by name/.test(l.message)), 60_000, 100);
    writeFileSync(join(before[0].dir, '..', 'release'), '');
    const done = await waitFinished(svc.base, job.id, 90_000);
    expect(done.state, done.logs.map((l) => l.message).join('\n')).toBe('succeeded');
    expect(done.logs.some((l) => /resuming on Slurm/.test(l.message))).toBe(true);
    const after = tasksOf(dir, job.id);
    for (const t of after) {
      expect(t.state).toBe('done');
      expect(t.attempts).toBe(1);
      expect(t.slurmId).toBe(before.find((b) => b.item === t.item)!.slurmId); // the same Slurm job, polled, not resubmitted
      expect(slurmOutputs(t.dir)).toHaveLength(1);
    }
    const labels = labelsOf(dir, job.id);
    expect(labels.map((l) => l.frameId).sort()).toEqual(after.flatMap((t) => t.frameIds).sort());
    expect(labels.every((l) => l.status === 'ok')).toBe(true);
    expect(await stopService(svc)).toBe(0);
  });

  it('resubmits a task that ends without a result up to maxAttempts, then fails the job with SlurmTaskFailedError', async () => {
    const dir = tempDir();
    const svc = await serve(dir);
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'slurm-fail' });
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: cuFrames(1, 0.1, 9) });
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' }, executor: { kind: 'slurm', slurm: { setup: ['echo node failure >&2; exit 3'], maxAttempts: 2 } } });
    const done = await waitFinished(svc.base, job.id, 90_000);
    expect(done.state).toBe('failed');
    const full = await api<{ error: string }>(svc.base, 'GET', `/jobs/${job.id}`);
    expect(full.error).toMatch(/^SlurmTaskFailedError: task 0 \(frame \d+\) failed 2 time\(s\), the limit \(maxAttempts 2\); last: Slurm job \d+ ended FAILED \(exit 3:0\) without a result; its output: node failure/);
    expect(done.logs.filter((l) => /resubmitting \(attempt 2 of 2\)/.test(l.message))).toHaveLength(1);
    const [t] = tasksOf(dir, job.id);
    expect(t.state).toBe('failed');
    expect(t.attempts).toBe(2);
    expect(slurmOutputs(t.dir)).toHaveLength(2);
    expect(labelsOf(dir, job.id)).toHaveLength(0);
    expect(await stopService(svc)).toBe(0);
  });

  it('cancelling a job scancels its Slurm jobs', async () => {
    const dir = tempDir();
    const svc = await serve(dir);
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'slurm-cancel' });
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: cuFrames(2, 0.1, 11) });
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' }, executor: { kind: 'slurm', slurm: { setup: ['sleep 300'] } } });
    await waitFor(() => tasksOf(dir, job.id), (ts) => ts.length === 2 && ts.every((t) => t.state === 'submitted'), 30_000, 50);
    const ids = tasksOf(dir, job.id).map((t) => t.slurmId!);
    const listed = (): string[] => spawnSync('squeue', ['-h', '-o', '%i'], { env: { ...process.env, ...cluster.env }, encoding: 'utf8' }).stdout.split('\n').map((x) => x.trim()).filter((x) => ids.includes(x));
    expect(listed().sort()).toEqual([...ids].sort());
    await api(svc.base, 'POST', `/jobs/${job.id}/cancel`);
    expect((await waitFinished(svc.base, job.id, 30_000)).state).toBe('cancelled');
    expect(tasksOf(dir, job.id).map((t) => t.state)).toEqual(['cancelled', 'cancelled']);
    await waitFor(listed, (l) => l.length === 0, 30_000, 200);
    expect(labelsOf(dir, job.id)).toHaveLength(0);
    expect(await stopService(svc)).toBe(0);
  });

  it('labels a CP2K Cu dimer in an sbatch job (cp2k run by the script, output parsed by the wrapper) = in-process CP2K', async () => {
    expect(findCp2k(), 'cp2k not on PATH: apt-get install cp2k').not.toBeNull();
    const tiny = { basis: 'DZVP-MOLOPT-SR-GTH', cutoff: 200, relCutoff: 40, vacuum: 5, maxScf: 100 };
    const dir = tempDir();
    const svc = await serve(dir);
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'slurm-cp2k' });
    const positions = [[0, 0, 0], [0, 0, 2.25]];
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: [{ symbols: ['Cu', 'Cu'], positions }] });
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'cp2k', settings: tiny } });
    const [local, done] = await Promise.all([
      labelFrame(Cp2kLabeler.create(tiny), makeFrame(['Cu', 'Cu'], positions.flat())),
      waitFinished(svc.base, job.id, 110_000),
    ]);
    expect(done.state, done.logs.map((l) => l.message).join('\n')).toBe('succeeded');
    const [l] = labelsOf(dir, job.id);
    expect(l.status, l.reason ?? '').toBe('ok');
    expect(l.calculator).toMatch(/^cp2k:PBE-D3\/DZVP-MOLOPT-SR-GTH/);
    expect(local.status).toBe('ok');
    if (local.status !== 'ok') return;
    expect(Math.abs(l.energy! - local.energy)).toBeLessThan(1e-6);
    for (let i = 0; i < 6; i++) expect(Math.abs(l.forces![i] - local.forces[i])).toBeLessThan(1e-5);
    const [t] = tasksOf(dir, job.id);
    expect(readdirSync(join(t.dir, `frame-${l.frameId}`))).toEqual(expect.arrayContaining(['label.inp', 'label.out', 'exit-code']));
    expect(await stopService(svc)).toBe(0);
  });
});

describe('Slurm executor: train jobs (built-in trainer, one sbatch job per model)', () => {
  it('trains 2 models in sbatch jobs; a member killed mid-run is resubmitted and resumes from its checkpoint', async () => {
    const dir = tempDir();
    const svc = await serve(dir);
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'slurm-train' });
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: cuFrames(8, 0.25, 41) });
    const lab = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' }, executor: { kind: 'local' } });
    expect((await waitFinished(svc.base, lab.id)).state).toBe('succeeded');
    const steps = 3000;
    const settings = { models: 2, steps, rcut: 5, rcutSmth: 0.5, embedding: [4, 8], fitting: [8, 8], axisNeuron: 4, startLr: 1e-2, stopLr: 1e-4, decaySteps: 100, startPrefE: 1, limitPrefE: 1, validationFraction: 0, checkpointEverySeconds: 0.2 };
    // The first submission of model 1 is killed (kill -9, as a preemption would) once it wrote a checkpoint.
    const killFirst = 'if [ "$SLURM_JOB_NAME" != "${SLURM_JOB_NAME%-m1}" ] && [ ! -e killed-once ]; then touch killed-once; (while [ ! -e checkpoint.json ]; do sleep 0.1; done; kill -9 $$) & fi';
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'train', datasetId: ds.id, name: 'slurm-ens', settings, executor: { kind: 'slurm', slurm: { setup: [killFirst] } } });
    const done = await waitFinished(svc.base, job.id, 110_000);
    const text = done.logs.map((l) => l.message).join('\n');
    expect(done.state, text).toBe('succeeded');
    // One log entry says both; its reason quotes the task's output tail, which may span lines.
    const resubmitted = done.logs.filter((l) => /^task 1 \(model 1\): Slurm job \d+ ended FAILED [\s\S]*; resubmitting \(attempt 2 of 3\)$/.test(l.message));
    expect(resubmitted, text).toHaveLength(1);
    const resumed = /model 1 \(seed 2\) trained by nanostudio built-in DP-SE \(float64\) \(resumed from its checkpoint at step (\d+)\)/.exec(text);
    expect(resumed, text).toBeTruthy();
    expect(Number(resumed![1])).toBeGreaterThan(0);
    expect(Number(resumed![1])).toBeLessThan(steps);
    const tasks = tasksOf(dir, job.id);
    expect(tasks.map((t) => [t.item, t.attempts, t.state])).toEqual([[0, 1, 'done'], [1, 2, 'done']]);
    const { ensembles } = await api<{ ensembles: Array<{ name: string; models: Array<{ seed: number; format: string; learningCurve: Array<{ step: number }> }> }> }>(svc.base, 'GET', '/ensembles');
    const ens = ensembles.filter((e) => e.name === 'slurm-ens');
    expect(ens).toHaveLength(1);
    expect(ens[0].models.map((m) => [m.seed, m.format])).toEqual([[1, 'dp'], [2, 'dp']]);
    for (const m of ens[0].models) expect(m.learningCurve.at(-1)!.step).toBe(steps);
    expect(await stopService(svc)).toBe(0);
  });
});
