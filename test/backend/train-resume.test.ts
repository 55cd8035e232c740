// A train job killed (kill -9 of the service) mid-training resumes from its last checkpoint
// (parameters + Adam state stored in the database), not from step 0, and stores one ensemble.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Store } from '../../src/backend/store/store.ts';
import { TOKEN, cuFrames, tempDir } from './helpers.ts';
import { api, waitFinished, waitFor, type JobJson } from './service-api.ts';
import { killHard, startServiceProcess, stopService, type ServiceProcess } from './service-process.ts';

const started: ServiceProcess[] = [];
afterAll(async () => { for (const p of started) await killHard(p); });

describe('train job checkpoints (real service process)', () => {
  it('resumes from a checkpoint at step > 0 after kill -9 and stores exactly one ensemble', async () => {
    const dir = tempDir();
    const start = async (): Promise<ServiceProcess> => { const p = await startServiceProcess(dir, TOKEN); started.push(p); return p; };
    let svc = await start();
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'cu13-ckpt' });
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: cuFrames(8, 0.25, 41) });
    const lab = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' } });
    expect((await waitFinished(svc.base, lab.id)).state).toBe('succeeded');
    const steps = 1500;
    const settings = { models: 1, steps, rcut: 5, rcutSmth: 0.5, embedding: [4, 8], fitting: [8, 8], axisNeuron: 4, startLr: 1e-2, stopLr: 1e-4, decaySteps: 100, startPrefE: 1, limitPrefE: 1, validationFraction: 0, checkpointEverySeconds: 0.3 };
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'train', datasetId: ds.id, name: 'ckpt', settings });
    const db = join(dir, 'nanostudio.sqlite');
    const checkpointStep = (): number => {
      const s = Store.open(db);
      try { return s.jobs.checkpoints(job.id)[0]?.step ?? 0; } finally { s.close(); }
    };
    const before = await waitFor(checkpointStep, (st) => st > 0, 120_000, 100);
    await killHard(svc);
    expect(before).toBeLessThan(steps);

    svc = await start();
    const done = await waitFinished(svc.base, job.id, 300_000);
    expect(done.state, JSON.stringify(done.logs.slice(-5))).toBe('succeeded');
    const resumed = done.logs.map((l) => /resuming model 0 \(seed 1\) from its checkpoint at step (\d+)/.exec(l.message)).find((m) => m !== null);
    expect(resumed, done.logs.map((l) => l.message).join('\n')).toBeTruthy();
    expect(Number(resumed![1])).toBeGreaterThanOrEqual(before);
    const { ensembles } = await api<{ ensembles: Array<{ name: string; models: Array<{ learningCurve: Array<{ step: number }> }> }> }>(svc.base, 'GET', '/ensembles');
    expect(ensembles.map((e) => e.name)).toEqual(['ckpt']);
    expect(ensembles[0].models[0].learningCurve.at(-1)!.step).toBe(steps);
    expect(await stopService(svc), svc.output()).toBe(0);
    const s = Store.open(db);
    expect(s.jobs.checkpoints(job.id)).toEqual([]); // cleared with the commit
    s.close();
  });
});
