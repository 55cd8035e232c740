/**
 * `nanostudio md --engine webgpu` trajectories read back: every saved frame carries that step's
 * positions, velocities, forces and energy (checked against the float64 CPU model on the written
 * positions and against velocity Verlet between consecutive frames), and an ensemble run writes
 * model_devi.out (DeePMD's layout) plus max_devi_f / devi_e per frame, equal to the core
 * ensemble's deviation of the same frames.
 */
import { describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { readExtxyz, writeExtxyz } from '../../src/core/io/extxyz.ts';
import { parseModelDevi, formatModelDeviHeader, MODEL_DEVI_COLUMNS } from '../../src/core/io/model-devi.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { withMaxwellBoltzmann } from '../../src/core/md/velocities.ts';
import { element } from '../../src/core/elements.ts';
import { AMU_A2_PER_FS2_IN_EV } from '../../src/core/units.ts';
import { DpCalculator } from '../../src/core/potentials/dp/evaluator.ts';
import { DpEnsembleCalculator } from '../../src/core/potentials/dp/ensemble.ts';
import { refModel } from '../dp/helpers.ts';
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

const model = (k: number) => refPath(`models/cu-eam-demo/cu_eam_demo_${k}.dp`);

/** Cu13 with velocities in the input file (so a writer that repeats the input's columns is caught). */
function input(dir: string): string {
  const xyz = join(dir, 'cu13v.extxyz');
  const f = withMaxwellBoltzmann(icosahedron('Cu', 2), 600, 5);
  writeFileSync(xyz, writeExtxyz([{ ...f, arrays: { velocities: f.velocities! } }]));
  return xyz;
}

describe('nanostudio md --engine webgpu: saved frames', () => {
  it('each frame has its own step\'s velocities, forces and energy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanostudio-md-gpu-frames-'));
    const out = join(dir, 'traj.extxyz');
    const dt = 1;
    const r = await run(['--engine', 'webgpu', '--potential', `dp:${model(0)}`, '--structure', input(dir),
      '--ensemble', 'nve', '--dt', String(dt), '--steps', '6', '--save-every', '1', '--print-every', '3', '--out', out]);
    expect(r.code, r.out).toBe(0);
    const frames = readExtxyz(readFileSync(out, 'utf8'));
    expect(frames.map((f) => f.info!.step)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const cpu = new DpCalculator(await refModel('models/cu-eam-demo/cu_eam_demo_0.dp'));
    const m = element('Cu').mass;
    for (const [k, f] of frames.entries()) {
      expect(f.arrays.velocities?.length, `frame ${k} velocities`).toBe(39);
      expect(f.arrays.forces?.length, `frame ${k} forces`).toBe(39);
      const ref = cpu.compute(f);
      let df = 0;
      for (let i = 0; i < 39; i++) df = Math.max(df, Math.abs(f.arrays.forces[i] - ref.forces[i]));
      expect(df, `frame ${k}: forces vs CPU model 0 at the frame's positions`).toBeLessThan(2e-4);
      expect(Math.abs(Number(f.info!.energy) - ref.energy), `frame ${k}: energy`).toBeLessThan(1e-3);
      expect(Number(f.info!.temperature_K)).toBeGreaterThan(0);
      if (k + 1 < frames.length) {
        // velocity Verlet: x(n+1) = x(n) + dt v(n) + dt² F(n) / (2m)
        const g = frames[k + 1];
        let dv = 0;
        for (let i = 0; i < 39; i++) {
          const v = (g.positions[i] - f.positions[i]) / dt - (dt * f.arrays.forces[i]) / (2 * m * AMU_A2_PER_FS2_IN_EV);
          dv = Math.max(dv, Math.abs(v - f.arrays.velocities[i]));
        }
        expect(dv, `frame ${k}: velocities are this step's (Verlet consistent with the next positions)`).toBeLessThan(2e-5);
      }
    }
    expect(existsSync(join(dir, 'model_devi.out'))).toBe(false); // one model: no deviation
  });

  it('an ensemble run writes model_devi.out and max_devi_f per frame, equal to the core ensemble deviation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nanostudio-md-gpu-devi-'));
    const out = join(dir, 'traj.extxyz');
    const r = await run(['--engine', 'webgpu', '--potential', `dp:${[0, 1, 2, 3].map(model).join(',')}`, '--structure', input(dir),
      '--ensemble', 'langevin', '--temperature', '900', '--steps', '20', '--save-every', '5', '--print-every', '10', '--out', out]);
    expect(r.code, r.out).toBe(0);
    const text = readFileSync(join(dir, 'model_devi.out'), 'utf8');
    expect(text.split('\n')[0]).toBe(formatModelDeviHeader());
    const rows = parseModelDevi(text);
    const frames = readExtxyz(readFileSync(out, 'utf8'));
    expect(rows.map((x) => x.step)).toEqual([0, 5, 10, 15, 20]);
    expect(frames.map((f) => f.info!.step)).toEqual([0, 5, 10, 15, 20]);
    const ens = new DpEnsembleCalculator(await Promise.all([0, 1, 2, 3].map((k) => refModel(`models/cu-eam-demo/cu_eam_demo_${k}.dp`))), { onWarning: () => {} });
    for (const [k, f] of frames.entries()) {
      const d = ens.compute(f).deviation;
      for (const c of MODEL_DEVI_COLUMNS) {
        const tol = c.endsWith('_f') ? 2e-5 : 2e-6;
        expect(Math.abs(rows[k][c] - d[c]), `frame ${k} ${c}: file ${rows[k][c]} core ${d[c]}`).toBeLessThan(tol + 1e-6 * Math.abs(d[c]));
      }
      expect(Math.abs(Number(f.info!.max_devi_f) - d.max_devi_f)).toBeLessThan(2e-5);
      expect(Math.abs(Number(f.info!.devi_e) - d.devi_e)).toBeLessThan(2e-6);
    }
    expect(r.out).toMatch(/model_devi\.out/);
  });
});
