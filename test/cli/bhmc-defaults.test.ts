/**
 * `nanostudio bhmc` defaults follow the potential: in σ (and ε) for LJ, in the nearest-neighbour
 * distance of the element otherwise, and are printed. The command (LJ13 in reduced units,
 * no length options) finds the LJ13 global minimum −44.326801 ε for most seeds.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { readExtxyz } from '../../src/core/io/extxyz.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nanostudio-bhmc-defaults-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function bhmc(args: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const e = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (text += a.join(' ') + '\n'));
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (text += a.join(' ') + '\n'));
  try {
    return { code: await main(['bhmc', ...args]), text };
  } finally {
    e.mockRestore();
    l.mockRestore();
  }
}

const LJ13 = -44.326801; // ε, the LJ13 icosahedron (Cambridge Cluster Database)

describe('bhmc defaults follow the potential', () => {
  it('the issue command (lj:epsilon=1,sigma=1, 13 atoms, 300 trials, --kT 0.8) finds −44.326801 for most seeds', async () => {
    const found: Record<number, number> = {};
    for (const seed of [11, 1, 2, 3, 4]) {
      const out = join(dir, `lj-${seed}`);
      const r = await bhmc(['--potential', 'lj:epsilon=1,sigma=1', '--natoms', '13', '--steps', '300', '--seed', String(seed), '--kT', '0.8', '--out', out]);
      expect(r.code, r.text.slice(-2000)).toBe(0);
      if (seed === 11) {
        expect(r.text).toMatch(/defaults in units of σ = 1/);
        expect(r.text).toMatch(/step 0\.4\b/);
        // Trial lines in the potential's units too (they said eV for LJ in ε units).
        expect(r.text).toMatch(/trial +0\/300 +E = -\d+\.\d{5} ε +start .* best -\d+\.\d{5} ε\n/);
        expect(r.text).toMatch(/lowest energy found: -44\.326801 ε \(-3\.409754 ε\/atom\)/);
        expect(r.text).not.toMatch(/trial .* eV/);
      }
      found[seed] = Number(readExtxyz(readFileSync(join(out, 'minima.extxyz'), 'utf8'))[0].info!.energy);
    }
    console.log('lowest energy per seed:', found);
    expect(found[11]).toBeCloseTo(LJ13, 6);
    expect(Object.values(found).filter((e) => Math.abs(e - LJ13) < 5e-7).length).toBeGreaterThanOrEqual(4);
  }, 1_800_000);

  it('LJ with σ in Å scales the lengths; EAM keeps the Cu nearest-neighbour defaults; all printed', async () => {
    const lj = await bhmc(['--potential', 'lj:epsilon=0.4093,sigma=2.338', '--natoms', '7', '--steps', '2', '--seed', '1', '--temperature', '600', '--out', join(dir, 'ljA')]);
    expect(lj.code, lj.text).toBe(0);
    expect(lj.text).toMatch(/start distances 2\.104, 2\.338, 3\.507/);
    expect(lj.text).toMatch(/step 0\.9352\b/);
    // LJ has no element: not "7 × Cu"
    expect(lj.text).toMatch(/^bhmc: 7 LJ particles \(symbol Cu in the output files\), LJ eps=0\.4093/m);
    expect(lj.text).not.toMatch(/× Cu/);
    expect(readExtxyz(readFileSync(join(dir, 'ljA', 'minima.extxyz'), 'utf8'), 'minima')[0].symbols).toEqual(Array(7).fill('Cu'));
    const eam = await bhmc(['--potential', 'eam:Cu_u3.eam', '--natoms', '7', '--steps', '2', '--seed', '1', '--temperature', '600', '--out', join(dir, 'eam')]);
    expect(eam.code, eam.text).toBe(0);
    expect(eam.text).toMatch(/nearest-neighbour distance/);
    expect(eam.text).toMatch(/^bhmc: 7 × Cu, /m);
    expect(eam.text).toMatch(/start distances 1\.5, 1\.8, 3\b/);
    expect(eam.text).toMatch(/step 0\.8\b.*fmax 0\.05\b/s);
  });
});
