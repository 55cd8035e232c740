/**
 * `nanostudio md --potential dp:A,B,C,D` on the CPU writes model_devi.out (DeePMD's layout) next to
 * the trajectory and max_devi_f / devi_e into each frame's info line, equal to the core ensemble's
 * deviation of the written frames; a failed run keeps the rows computed before the stop.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { readExtxyz, writeExtxyz } from '../../src/core/io/extxyz.ts';
import { formatModelDeviHeader, MODEL_DEVI_COLUMNS, parseModelDevi } from '../../src/core/io/model-devi.ts';
import { DpEnsembleCalculator } from '../../src/core/potentials/dp/ensemble.ts';
import { refModel } from '../dp/helpers.ts';
import { refPath } from '../helpers/refdata.ts';

let dir = '';
let log: string[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nanostudio-md-devi-'));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { log.push(a.join(' ')); });
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { log.push(a.join(' ')); });
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const ensemble = () => `dp:${[0, 1, 2, 3].map((k) => refPath(`models/cu-eam-demo/cu_eam_demo_${k}.dp`)).join(',')}`;

describe('nanostudio md with a DP ensemble (CPU)', () => {
  it('writes model_devi.out and per-frame max_devi_f / devi_e equal to the core ensemble deviation', async () => {
    const s = join(dir, 'cu13.extxyz');
    writeFileSync(s, writeExtxyz([icosahedron('Cu', 2)]));
    const out = join(dir, 'traj.extxyz');
    log = [];
    const code = await main(['md', '--potential', ensemble(), '--structure', s, '--ensemble', 'langevin', '--temperature', '900', '--steps', '30', '--save-every', '10', '--seed', '4', '--out', out]);
    expect(code, log.join('\n')).toBe(0);
    const text = readFileSync(join(dir, 'model_devi.out'), 'utf8');
    expect(text.split('\n')[0]).toBe(formatModelDeviHeader());
    // every data line: %12d then six " %18.6e"
    for (const line of text.trim().split('\n').slice(1)) expect(line).toMatch(/^ {0,11}\d+( {1,}-?\d\.\d{6}e[+-]\d{2,3}){6}$/);
    expect(text.trim().split('\n').slice(1).every((l) => l.length === 12 + 6 * 19)).toBe(true);
    const rows = parseModelDevi(text);
    const frames = readExtxyz(readFileSync(out, 'utf8'));
    expect(rows.map((r) => r.step)).toEqual([0, 10, 20, 30]);
    expect(frames.map((f) => f.info!.step)).toEqual([0, 10, 20, 30]);
    const ens = new DpEnsembleCalculator(await Promise.all([0, 1, 2, 3].map((k) => refModel(`models/cu-eam-demo/cu_eam_demo_${k}.dp`))), { onWarning: () => {} });
    for (const [k, f] of frames.entries()) {
      const d = ens.compute(f).deviation;
      for (const c of MODEL_DEVI_COLUMNS) expect(Math.abs(rows[k][c] - d[c]), `frame ${k} ${c}`).toBeLessThanOrEqual(1e-6 * Math.abs(d[c]) + 1e-9);
      expect(Number(f.info!.max_devi_f)).toBeCloseTo(d.max_devi_f, 8);
      expect(Number(f.info!.devi_e)).toBeCloseTo(d.devi_e, 8);
    }
    expect(rows.some((r) => r.max_devi_f > 0)).toBe(true);
    expect(log.join('\n')).toMatch(/model deviation of 4 frames to .*model_devi\.out/);
    // The CPU run uses (and says it uses) the tabulated embedding; the exact ensemble above agrees to 1e-8.
    expect(log.join('\n')).toMatch(/^md: .*DP ensemble .* · tabulated embedding, dt/m);
  });

  it('--model-devi-out names the file; a single model writes none', async () => {
    const s = join(dir, 'cu13.extxyz');
    const sub = mkdtempSync(join(dir, 'one-'));
    log = [];
    expect(await main(['md', '--potential', `dp:${refPath('models/cu-eam-demo/cu_eam_demo_0.dp')}`, '--structure', s, '--temperature', '300', '--steps', '4', '--out', join(sub, 't.extxyz')]), log.join('\n')).toBe(0);
    expect(existsSync(join(sub, 'model_devi.out'))).toBe(false);
    const named = join(dir, 'run7.devi');
    expect(await main(['md', '--potential', ensemble(), '--structure', s, '--temperature', '300', '--steps', '4', '--save-every', '2', '--out', join(sub, 't4.extxyz'), '--model-devi-out', named]), log.join('\n')).toBe(0);
    expect(parseModelDevi(readFileSync(named, 'utf8')).map((r) => r.step)).toEqual([0, 2, 4]);
  });

  it('a run that blows up keeps the deviation of the frames computed before the stop', async () => {
    const s = join(dir, 'cu13.extxyz');
    const sub = mkdtempSync(join(dir, 'boom-'));
    log = [];
    const code = await main(['md', '--potential', ensemble(), '--structure', s, '--ensemble', 'nve', '--temperature', '300', '--dt', '60', '--steps', '200', '--save-every', '1', '--out', join(sub, 'b.extxyz')]);
    expect(code, log.join('\n')).toBe(1);
    const n = readFileSync(join(sub, 'b.extxyz'), 'utf8').match(/Properties=/g)!.length;
    expect(parseModelDevi(readFileSync(join(sub, 'model_devi.out'), 'utf8')).length).toBe(n);
  });
});
