/** `nanostudio eval` end to end through main(). */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { writeExtxyz } from '../../src/core/io/extxyz.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { makeFrame } from '../../src/core/atoms.ts';
import { refPath } from '../helpers/refdata.ts';
import { selectFrames } from '../../src/cli/commands/eval.ts';
import { DpEvaluator } from '../../src/core/potentials/dp/evaluator.ts';
import { refModel } from './helpers.ts';

const demo = [0, 1, 2, 3].map((k) => refPath(`models/cu-eam-demo/cu_eam_demo_${k}.dp`));
let dir = '';
let xyz = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nanostudio-eval-'));
  const cu13 = icosahedron('Cu', 2);
  const shaken = makeFrame(cu13.symbols, Array.from(cu13.positions, (x, i) => x + 0.05 * Math.sin(7 * i)));
  const a = 3.615;
  const cell = makeFrame(['Cu', 'Cu', 'Cu', 'Cu'], [0, 0, 0, a / 2, a / 2, 0, a / 2, 0, a / 2, 0, a / 2, a / 2 + 0.05], [a, 0, 0, 0, a, 0, 0, 0, a], [true, true, true]);
  xyz = join(dir, 'frames.extxyz');
  writeFileSync(xyz, writeExtxyz([cu13, shaken, cell]));
});

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const w = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
  const e = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n'));
  const ww = vi.spyOn(console, 'warn').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n'));
  try {
    const code = await main(['eval', ...args]);
    return { code, out, err };
  } finally {
    w.mockRestore();
    l.mockRestore();
    e.mockRestore();
    ww.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('nanostudio eval', () => {
  it('--json with an ensemble prints one object per frame with per-model results and the deviation', async () => {
    const devi = join(dir, 'model_devi.out');
    const r = await run([...demo.flatMap((m) => ['--model', m]), '--structure', xyz, '--json', '--model-devi-out', devi, '--lo', '0.05', '--hi', '0.15']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((s) => JSON.parse(s));
    expect(lines).toHaveLength(3);
    const f = lines[1];
    expect(f.frame).toBe(1);
    expect(f.natoms).toBe(13);
    expect(f.atomic_energies).toHaveLength(13);
    expect(f.forces).toHaveLength(13);
    expect(f.forces[0]).toHaveLength(3);
    expect(f.virial).toHaveLength(9);
    expect(f.atomic_virials).toHaveLength(13);
    expect(f.atomic_virials[0]).toHaveLength(9);
    expect(f.models).toHaveLength(4);
    expect(f.models[0].energy).toBe(f.energy); // top level = model 0
    for (const k of ['max_devi_f', 'min_devi_f', 'avg_devi_f', 'devi_e', 'max_devi_v', 'min_devi_v', 'avg_devi_v']) expect(typeof f.deviation[k]).toBe('number');
    expect(['good', 'decent', 'poor']).toContain(f.deviation.class);
    // Same numbers as the library's tabulated path (the CLI's CPU default).
    const m0 = new DpEvaluator(await refModel('models/cu-eam-demo/cu_eam_demo_0.dp'), { tabulate: {} });
    const frames = (await import('../../src/core/io/extxyz.ts')).readExtxyz(readFileSync(xyz, 'utf8'));
    expect(f.energy).toBe(m0.evaluate(frames[1]).energy);
    // Symmetric Cu13: forces vanish on the centre.
    expect(Math.hypot(...lines[0].forces[0])).toBeLessThan(1e-10);
    const out = readFileSync(devi, 'utf8').split('\n');
    expect(out[1]).toMatch(/^#\s+step\s+max_devi_v\s+min_devi_v\s+avg_devi_v\s+max_devi_f\s+min_devi_f\s+avg_devi_f\s+devi_e$/);
    expect(out[2].trim().split(/\s+/).map(Number)[4]).toBeCloseTo(lines[0].deviation.max_devi_f, 6);
    expect(out.filter((s) => s && !s.startsWith('#'))).toHaveLength(3);
  });

  it('--potential dp:A,B is --model A --model B; --frames selects; human summary', async () => {
    const r = await run(['--potential', `dp:${demo[0]},${demo[1]}`, '--structure', xyz, '--frames', '1:3']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/frame 1: 13 atoms/);
    expect(r.out).toMatch(/frame 2: 4 atoms/);
    expect(r.out).not.toMatch(/frame 0:/);
    expect(r.out).toMatch(/max_devi_f/);
    const single = await run(['--model', demo[2], '--structure', xyz, '--frames=-1', '--json']);
    const obj = JSON.parse(single.out.trim());
    expect(obj.frame).toBe(2);
    expect(obj.models).toBeUndefined();
    expect(obj.deviation).toBeUndefined();
    expect(selectFrames('all', 3)).toEqual([0, 1, 2]);
    expect(selectFrames(':2', 3)).toEqual([0, 1]);
  });

  it('the CPU path uses the tabulated embedding by default (within 1e-8 of the exact nets, not equal); --no-tabulate the exact nets', async () => {
    const f55 = join(dir, 'cu55.extxyz');
    const cu55 = icosahedron('Cu', 3);
    writeFileSync(f55, writeExtxyz([makeFrame(cu55.symbols, Array.from(cu55.positions, (x, i) => x + 0.1 * Math.sin(7 * i)))]));
    const frame = (await import('../../src/core/io/extxyz.ts')).readExtxyz(readFileSync(f55, 'utf8'))[0];
    const model = await refModel('models/cu-eam-demo/cu_eam_demo_0.dp');
    const exact = new DpEvaluator(model).evaluate(frame), tab = new DpEvaluator(model, { tabulate: {} }).evaluate(frame);
    expect(Array.from(tab.forces)).not.toEqual(Array.from(exact.forces)); // the two paths are distinguishable on this frame
    const byDefault = JSON.parse((await run(['--model', demo[0], '--structure', f55, '--json'])).out.trim());
    const noTab = JSON.parse((await run(['--model', demo[0], '--structure', f55, '--json', '--no-tabulate'])).out.trim());
    expect(byDefault.energy).toBe(tab.energy);
    expect(byDefault.forces.flat()).toEqual(Array.from(tab.forces));
    expect(noTab.energy).toBe(exact.energy);
    expect(noTab.forces.flat()).toEqual(Array.from(exact.forces));
    expect(Math.abs(byDefault.energy - noTab.energy)).toBeLessThan(1e-8);
    for (let k = 0; k < exact.forces.length; k++) expect(Math.abs(byDefault.forces.flat()[k] - exact.forces[k])).toBeLessThan(1e-8);
    // The summary names the embedding in use, for --model and --potential dp: alike.
    expect((await run(['--model', demo[0], '--structure', f55])).out).toMatch(/^potential: DP cu_eam_demo_0\.dp · tabulated embedding$/m);
    expect((await run(['--potential', `dp:${demo[0]},${demo[1]}`, '--structure', f55, '--no-tabulate'])).out).toMatch(/^potential: DP ensemble .* · exact embedding nets$/m);
    expect((await run(['--potential', `dp:${demo[0]},${demo[1]}`, '--structure', f55])).out).toMatch(/^potential: DP ensemble .* · tabulated embedding$/m);
  });

  it('reports unknown species, bad models and usage errors', async () => {
    const au = join(dir, 'au.extxyz');
    writeFileSync(au, writeExtxyz([makeFrame(['Cu', 'Au'], [0, 0, 0, 2.5, 0, 0])]));
    const r = await run(['--model', demo[0], '--structure', au]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/species 'Au' \(atom 1\) is not in the model's type_map \[Cu\]/);
    const bad = await run(['--model', join(dir, 'nope.dp'), '--structure', xyz]);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/nope\.dp/);
    expect((await run(['--structure', xyz])).code).toBe(2);
    expect((await run(['--model', demo[0]])).code).toBe(2);
    expect((await run(['--model', demo[0], '--structure', xyz, '--frames', '7'])).code).toBe(2);
    expect((await run(['--model', demo[0], '--structure', xyz, '--model-devi-out', join(dir, 'x.out')])).code).toBe(2);
  });
});
