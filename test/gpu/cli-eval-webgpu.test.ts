/** `nanostudio eval --engine webgpu` end to end through main(): same JSON as the float64 engine within spec §6 tolerances. */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { writeExtxyz } from '../../src/core/io/extxyz.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { makeFrame } from '../../src/core/atoms.ts';
import { refPath } from '../helpers/refdata.ts';

const demo = [0, 1, 2, 3].map((k) => refPath(`models/cu-eam-demo/cu_eam_demo_${k}.dp`));
let dir = '';
let xyz = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nanostudio-eval-gpu-'));
  const cu13 = icosahedron('Cu', 2);
  const shaken = makeFrame(cu13.symbols, Array.from(cu13.positions, (x, i) => x + 0.08 * Math.sin(7 * i)));
  xyz = join(dir, 'frames.extxyz');
  writeFileSync(xyz, writeExtxyz([cu13, shaken]));
});
afterAll(() => vi.restoreAllMocks());

async function evalJson(args: string[]): Promise<Record<string, unknown>[]> {
  let out = '';
  const w = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  const e = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    expect(await main(['eval', ...args, '--json'])).toBe(0);
  } finally {
    w.mockRestore();
    e.mockRestore();
  }
  return out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

const maxAbsDiff = (a: unknown, b: unknown): number =>
  Math.max(...(a as number[][]).flat().map((x, k) => Math.abs(x - (b as number[][]).flat()[k])));

describe('nanostudio eval --engine webgpu', () => {
  it('matches --engine cpu for the demo ensemble: energies, forces, deviation', async () => {
    const args = demo.flatMap((m) => ['--model', m]).concat(['--structure', xyz]);
    const cpu = await evalJson(args);
    const gpu = await evalJson([...args, '--engine', 'webgpu']);
    expect(gpu.length).toBe(2);
    for (let k = 0; k < 2; k++) {
      const n = cpu[k].natoms as number;
      expect(Math.abs((gpu[k].energy as number) - (cpu[k].energy as number)) / n).toBeLessThan(1e-4);
      expect(maxAbsDiff(gpu[k].atomic_energies, cpu[k].atomic_energies)).toBeLessThan(1e-4);
      expect(maxAbsDiff(gpu[k].forces, cpu[k].forces)).toBeLessThan(1e-4);
      const dg = gpu[k].deviation as Record<string, number | string>, dc = cpu[k].deviation as Record<string, number | string>;
      expect(Math.abs((dg.max_devi_f as number) - (dc.max_devi_f as number))).toBeLessThan(1e-4);
      expect(dg.class).toBe(dc.class);
    }
    expect(readFileSync(xyz, 'utf8').length).toBeGreaterThan(0);
  });

  it('refuses a non-DP potential with a usage error', async () => {
    const e = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(await main(['eval', '--potential', 'eam:Cu_u3.eam', '--structure', xyz, '--engine', 'webgpu'])).toBe(2);
    } finally {
      e.mockRestore();
    }
  });
});
