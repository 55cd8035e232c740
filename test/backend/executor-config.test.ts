// Executor settings (serve flags, --slurm-config YAML, POST /jobs overrides), the sbatch script
// of a task, and DeePMD-kit's lcurve.out reader: every bad value is a named error.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ExecutorConfigError, SlurmSettingsSchema, loadSlurmConfigFile, resolveExecutor, serviceSlurmSettings } from '../../src/backend/executor/config.ts';
import { labelScript, type LabelTaskSpec } from '../../src/backend/executor/task-files.ts';
import { deepmdCommands, parseLcurve } from '../../src/backend/train/deepmd.ts';
import { TOKEN, tempDir } from './helpers.ts';
import { startServiceProcess, stopService } from './service-process.ts';

describe('Slurm settings', () => {
  it('reads a YAML file; errors name the file and the field', () => {
    const dir = tempDir();
    const good = join(dir, 'slurm.yaml');
    writeFileSync(good, 'partition: cpu\naccount: proj42\ntime: "2:00:00"\nmodules: [cp2k/2023.1]\nextraSbatch: ["--constraint=skylake"]\n');
    expect(loadSlurmConfigFile(good)).toEqual({ partition: 'cpu', account: 'proj42', time: '2:00:00', modules: ['cp2k/2023.1'], extraSbatch: ['--constraint=skylake'] });
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'partition: cpu\ntime: soon\nmaxAttempts: 0\n');
    expect(() => loadSlurmConfigFile(bad)).toThrow(ExecutorConfigError);
    expect(() => loadSlurmConfigFile(bad)).toThrow(/bad\.yaml.*slurm\.time: must be a Slurm time.*slurm\.maxAttempts/);
    writeFileSync(bad, 'partiton: cpu\n');
    expect(() => loadSlurmConfigFile(bad)).toThrow(/partiton/);
    expect(() => loadSlurmConfigFile(join(dir, 'missing.yaml'))).toThrow(/cannot read Slurm config .*missing\.yaml.*ENOENT/);
  });

  it('a job overrides the service settings; the work folder is made absolute; one-line values only', () => {
    const ex = resolveExecutor({ kind: 'slurm', slurm: { time: '10', maxAttempts: 5 } }, { kind: 'local', slurm: { partition: 'cpu', time: '1:00:00' } }, '/data');
    expect(ex).toEqual({ kind: 'slurm', slurm: expect.objectContaining({ partition: 'cpu', time: '10', maxAttempts: 5, batchSize: 1, workDir: '/data/slurm' }) });
    // An override of one field keeps the service's other fields (no defaults slipped in by the partial schema).
    const one = resolveExecutor({ kind: 'slurm', slurm: { maxAttempts: 5 } }, { kind: 'slurm', slurm: { time: '2:00:00', batchSize: 4 } }, '/data');
    expect(one.kind === 'slurm' && [one.slurm.time, one.slurm.batchSize, one.slurm.maxAttempts]).toEqual(['2:00:00', 4, 5]);
    expect(resolveExecutor(undefined, { kind: 'local', slurm: {} }, '/data')).toEqual({ kind: 'local' });
    expect(resolveExecutor(undefined, { kind: 'slurm', slurm: {} }, '/data').kind).toBe('slurm');
    expect(() => resolveExecutor({ kind: 'slurm', slurm: { setup: ['ok', 'two\nlines'] } }, { kind: 'local', slurm: {} }, '/d')).toThrow(/executor\.slurm\.setup\.1: must be one line/);
    expect(SlurmSettingsSchema.safeParse({ partition: 'cpu; rm -rf /' }).success).toBe(false);
    expect(SlurmSettingsSchema.safeParse({ extraSbatch: ['qos=debug'] }).success).toBe(false);
  });
});

describe('the service\'s Slurm settings (serve --slurm-config and --slurm-* flags)', () => {
  it('flags over the file (an absent flag hides nothing), validated, with the defaults filled in', () => {
    const s = serviceSlurmSettings({ partition: 'cpu', time: '2:00:00', batchSize: 4 }, { batchSize: 8, partition: undefined, modules: ['cp2k'] });
    expect(s).toEqual({ ...SlurmSettingsSchema.parse({}), partition: 'cpu', time: '2:00:00', batchSize: 8, modules: ['cp2k'] });
    expect(() => serviceSlurmSettings({ time: 'soon' }, {})).toThrow(/^Slurm settings: time: must be a Slurm time/);
  });
});

describe('task scripts', () => {
  const slurm = { ...SlurmSettingsSchema.parse({ partition: 'cpu', account: 'p1', modules: ['cp2k/2023.1'], setup: ['source /opt/env.sh'], cp2kCommand: 'srun cp2k.psmp', cpusPerTask: 4 }), workDir: '/w' };
  const spec: LabelTaskSpec = { kind: 'label', jobId: 3, item: 0, labeler: { kind: 'cp2k', settings: {} }, labelerName: 'cp2k:x',
    frames: [{ id: 11, frame: { symbols: ['Cu'], positions: [0, 0, 0], cell: null, pbc: [false, false, false] }, volume: null, timeoutSeconds: 600 }] };

  it('a CP2K label task: sbatch options, modules, setup, cp2k per frame (skipped when done), then the wrapper', () => {
    const s = labelScript(spec, 'ns-j3-t0', "/w/job 3/task-0", slurm).split('\n');
    expect(s[0]).toBe('#!/bin/bash');
    expect(s).toEqual(expect.arrayContaining(['#SBATCH --job-name=ns-j3-t0', '#SBATCH --partition=cpu', '#SBATCH --account=p1', '#SBATCH --cpus-per-task=4', '#SBATCH --time=1:00:00',
      "cd '/w/job 3/task-0' || exit 1", 'module load cp2k/2023.1', 'source /opt/env.sh', 'export OMP_NUM_THREADS=4']));
    expect(s.indexOf('if [ -e result.json ]; then echo "nanostudio: result.json exists, nothing to do"; exit 0; fi')).toBeLessThan(s.indexOf('module load cp2k/2023.1'));
    expect(s.find((l) => l.includes('frame-11'))).toBe('if [ ! -e frame-11/exit-code ]; then (cd frame-11 && rm -f label.out && timeout 600 srun cp2k.psmp -i label.inp -o label.out 2> stderr.txt; echo $? > exit-code.tmp && mv exit-code.tmp exit-code); fi');
    expect(s.at(-2)).toMatch(/^exec '.+' '.+task-boot\.mjs' cp2k '\/w\/job 3\/task-0'$/);
  });
});

