import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadPotential } from '../../src/cli/potential-spec.ts';
import { readExtxyz, writeExtxyz } from '../../src/core/io/extxyz.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { rattle } from '../core/optimize/relax-cases.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nanostudio-relax-bhmc-'));
  vi.spyOn(console, 'error').mockImplementation(() => {});
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('--potential eam: and lj:', () => {
  it('loads bundled EAM files by name and LJ parameters', async () => {
    expect((await loadPotential('eam:Cu_u3.eam')).name).toBe('EAM Cu_u3.eam');
    expect((await loadPotential('eam:Cu_mishin1.eam.alloy')).name).toBe('EAM Cu_mishin1.eam.alloy');
    expect((await loadPotential('lj:epsilon=0.4,sigma=2.3,rc=6')).name).toMatch(/^LJ eps=0.4 sigma=2.3 rc=6/);
    await expect(loadPotential('eam:NoSuch.eam')).rejects.toThrow(/not found/);
  });
});

describe('nanostudio relax', () => {
  it('relaxes a rattled Cu55 with the bundled EAM and writes every step', async () => {
    const s = join(dir, 'cu55.extxyz');
    writeFileSync(s, writeExtxyz([rattle(icosahedron('Cu', 3), 0.1, 1)]));
    const out = join(dir, 'relaxed.extxyz');
    for (const optimizer of ['fire', 'lbfgs']) {
      const code = await main(['relax', '--potential', 'eam:Cu_u3.eam', '--structure', s, '--optimizer', optimizer, '--fmax', '0.02', '--out', out]);
      expect(code).toBe(0);
      const frames = readExtxyz(readFileSync(out, 'utf8'));
      expect(frames.length).toBeGreaterThan(2);
      const last = frames[frames.length - 1];
      expect(Number(last.info!.fmax)).toBeLessThan(0.02);
      expect(Number(last.info!.energy)).toBeLessThan(Number(frames[0].info!.energy));
      expect(last.arrays.forces.length).toBe(165);
    }
  });

  it('relaxes with lj: and reports a usage error for a bad optimizer', async () => {
    const s = join(dir, 'lj.extxyz');
    const ico = icosahedron('Cu', 2);
    const scale = 2 ** (1 / 6) / Math.hypot(ico.positions[3], ico.positions[4], ico.positions[5]);
    ico.positions = ico.positions.map((x) => x * scale);
    writeFileSync(s, writeExtxyz([rattle(ico, 0.1, 2)]));
    const out = join(dir, 'lj-relaxed.extxyz');
    expect(await main(['relax', '--potential', 'lj:epsilon=1,sigma=1', '--structure', s, '--fmax', '1e-4', '--out', out])).toBe(0);
    const frames = readExtxyz(readFileSync(out, 'utf8'));
    expect(Number(frames[frames.length - 1].info!.energy)).toBeCloseTo(-44.326801, 5);
    expect(await main(['relax', '--potential', 'lj:epsilon=1,sigma=1', '--structure', s, '--optimizer', 'bfgs', '--out', out])).toBe(2);
  });
});

describe('nanostudio bhmc', () => {
  it('runs a short Cu13 EAM basin hopping and writes minima, chain, trajectories and the log', async () => {
    const out = join(dir, 'bh');
    const code = await main(['bhmc', '--potential', 'eam:Cu_mishin1.eam.alloy', '--natoms', '13', '--steps', '5', '--seed', '1',
      '--temperature', '600', '--optimizer', 'lbfgs', '--out', out]);
    expect(code).toBe(0);
    const minima = readExtxyz(readFileSync(join(out, 'minima.extxyz'), 'utf8'));
    const chain = readExtxyz(readFileSync(join(out, 'chain.extxyz'), 'utf8'));
    const traj = readExtxyz(readFileSync(join(out, 'trajectories.extxyz'), 'utf8'));
    const log = readFileSync(join(out, 'trials.tsv'), 'utf8').trim().split('\n');
    expect(log.length).toBe(1 + 6);
    expect(minima.length).toBeGreaterThan(0);
    expect(chain.length).toBeGreaterThan(0);
    expect(traj.length).toBeGreaterThan(6);
    for (let k = 1; k < minima.length; k++) expect(Number(minima[k].info!.energy)).toBeGreaterThanOrEqual(Number(minima[k - 1].info!.energy));
    expect(minima[0].symbols).toEqual(new Array(13).fill('Cu'));
    expect(traj[0].arrays.forces.length).toBe(39);
  });

  it('LJ13 in reduced units with --kT finds the global minimum', async () => {
    const out = join(dir, 'bh-lj');
    const code = await main(['bhmc', '--potential', 'lj:epsilon=1,sigma=1', '--natoms', '13', '--steps', '40', '--seed', '3',
      '--kT', '0.8', '--step', '0.4', '--fmax', '1e-3', '--start-distances', '0.9,1.0,1.5', '--evaporation', '2.5', '--out', out]);
    expect(code).toBe(0);
    const minima = readExtxyz(readFileSync(join(out, 'minima.extxyz'), 'utf8'));
    expect(Number(minima[0].info!.energy)).toBeCloseTo(-44.326801, 5);
  });

  it('needs exactly one of --temperature and --kT', async () => {
    expect(await main(['bhmc', '--potential', 'lj:epsilon=1,sigma=1', '--natoms', '5', '--steps', '1', '--seed', '1', '--out', join(dir, 'x')])).toBe(2);
  });
});
