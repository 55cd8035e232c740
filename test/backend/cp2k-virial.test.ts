// CP2K virial labels of periodic cells (issue 12): the analytical stress tensor is requested for
// periodic frames, parsed (GPa, CP2K's sign) and stored as the virial W = σ_CP2K·V (eV, DeePMD's
// W = −∂E/∂ε). Checked on two stored outputs of real CP2K 2023.1 runs (2-atom Cu cell, a = 3.50
// and 3.52 Å, DZVP-MOLOPT-SR-GTH, 200 Ry, PBE without D3): the virial trace against the finite
// difference of the two energies, −dE/dε.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFrame } from '../../src/core/atoms.ts';
import { cp2kInput } from '../../src/backend/labelers/cp2k-input.ts';
import { cp2kSettings } from '../../src/backend/labelers/cp2k-settings.ts';
import { parseCp2kOutput, parseCp2kStress } from '../../src/backend/labelers/cp2k-output.ts';
import { labeledExtxyz } from '../../src/backend/export/extxyz.ts';
import { readExtxyz } from '../../src/core/io/extxyz.ts';

const fixture = (a: string): string => readFileSync(join(import.meta.dirname, 'fixtures', `cp2k-cu2-a${a}-stress.out`), 'utf8');
/** The 2-atom tetragonal Cu cell (fcc with lattice constant a) of the fixtures, Å. */
const cell = (a: number): ReturnType<typeof makeFrame> => {
  const b = a / Math.SQRT2;
  return makeFrame(['Cu', 'Cu'], [0, 0, 0, b / 2, b / 2, a / 2], [b, 0, 0, 0, b, 0, 0, 0, a], [true, true, true]);
};
const volume = (a: number): number => (a * a / 2) * a;

describe('CP2K virial of periodic cells', () => {
  it('asks for the analytical stress tensor for periodic cells only', () => {
    const data = { dataDir: '/d', basisFiles: ['/d/BASIS_MOLOPT'], potentialFile: '/d/GTH_POTENTIALS', valence: { Cu: 11 } };
    const s = cp2kSettings();
    const bulk = cp2kInput(cell(3.6), s, data).text;
    expect(bulk).toMatch(/^\s*STRESS_TENSOR ANALYTICAL$/m);
    expect(bulk).toMatch(/&STRESS_TENSOR ON/);
    const cluster = cp2kInput(makeFrame(['Cu', 'Cu'], [0, 0, 0, 0, 0, 2.2]), s, data).text;
    expect(cluster).not.toMatch(/STRESS_TENSOR/);
  });

  it('parses the stress (GPa → bar) and gives a virial whose trace matches −dE/dε of two real runs', () => {
    const s50 = parseCp2kStress(fixture('3.50'))!;
    expect(s50[0]).toBeCloseTo(2.13568507774e1 * 1e4, 4); // bar
    expect(s50[8]).toBeCloseTo(3.06973595236e1 * 1e4, 4);
    const r50 = parseCp2kOutput(fixture('3.50'), 2, volume(3.5));
    const r52 = parseCp2kOutput(fixture('3.52'), 2, volume(3.52));
    expect(r50.status).toBe('ok');
    expect(r52.status).toBe('ok');
    if (r50.status !== 'ok' || r52.status !== 'ok') return;
    for (const r of [r50, r52]) {
      expect(r.virial!).toHaveLength(9);
      for (const [i, j] of [[1, 3], [2, 6], [5, 7]]) expect(r.virial![i]).toBeCloseTo(r.virial![j], 8);
    }
    // Compressed cell (Cu's PBE lattice constant is ≈ 3.63 Å): positive virial, as DeePMD's W = −∂E/∂ε.
    expect(r50.virial![0]).toBeGreaterThan(0);
    const tr = (w: Float64Array): number => w[0] + w[4] + w[8];
    // Uniform strain ε = da/a: dE/dε = −tr(W), at the midpoint a = 3.51 Å.
    const dEdEps = (r52.energy - r50.energy) / (0.02 / 3.51);
    const trMid = (tr(r50.virial!) + tr(r52.virial!)) / 2;
    console.log(`tr W(3.50)=${tr(r50.virial!).toFixed(4)} eV, tr W(3.52)=${tr(r52.virial!).toFixed(4)} eV, mean ${trMid.toFixed(4)}; −dE/dε=${(-dEdEps).toFixed(4)} eV`);
    expect(Math.abs(trMid + dEdEps)).toBeLessThan(0.02 * Math.abs(dEdEps));
    // Without a volume (a cluster) no virial; a periodic run without a stress block is a failed label.
    const cluster = parseCp2kOutput(fixture('3.50'), 2);
    expect(cluster.status === 'ok' && cluster.virial).toBeNull();
    const noStress = fixture('3.50').replace(/STRESS\|.*\n/g, '');
    const failed = parseCp2kOutput(noStress, 2, volume(3.5));
    expect(failed.status === 'failed' && failed.reason).toMatch(/no stress tensor/);
  });

  it('exports the virial (eV) and the stress (eV/Å³, ASE sign −W/V) in extxyz', () => {
    const r = parseCp2kOutput(fixture('3.50'), 2, volume(3.5));
    if (r.status !== 'ok') throw new Error(r.reason);
    const text = labeledExtxyz([{ id: 1, frame: cell(3.5), energy: r.energy, forces: r.forces, virial: r.virial!, calculator: 'cp2k' }]);
    const back = readExtxyz(text)[0];
    const w = String(back.info!.virial).split(/\s+/).map(Number);
    const st = String(back.info!.stress).split(/\s+/).map(Number);
    for (let k = 0; k < 9; k++) {
      expect(w[k]).toBeCloseTo(r.virial![k], 8);
      expect(st[k]).toBeCloseTo(-r.virial![k] / volume(3.5), 10);
    }
  });
});
