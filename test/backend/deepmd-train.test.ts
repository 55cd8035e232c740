// DeePMD-kit training adapter (trainer 'deepmd') with the local executor. DeePMD-kit cannot be
// installed here, so `dp` on the service's PATH is a stand-in script (test/backend/fixtures/fake-dp):
// it is not the thing under test. Under test is OUR side: the command lines we run (train,
// --restart after a failed first run, freeze, convert-backend), the files we give DeePMD-kit
// (deepmd/npy systems + input.json per its documented formats) and the import of the model.dp
// and lcurve.out it leaves. The stand-in copies a real DeePMD-kit v3 .dp model (public/models) as
// its "converted" model; the stored model must be that file, byte for byte.
import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Store } from '../../src/backend/store/store.ts';
import { decodeNpy } from '../../src/backend/export/npy.ts';
import { TOKEN, cuFrames, tempDir } from './helpers.ts';
import { api, waitFinished, type JobJson } from './service-api.ts';
import { killHard, startServiceProcess, stopService, type ServiceProcess } from './service-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const started: ServiceProcess[] = [];
afterAll(async () => { for (const p of started) await killHard(p); });

describe('DeePMD-kit adapter (local executor, stand-in dp on PATH)', () => {
  it('exports deepmd/npy + input.json per model, runs dp train/freeze/convert-backend, restarts from the checkpoint, imports model.dp', async () => {
    const dir = tempDir();
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    copyFileSync(join(ROOT, 'test/backend/fixtures/fake-dp'), join(bin, 'dp'));
    chmodSync(join(bin, 'dp'), 0o755);
    const model = join(ROOT, 'public/models/cu_eam_demo_0.dp');
    const log = join(dir, 'dp-calls.log');
    const svc = await startServiceProcess(join(dir, 'data'), TOKEN, [], { env: { PATH: `${bin}:${process.env.PATH}`, FAKE_DP_LOG: log, FAKE_DP_MODEL: model, FAKE_DP_FAIL_FIRST: '1' } });
    started.push(svc);
    const ds = await api<{ id: number }>(svc.base, 'POST', '/datasets', { name: 'dp-train' });
    await api(svc.base, 'POST', `/datasets/${ds.id}/frames`, { frames: cuFrames(6, 0.2, 5) });
    const lab = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'label', datasetId: ds.id, calculator: { kind: 'eam' } });
    expect((await waitFinished(svc.base, lab.id)).state).toBe('succeeded');
    const settings = { models: 2, steps: 2000, seed: 7, rcut: 6, rcutSmth: 0.5, embedding: [25, 50, 100], fitting: [240, 240, 240], trainer: 'deepmd', deepmdBackend: 'pytorch' };
    const job = await api<JobJson>(svc.base, 'POST', '/jobs', { kind: 'train', datasetId: ds.id, name: 'dp-ens', settings });
    const done = await waitFinished(svc.base, job.id, 60_000);
    const text = done.logs.map((l) => l.message).join('\n');
    expect(done.state, text).toBe('succeeded');

    // Command lines, in each member's folder: the first train fails (after writing a checkpoint),
    // the resubmission restarts from it; then freeze and convert-backend.
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const work = join(dir, 'data', 'deepmd', `job-${job.id}`);
    for (const k of [0, 1]) {
      const cwd = join(work, `member-${k}`);
      expect(calls.filter((c) => c[0] === cwd).map((c) => c[1])).toEqual([
        '--pt train input.json',
        '--pt train input.json --restart model.ckpt.pt',
        '--pt freeze -o frozen_model.pth',
        'convert-backend frozen_model.pth model.dp',
      ]);
      expect(text).toMatch(new RegExp(`model ${k} \\(seed ${7 + k}\\) trained by DeePMD-kit \\(dp --pt\\) \\(dp train --restart from its checkpoint\\)`));

      // input.json: DeePMD-kit v3 se_e2_a/ener input with our settings; systems are deepmd/npy folders.
      const input = JSON.parse(readFileSync(join(cwd, 'input.json'), 'utf8'));
      expect(input.model.type_map).toEqual(['Cu']);
      expect(input.model.descriptor).toMatchObject({ type: 'se_e2_a', rcut: 6, rcut_smth: 0.5, neuron: [25, 50, 100], seed: 7 + k });
      expect(input.model.fitting_net).toMatchObject({ neuron: [240, 240, 240], seed: 7 + k });
      expect(input.training).toMatchObject({ numb_steps: 2000, seed: 7 + k, disp_file: 'lcurve.out' });
      expect(input.learning_rate.type).toBe('exp');
      expect(input.loss.type).toBe('ener');
      expect(input.training.training_data.systems).toEqual(['data/Cu13']);
      const sys = join(cwd, 'data/Cu13');
      expect(readFileSync(join(sys, 'type.raw'), 'utf8').trim().split('\n')).toEqual(Array(13).fill('0'));
      expect(readFileSync(join(sys, 'type_map.raw'), 'utf8').trim()).toBe('Cu');
      expect(existsSync(join(sys, 'nopbc'))).toBe(true);
      expect(readdirSync(join(sys, 'set.000')).sort()).toEqual(['box.npy', 'coord.npy', 'energy.npy', 'force.npy']);
      expect(decodeNpy(new Uint8Array(readFileSync(join(sys, 'set.000/coord.npy')))).shape).toEqual([6, 39]);
      expect(decodeNpy(new Uint8Array(readFileSync(join(sys, 'set.000/energy.npy')))).shape).toEqual([6]);
    }

    // Import: the model.dp files are the stored models (byte for byte), with lcurve.out as the curve.
    const s = Store.open(join(dir, 'data', 'nanostudio.sqlite'));
    try {
      const ens = s.models.listEnsembles().filter((e) => e.name === 'dp-ens');
      expect(ens).toHaveLength(1);
      expect(ens[0].settings.trainer).toBe('DeePMD-kit (dp --pt)');
      expect(ens[0].models.map((m) => [m.seed, m.format])).toEqual([[7, 'dp'], [8, 'dp']]);
      for (const m of ens[0].models) {
        expect(s.models.modelContent(m.id)!.content.equals(readFileSync(model))).toBe(true);
        expect(m.learningCurve.map((r) => r.step)).toEqual([0, 1000, 2000]);
        expect(m.metrics.rmseEnergyPerAtomTrain).toBeCloseTo(0.0021, 10);
      }
    } finally {
      s.close();
    }
    expect(await stopService(svc)).toBe(0);
  });
});
