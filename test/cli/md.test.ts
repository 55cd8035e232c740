import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { makeFrame } from '../../src/core/atoms.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { readExtxyz, writeExtxyz } from '../../src/core/io/extxyz.ts';

let dir = '';
let log: string[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nanostudio-md-'));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { log.push(a.join(' ')); });
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { log.push(a.join(' ')); });
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

function bulk(k: number, a: number) {
  const pos: number[] = [];
  for (let x = 0; x < k; x++) for (let y = 0; y < k; y++) for (let z = 0; z < k; z++) {
    for (const b of [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]]) pos.push((x + b[0]) * a, (y + b[1]) * a, (z + b[2]) * a);
  }
  return makeFrame(Array(pos.length / 3).fill('Cu'), pos, [k * a, 0, 0, 0, k * a, 0, 0, 0, k * a], [true, true, true]);
}

describe('nanostudio md', () => {
  it('runs every NVT ensemble and NVE on Cu55 EAM, writing frames with velocities and forces', async () => {
    const s = join(dir, 'cu55.extxyz');
    writeFileSync(s, writeExtxyz([icosahedron('Cu', 3)]));
    for (const ensemble of ['nve', 'langevin', 'nhc', 'csvr', 'berendsen']) {
      const out = join(dir, `${ensemble}.extxyz`);
      log = [];
      const code = await main(['md', '--potential', 'eam:Cu_u3.eam', '--structure', s, '--ensemble', ensemble, '--temperature', '300', '--steps', '40', '--save-every', '10', '--seed', '3', '--out', out]);
      expect(code, log.join('\n')).toBe(0);
      const frames = readExtxyz(readFileSync(out, 'utf8'));
      expect(frames.map((f) => f.info!.step)).toEqual([0, 10, 20, 30, 40]);
      expect(frames[4].velocities!.length).toBe(165);
      expect(frames[4].arrays.forces.length).toBe(165);
      expect(Number(frames[0].info!.temperature_K)).toBeCloseTo(300, 6);
      expect(log.join('\n')).toMatch(/mean T .* K, mean Epot .* eV/);
    }
  });

  it('same seed ⇒ same Langevin trajectory', async () => {
    const s = join(dir, 'cu13.extxyz');
    writeFileSync(s, writeExtxyz([icosahedron('Cu', 2)]));
    const run = async (seed: string) => {
      const out = join(dir, `lan${seed}.extxyz`);
      expect(await main(['md', '--potential', 'lj:epsilon=0.4093,sigma=2.338', '--structure', s, '--ensemble', 'langevin', '--temperature', '500', '--steps', '30', '--seed', seed, '--out', out])).toBe(0);
      return readFileSync(out, 'utf8');
    };
    expect(await run('7')).toBe(await run('7'));
    expect(await run('7')).not.toBe(await run('8'));
  });

  it('npt with --pressure-atm on bulk Cu prints pressure and volume', async () => {
    const s = join(dir, 'bulk.extxyz');
    writeFileSync(s, writeExtxyz([bulk(2, 3.61)]));
    log = [];
    const code = await main(['md', '--potential', 'eam:Cu_u3.eam', '--structure', s, '--ensemble', 'npt', '--temperature', '300', '--pressure-atm', '1', '--steps', '20', '--dt', '2', '--out', join(dir, 'npt.extxyz')]);
    expect(code, log.join('\n')).toBe(0);
    expect(log.join('\n')).toMatch(/P\/bar/);
    expect(log.join('\n')).toMatch(/mean P .* bar/);
  });

  it('an exploding run exits 1 and still writes the frames computed so far', async () => {
    const s = join(dir, 'cu55b.extxyz');
    writeFileSync(s, writeExtxyz([icosahedron('Cu', 3)]));
    const out = join(dir, 'boom.extxyz');
    log = [];
    const code = await main(['md', '--potential', 'lj:epsilon=0.4093,sigma=2.338', '--structure', s, '--ensemble', 'nve', '--temperature', '300', '--dt', '40', '--steps', '200', '--save-every', '1', '--out', out]);
    expect(code).toBe(1);
    expect(log.join('\n')).toMatch(/MD blew up at step/);
    // count frame headers (the exploded last frame has coordinates too large for extxyz.ts' fixed-width columns)
    expect(readFileSync(out, 'utf8').match(/Properties=/g)!.length).toBeGreaterThan(1);
  });

  it('usage errors: unknown ensemble, npt without pressure, both pressures, missing --steps', async () => {
    const s = join(dir, 'cu55.extxyz');
    const base = ['md', '--potential', 'eam:Cu_u3.eam', '--structure', s, '--temperature', '300', '--out', join(dir, 'x.extxyz')];
    log = [];
    expect(await main([...base, '--ensemble', 'nvx', '--steps', '1'])).toBe(2);
    expect(await main([...base, '--ensemble', 'npt', '--steps', '1'])).toBe(2);
    expect(await main([...base, '--ensemble', 'npt', '--steps', '1', '--pressure-bar', '1', '--pressure-atm', '1'])).toBe(2);
    expect(await main([...base, '--ensemble', 'nve'])).toBe(2);
    const text = log.join('\n');
    expect(text).toMatch(/--ensemble must be one of/);
    expect(text).toMatch(/needs --pressure-bar or --pressure-atm/);
    expect(text).toMatch(/not both/);
    expect(text).toMatch(/--steps is required/);
  });
});
