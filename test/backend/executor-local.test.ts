// Task folders of the executors on this machine: where they go (the service's data folder, also
// when --db puts the database elsewhere) and what a train job with DeePMD-kit does when `dp` is
// not installed. `dp` is the stand-in script test/backend/fixtures/fake-dp (DeePMD-kit cannot be
// installed here): not the thing under test; our work folders and our error are.
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildServer } from '../../src/backend/server.ts';
import { Store } from '../../src/backend/store/store.ts';
import { runTrainJob } from '../../src/backend/jobs/train-job.ts';
import type { WorkerMessage } from '../../src/backend/jobs/messages.ts';
import { which } from '../../src/node/which.ts';
import { TOKEN, labeledStore, tempDir } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DEEPMD = { models: 1, steps: 2000, seed: 3, rcut: 5, rcutSmth: 0.5, embedding: [4, 8], fitting: [8, 8], trainer: 'deepmd', deepmdBackend: 'pytorch' };
const saved = { ...process.env };
afterEach(() => { process.env = { ...saved }; });

/** Put the stand-in dp first on this process's PATH (the local executor's bash inherits it). */
function fakeDpOnPath(dir: string): void {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  copyFileSync(join(ROOT, 'test/backend/fixtures/fake-dp'), join(bin, 'dp'));
  chmodSync(join(bin, 'dp'), 0o755);
  Object.assign(process.env, { PATH: `${bin}:${saved.PATH}`, FAKE_DP_LOG: join(dir, 'dp-calls.log'), FAKE_DP_MODEL: join(ROOT, 'public/models/cu_eam_demo_0.dp') });
}

describe('executor work folders are in the service data folder, not next to the database', () => {
  it('a Slurm job: DATA_DIR/slurm', async () => {
    const data = tempDir();
    const store = Store.open(join(tempDir(), 'elsewhere.sqlite'));
    const app = await buildServer({ store, runner: null, token: TOKEN, dataDir: data });
    try {
      const ds = store.datasets.create('cu');
      const res = await app.inject({ method: 'POST', url: '/jobs', headers: { authorization: `Bearer ${TOKEN}` },
        payload: { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' }, executor: { kind: 'slurm' } } });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().params.executor.slurm.workDir).toBe(join(data, 'slurm'));
    } finally {
      await app.close();
      store.close();
    }
  });

  it('DeePMD-kit with the local executor: DATA_DIR/deepmd', async () => {
    const data = tempDir();
    const dbDir = tempDir();
    fakeDpOnPath(data);
    const { store, path, datasetId } = await labeledStore(join(dbDir, 'db.sqlite'));
    try {
      const job = store.jobs.create('train', datasetId, { name: 'dp', settings: DEEPMD }, [], 1);
      const logs: string[] = [];
      const post = (m: WorkerMessage): void => { if (m.type === 'log') logs.push(m.message); };
      expect(await runTrainJob({ jobId: job.id, dbPath: path, dataDir: data }, post, () => {}), logs.join('\n')).toBe('succeeded');
      const [task] = store.tasks.forJob(job.id);
      expect(task.dir).toBe(join(data, 'deepmd', `job-${job.id}`, 'member-0'));
      expect(existsSync(join(task.dir, 'model.dp'))).toBe(true);
      expect(existsSync(join(dbDir, 'deepmd'))).toBe(false);
    } finally {
      store.close();
    }
  });
});

describe('DeePMD-kit with the local executor, dp not installed', () => {
  it('fails the job at once with DeepmdNotFoundError: no task is made or run (nothing resubmitted)', async () => {
    const data = tempDir();
    // bash (which runs the task scripts) but no dp
    const bin = join(data, 'bin');
    mkdirSync(bin);
    symlinkSync(which('bash')!, join(bin, 'bash'));
    process.env.PATH = bin;
    const { store, path, datasetId } = await labeledStore();
    try {
      const job = store.jobs.create('train', datasetId, { name: 'dp', settings: DEEPMD }, [], 1);
      await expect(runTrainJob({ jobId: job.id, dbPath: path, dataDir: data }, () => {}, () => {})).rejects.toThrow(/^DeepmdNotFoundError: dp \(DeePMD-kit\) is not on the PATH of the service/);
      expect(store.tasks.forJob(job.id)).toEqual([]);
      expect(existsSync(join(data, 'deepmd'))).toBe(false);
    } finally {
      store.close();
    }
  });
});