describe('DeePMD-kit adapter', () => {
  it('command lines of each backend (DeePMD-kit CLI: train, --restart, freeze -o, convert-backend)', () => {
    expect(deepmdCommands('pytorch').slice(1)).toEqual([
      'if [ -e model.ckpt.pt ]; then touch restarted; dp --pt train input.json --restart model.ckpt.pt; else dp --pt train input.json; fi || exit $?',
      'dp --pt freeze -o frozen_model.pth || exit $?',
      'dp convert-backend frozen_model.pth model.dp || exit $?',
    ]);
    expect(deepmdCommands('tensorflow').slice(1)).toEqual([
      'if [ -e model.ckpt.index ]; then touch restarted; dp train input.json --restart model.ckpt; else dp train input.json; fi || exit $?',
      'dp freeze -o frozen_model.pb || exit $?',
      'dp convert-backend frozen_model.pb model.dp || exit $?',
    ]);
  });

  it('reads lcurve.out by its column names (with and without validation columns)', () => {
    const tf = '#  step      rmse_val    rmse_trn    rmse_e_val  rmse_e_trn    rmse_f_val  rmse_f_trn         lr\n      0      2.1e+01      2.0e+01      1.1e+00      1.0e+00      6.0e-01      5.0e-01    1.0e-03\n    100      3.0e+00      2.5e+00      2.0e-02      1.5e-02      1.2e-01      1.1e-01    9.0e-04\n';
    expect(parseLcurve(tf)).toEqual([
      { step: 0, lr: 1e-3, loss: 20, rmseETrain: 1, rmseFTrain: 0.5, rmseEVal: 1.1 },
      { step: 100, lr: 9e-4, loss: 2.5, rmseETrain: 1.5e-2, rmseFTrain: 0.11, rmseEVal: 2e-2 },
    ]);
    const pt = '# step  rmse_e_trn  rmse_f_trn  lr\n# If there is no available reference data, rmse_*_{val,trn} will print nan\n 1 3.0e-01 5.0e-01 1.0e-03\n';
    expect(parseLcurve(pt)).toEqual([{ step: 1, lr: 1e-3, loss: NaN, rmseETrain: 0.3, rmseFTrain: 0.5, rmseEVal: null }]);
    expect(() => parseLcurve('1 2 3\n')).toThrow(/no header/);
    expect(() => parseLcurve('# step foo\n1 2\n')).toThrow(/lacks step\/lr\/rmse_e_trn/);
  });
});

describe('nanostudio serve: executor options', () => {
  const serve = (args: string[]): { code: number | null; out: string } => {
    const r = spawnSync(process.execPath, [resolve(import.meta.dirname, '../../bin/nanostudio.mjs'), 'serve', '--port', '0', '--data-dir', tempDir(), ...args], { encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, out: r.stdout + r.stderr };
  };

  it('refuses a bad executor, a bad Slurm time and a bad --slurm-config, naming them, before starting', () => {
    const a = serve(['--executor', 'pbs']);
    expect(a.code).toBe(2);
    expect(a.out).toMatch(/--executor must be local or slurm, got 'pbs'/);
    const b = serve(['--executor', 'slurm', '--slurm-time', 'soon']);
    expect(b.code).toBe(2);
    expect(b.out).toMatch(/Slurm settings: time: must be a Slurm time/);
    const dir = tempDir();
    writeFileSync(join(dir, 's.yaml'), 'batchSize: -1\n');
    const c = serve(['--executor', 'slurm', '--slurm-config', join(dir, 's.yaml')]);
    expect(c.code).toBe(2);
    expect(c.out).toMatch(/s\.yaml': slurm\.batchSize/);
    for (const r of [a, b, c]) expect(r.out).not.toMatch(/listening on/);
  });

  it('the service runs with the parsed settings: file values, flags over them, the defaults filled in', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 's.yaml'), 'time: "2:00:00"\nbatchSize: 4\n');
    const svc = await startServiceProcess(join(dir, 'data'), TOKEN, ['--executor', 'slurm', '--slurm-config', join(dir, 's.yaml'), '--slurm-batch', '8', '--slurm-poll', '0.5']);
    try {
      expect(svc.output()).toMatch(/executor: slurm \(default partition, time 2:00:00, batch 8, max attempts 3, poll 0\.5 s\)/);
    } finally {
      expect(await stopService(svc)).toBe(0);
    }
    const bad = serve(['--executor', 'slurm', '--slurm-cpus', '0']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/--slurm-cpus must be a positive integer, got '0'/);
  });
});
