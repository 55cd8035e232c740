// `nanostudio label` as a real command: EAM labels, and a broken frame kept with its reason.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { makeFrame } from '../../src/core/atoms.ts';
import { readExtxyz, writeExtxyz } from '../../src/core/io/extxyz.ts';
import { EamLabeler } from '../../src/backend/labelers/eam.ts';
import { labelFrame } from '../../src/backend/labelers/labeler.ts';
import { readDpModelFile } from '../../src/node/dp-file.ts';
import { DpCalculator } from '../../src/core/potentials/dp/evaluator.ts';
import { cuFrames, tempDir } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('nanostudio label', () => {
  it('labels with EAM, writes energies/forces, and keeps a failed frame with its reason', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.extxyz');
    const good = cuFrames(2).map((f) => makeFrame(f.symbols, f.positions.flat()));
    const overlapping = makeFrame(['Cu', 'Cu'], [0, 0, 0, 0, 0, 0.1]);
    writeFileSync(input, writeExtxyz([good[0], overlapping, good[1]]));
    const out = join(dir, 'out.extxyz');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/nanostudio.mjs'), 'label', '--calculator', 'eam:Cu_u3.eam', '--structure', input, '--out', out],
      { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(3);
    const labeled = readExtxyz(readFileSync(out, 'utf8'));
    expect(labeled).toHaveLength(2);
    const ref = await labelFrame(await EamLabeler.load(), good[1]);
    expect(ref.status).toBe('ok');
    if (ref.status !== 'ok') return;
    expect(labeled[1].info!.energy).toBeCloseTo(ref.energy, 8);
    expect(labeled[1].info!.source_frame).toBe(2);
    expect(labeled[1].arrays.forces[4]).toBeCloseTo(ref.forces[4], 8);
    const failedPath = join(dir, 'out.failed.extxyz');
    expect(existsSync(failedPath)).toBe(true);
    const failed = readExtxyz(readFileSync(failedPath, 'utf8'));
    expect(failed).toHaveLength(1);
    expect(String(failed[0].info!.label_reason)).toMatch(/overlap/);
    expect(r.stderr).toMatch(/2 labeled .* 1 failed/);
  });

  it('explains usage errors', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/nanostudio.mjs'), 'label', '--calculator', 'vasp', '--structure', 'x', '--out', 'y'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/calculator must be eam\[:FILE\] or cp2k/);
  });

  it('label then train: nanostudio train writes .dp models the evaluator loads and ensemble.json', async () => {
    const dir = tempDir();
    const input = join(dir, 'in.extxyz');
    writeFileSync(input, writeExtxyz(cuFrames(10, 0.25, 8).map((f) => makeFrame(f.symbols, f.positions.flat()))));
    const labeled = join(dir, 'labeled.extxyz');
    const cli = (args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/nanostudio.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
    expect(cli(['label', '--calculator', 'eam', '--structure', input, '--out', labeled]).status).toBe(0);
    const out = join(dir, 'models');
    const r = cli(['train', '--data', labeled, '--models', '2', '--steps', '100', '--rcut', '5', '--embedding', '4,8', '--fitting', '8,8',
      '--axis-neuron', '4', '--start-lr', '1e-2', '--stop-lr', '1e-4', '--decay-steps', '20', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote 2 models/);
    // The time estimate from a short measurement comes before the first training step.
    const estimate = /measured [\d.]+ steps\/s per model \(\d+ parameters, \d+ steps in [\d.]+ s, one thread\); estimated wall time \S+.* for 2 × 100 steps on \d+ thread\(s\)/.exec(r.stderr);
    expect(estimate, r.stderr).not.toBeNull();
    expect(estimate!.index).toBeLessThan(r.stderr.indexOf('model 0 step'));
    const meta = JSON.parse(readFileSync(join(out, 'ensemble.json'), 'utf8'));
    expect(meta.models.map((m: { seed: number }) => m.seed)).toEqual([1, 2]);
    const model = await readDpModelFile(join(out, 'model-1.dp'));
    const f = readExtxyz(readFileSync(labeled, 'utf8'))[0];
    expect(Number.isFinite(new DpCalculator(model).compute(f).energy)).toBe(true);
    expect(cli(['train', '--data', labeled, '--models', '0']).status).toBe(2);
  });
});
