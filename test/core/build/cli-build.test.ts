import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { readExtxyz } from '../../../src/core/io/extxyz.ts';
import { clusterBounds } from '../../../src/core/build/random-cluster.ts';

let dir = '';
let log: string[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nanostudio-build-'));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { log.push(a.join(' ')); });
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { log.push(a.join(' ')); });
});
afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

async function build(args: string[]) {
  const out = join(dir, `${args[0]}-${Math.random().toString(36).slice(2)}.extxyz`);
  log = [];
  const code = await main(['build', ...args, '--out', out]);
  return { code, frames: code === 0 ? readExtxyz(readFileSync(out, 'utf8')) : [], log: log.join('\n') };
}

describe('nanostudio build (the forms scripts depend on)', () => {
  const cases: [string[], number, boolean][] = [
    [['decahedron', '--element', 'Cu', '--p', '3', '--q', '2', '--r', '1'], 0, false],
    [['octahedron', '--element', 'Cu', '--length', '7', '--cutoff', '2'], 0, false],
    [['random', '--element', 'Cu', '--natoms', '20', '--dmin', '2.2', '--dmax', '3.0', '--seed', '1'], 20, false],
    [['bulk', '--element', 'Cu', '--structure', 'fcc', '--repeat', '3,3,3'], 27, true],
    [['bulk', '--element', 'Cu', '--structure', 'fcc', '--repeat', '3,3,3', '--cubic'], 108, true],
    [['surface', '--element', 'Cu', '--facet', 'fcc111', '--size', '3,3,4', '--vacuum', '10'], 36, true],
    [['octahedron', '--element', 'Cu', '--length', '5', '--cutoff', '2', '--lattice', '3.61'], 55, false],
    [['decahedron', '--element', 'Cu', '--p', '3', '--q', '3'], 55, false],
    [['surface', '--element', 'Fe', '--facet', 'bcc110', '--size', '2,2,4', '--vacuum', '8'], 16, true],
    [['surface', '--element', 'Ru', '--facet', 'hcp0001', '--size', '2,2,4', '--vacuum', '8'], 16, true],
    [['bulk', '--element', 'Si', '--cubic'], 8, true],
  ];
  for (const [args, n, periodic] of cases) {
    it(args.join(' '), async () => {
      const r = await build(args);
      expect(r.code, r.log).toBe(0);
      expect(r.frames).toHaveLength(1);
      const f = r.frames[0];
      if (n > 0) expect(f.symbols.length).toBe(n);
      expect(f.pbc.some(Boolean)).toBe(periodic);
    });
  }
  it('decahedron 3,2,1 and octahedron 7,2 have the counts of the core builders', async () => {
    const { decahedronSize } = await import('../../../src/core/build/decahedron.ts');
    const { octahedron } = await import('../../../src/core/build/octahedron.ts');
    expect((await build(cases[0][0])).frames[0].symbols.length).toBe(decahedronSize(3, 2, 1));
    expect((await build(cases[1][0])).frames[0].symbols.length).toBe(octahedron('Cu', 7, 2).symbols.length);
  });
  it('random: same seed, same file; bounds hold', async () => {
    const a = (await build(cases[2][0])).frames[0];
    const b = (await build(cases[2][0])).frames[0];
    expect(Array.from(a.positions)).toEqual(Array.from(b.positions));
    const bounds = clusterBounds(a, 3.0 + 1e-6);
    expect(bounds.minDistance).toBeGreaterThanOrEqual(2.2 - 1e-6);
    expect(bounds.connected).toBe(true);
  });
  it('usage errors exit 2, build errors exit 1, each naming the problem', async () => {
    let r = await build(['surface', '--element', 'Cu', '--facet', 'fcc211', '--size', '3,3,4']);
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/--facet must be one of fcc100/);
    r = await build(['bulk', '--element', 'Cu', '--repeat', '3,0,3']);
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/--repeat must be three positive integers/);
    r = await build(['random', '--element', 'Cu', '--natoms', '20', '--dmin', '3.2', '--dmax', '3.0', '--seed', '1']);
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/impossible distance bounds/);
    r = await build(['decahedron', '--element', 'Xx', '--p', '2', '--q', '2']);
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/unknown element 'Xx'/);
    r = await build(['octahedron', '--element', 'Ru', '--length', '3']);
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/reference lattice of Ru is hcp/);
    r = await build(['octahedron', '--element', 'Cu', '--length', '0']);
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/length ≥ 1/);
    r = await build(['decahedron', '--element', 'Cu', '--p', '2']);
    expect(r.code).toBe(2);
    expect(r.log).toMatch(/--q is required/);
  });
});
