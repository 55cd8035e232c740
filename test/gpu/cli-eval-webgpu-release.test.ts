/**
 * `nanostudio eval --engine webgpu` destroys its WebGPU device when the evaluation fails (an element
 * the model's type map does not have), not only on success: the device opened through
 * node-device.ts (real Dawn, recorded on the way out) reports `lost` with reason "destroyed".
 */
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { writeExtxyz } from '../../src/core/io/extxyz.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { refPath } from '../helpers/refdata.ts';

const opened = vi.hoisted(() => [] as GPUDevice[]);
vi.mock('../../src/node/gpu-device.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/node/gpu-device.ts')>();
  return {
    ...real,
    getNodeGpu: async () => {
      const g = await real.getNodeGpu();
      opened.push(g.device);
      return g;
    },
  };
});

/** 'destroyed' once the device is destroyed; 'still open' if that has not happened within a minute. */
const lostReason = (d: GPUDevice): Promise<string> =>
  Promise.race([d.lost.then((i) => String(i.reason)), new Promise<string>((r) => setTimeout(() => r('still open'), 60_000).unref())]);

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
  const e = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
  try {
    return { code: await main(['eval', ...args]), out };
  } finally {
    l.mockRestore();
    e.mockRestore();
  }
}

describe('nanostudio eval --engine webgpu releases the device', () => {
  it('on a failing evaluation (element outside the type map): named error, exit 1, device destroyed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanostudio-eval-gpu-fail-'));
    const xyz = join(dir, 'cu-ag.extxyz');
    writeFileSync(xyz, writeExtxyz([icosahedron('Cu', 2), icosahedron('Ag', 2)]));
    const r = await run(['--engine', 'webgpu', '--potential', `dp:${refPath('models/cu-eam-demo/cu_eam_demo_0.dp')}`, '--structure', xyz]);
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/frame 0: 13 atoms/);
    expect(r.out).toMatch(/frame 1: .*Ag/);
    expect(opened.length).toBe(1);
    expect(await lostReason(opened[0])).toBe('destroyed');
  });
});
