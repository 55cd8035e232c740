/**
 * NPT (MTK barostat + Nosé–Hoover chains) on bulk fcc Cu with the Cu_u3 EAM: the time-averaged
 * instantaneous pressure converges to the target within its statistical error (standard error
 * from block averages), the volume responds in the right direction, T is right, and the
 * extended energy is conserved.
 */
import { describe, expect, it } from 'vitest';
import { makeFrame } from '../../../src/core/atoms.ts';
import { loadEamFile } from '../../../src/node/eam-file.ts';
import type { Eam } from '../../../src/core/potentials/eam.ts';
import { initNpt, npt, stateVolume, type BarostatMode } from '../../../src/core/md/npt.ts';
import { runMd } from '../../../src/core/md/run-md.ts';
import { kineticTensor, pressureTensor } from '../../../src/core/md/thermo.ts';
import { withMaxwellBoltzmann } from '../../../src/core/md/velocities.ts';
import { evPerA3ToBar } from '../../../src/core/units.ts';
import { refPath } from '../../helpers/refdata.ts';
import { mean } from './stats.ts';
import { fccCube } from '../../helpers/fcc.ts';

/** Mean and its standard error from `nb` block averages (robust to slow correlations). */
function blockMean(x: number[], nb = 10): { mean: number; se: number } {
  const len = Math.floor(x.length / nb);
  const bm = Array.from({ length: nb }, (_, b) => mean(x.slice(b * len, (b + 1) * len)));
  const m = mean(bm);
  const v = bm.reduce((s, y) => s + (y - m) ** 2, 0) / (nb - 1);
  return { mean: m, se: Math.sqrt(v / nb) };
}

const T = 300;
let calc: Eam;

async function runNpt(pressureBar: number, mode: BarostatMode, steps = 8_000, equil = 1_500) {
  calc ??= await loadEamFile(refPath('eam/Cu_u3.eam'));
  const s0 = initNpt(withMaxwellBoltzmann(fccCube(2, 3.61), T, 3), calc, { dt: 2, temperatureK: T, pressureBar, mode, tauTFs: 100, tauPFs: 500 });
  const P: number[] = [], Pd: number[][] = [[], [], []], V: number[] = [], Tk: number[] = [], H: number[] = [];
  const res = runMd(npt, s0, calc, {
    steps,
    saveEvery: steps,
    observer: (s, info) => {
      H.push(info.conservedEnergy);
      if (s.step <= equil) return;
      const pt = pressureTensor(kineticTensor(s.masses, s.frame.velocities!), s.virial!, stateVolume(s));
      for (let a = 0; a < 3; a++) Pd[a].push(evPerA3ToBar(pt[4 * a]));
      P.push(evPerA3ToBar((pt[0] + pt[4] + pt[8]) / 3));
      V.push(stateVolume(s));
      Tk.push(info.temperature);
    },
  });
  const drift = Math.max(...H.map((h) => Math.abs(h - H[0])));
  return { P: blockMean(P), Pd: Pd.map((x) => blockMean(x)), V: mean(V), T: blockMean(Tk), drift, final: res.state, v0: stateVolume(s0) };
}

describe('NPT (MTK) on bulk Cu, EAM Cu_u3, 32 atoms, 300 K', () => {
  it('isotropic: mean pressure → 0 bar and → 50 kbar within error; compression shrinks the volume', async () => {
    const r0 = await runNpt(0, 'isotropic');
    const r50 = await runNpt(50_000, 'isotropic');
    for (const [target, r] of [[0, r0], [50_000, r50]] as const) {
      console.log(`P_target ${target} bar: <P> = ${r.P.mean.toFixed(0)} ± ${r.P.se.toFixed(0)} bar, <V> = ${r.V.toFixed(2)} Å³, <T> = ${r.T.mean.toFixed(1)} ± ${r.T.se.toFixed(1)} K, max |ΔH| = ${r.drift.toExponential(2)} eV`);
      expect(Math.abs(r.P.mean - target)).toBeLessThan(4.5 * r.P.se);
      expect(r.P.se).toBeLessThan(1500); // the error bar is tight enough to mean something
      expect(Math.abs(r.T.mean - T)).toBeLessThan(4.5 * r.T.se + 3);
      expect(r.drift).toBeLessThan(5e-3); // eV for 32 atoms over 16 ps (extended energy)
    }
    // bulk modulus of Cu ≈ 140 GPa: 5 GPa compresses by ≈ 3.5 %
    const compression = 1 - r50.V / r0.V;
    expect(compression).toBeGreaterThan(0.02);
    expect(compression).toBeLessThan(0.05);
  });

  it('anisotropic: every diagonal pressure component → 10 kbar, the cell stays orthorhombic', async () => {
    const r = await runNpt(10_000, 'anisotropic');
    console.log(`aniso: P_xx, P_yy, P_zz = ${r.Pd.map((p) => `${p.mean.toFixed(0)} ± ${p.se.toFixed(0)}`).join(', ')} bar`);
    for (const p of r.Pd) expect(Math.abs(p.mean - 10_000)).toBeLessThan(4.5 * p.se);
    const c = r.final.frame.cell!;
    for (const k of [1, 2, 3, 5, 6, 7]) expect(c[k]).toBe(0);
    expect(r.drift).toBeLessThan(5e-3);
  });

  it('rejects a cluster, a missing pressure and a non-orthorhombic anisotropic cell', async () => {
    calc ??= await loadEamFile(refPath('eam/Cu_u3.eam'));
    const cluster = makeFrame(['Cu', 'Cu'], [0, 0, 0, 2.5, 0, 0]);
    expect(() => initNpt(cluster, calc, { dt: 1, temperatureK: T, pressureBar: 0 })).toThrow(/periodic/);
    expect(() => initNpt(fccCube(2, 3.61), calc, { dt: 1, temperatureK: T })).toThrow(/pressureBar or pressureAtm/);
    const tri = fccCube(2, 3.61);
    tri.cell![3] = 0.5;
    expect(() => initNpt(tri, calc, { dt: 1, temperatureK: T, pressureAtm: 1, mode: 'anisotropic' })).toThrow(/orthorhombic/);
  });
});
