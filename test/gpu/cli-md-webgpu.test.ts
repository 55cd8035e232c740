/** `nanostudio md --engine webgpu` through main(): a short NVE run of Cu13 with the demo model on the GPU. */
import { describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { readExtxyz, writeExtxyz } from '../../src/core/io/extxyz.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { refPath } from '../helpers/refdata.ts';

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
  const e = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (out += a.join(' ') + '\n'));
  try {
    return { code: await main(['md', ...args]), out };
  } finally {
    l.mockRestore();
    e.mockRestore();
  }
}

describe('nanostudio md --engine webgpu', () => {
  it('runs NVE of Cu13 on the GPU, writes the saved frames and conserves energy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanostudio-md-gpu-'));
    const xyz = join(dir, 'cu13.extxyz');
    writeFileSync(xyz, writeExtxyz([icosahedron('Cu', 2)]));
    const out = join(dir, 'traj.extxyz');
    const r = await run(['--engine', 'webgpu', '--potential', `dp:${refPath('models/cu-eam-demo/cu_eam_demo_0.dp')}`, '--structure', xyz,
      '--ensemble', 'nve', '--temperature', '300', '--dt', '1', '--steps', '40', '--save-every', '10', '--print-every', '10', '--out', out]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/on WebGPU/);
    const frames = readExtxyz(readFileSync(out, 'utf8'));
    expect(frames.length).toBe(5); // step 0, 10, 20, 30, 40
    expect(frames[4].info!.step).toBe(40);
    let moved = 0;
    for (let k = 0; k < frames[0].positions.length; k++) moved = Math.max(moved, Math.abs(frames[4].positions[k] - frames[0].positions[k]));
    expect(moved).toBeGreaterThan(0.01);
    const drift = Number(/conserved quantity drift (\S+) eV/.exec(r.out)![1]);
    expect(Math.abs(drift)).toBeLessThan(0.02); // 13 atoms, 40 fs at 1 fs: float32 velocity Verlet
  });

  it('refuses what the GPU integrator does not have, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanostudio-md-gpu-'));
    const xyz = join(dir, 'cu13.extxyz');
    writeFileSync(xyz, writeExtxyz([icosahedron('Cu', 2)]));
    const npt = await run(['--engine', 'webgpu', '--potential', 'dp:x.dp', '--structure', xyz, '--ensemble', 'npt', '--temperature', '300', '--pressure-bar', '1', '--steps', '1', '--out', join(dir, 'o.extxyz')]);
    expect(npt.code).toBe(2);
    expect(npt.out).toMatch(/supports --ensemble nve, langevin and nhc; got npt/);
    const eam = await run(['--engine', 'webgpu', '--potential', 'eam:Cu_u3.eam', '--structure', xyz, '--ensemble', 'nve', '--temperature', '300', '--steps', '1', '--out', join(dir, 'o.extxyz')]);
    expect(eam.code).toBe(2);
    expect(eam.out).toMatch(/runs DeePMD models only/);
  });
});
