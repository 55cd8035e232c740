// Real CP2K on a Cu dimer with a tiny setting (DZVP-MOLOPT-SR-GTH, 200 Ry / rel 40, 5 Å vacuum):
// two distances, each one cp2k run (~10 s on 1 core). CP2K must be installed (Debian: apt-get install
// cp2k; `npm test` installs it as root on Debian).
import { describe, expect, it } from 'vitest';
import { makeFrame } from '../../src/core/atoms.ts';
import { Cp2kLabeler } from '../../src/backend/labelers/cp2k.ts';
import { labelFrame } from '../../src/backend/labelers/labeler.ts';
import { findCp2k, findCp2kDataDir, gthValence } from '../../src/backend/labelers/cp2k-data.ts';
import { cp2kInput } from '../../src/backend/labelers/cp2k-input.ts';
import { cp2kSettings } from '../../src/backend/labelers/cp2k-settings.ts';
import { parseCp2kOutput } from '../../src/backend/labelers/cp2k-output.ts';

const TINY = { basis: 'DZVP-MOLOPT-SR-GTH', cutoff: 200, relCutoff: 40, vacuum: 5, maxScf: 100 };

describe('CP2K input and output', () => {
  it('uses the paper settings by default and UKS for an odd electron count', () => {
    const s = cp2kSettings();
    expect(s.cutoff).toBe(800);
    expect(s.basis).toBe('TZV2P-MOLOPT-SR-GTH');
    const data = { dataDir: '/d', basisFiles: ['/d/BASIS_MOLOPT'], potentialFile: '/d/GTH_POTENTIALS', valence: { Cu: 11 } };
    const one = cp2kInput(makeFrame(['Cu'], [0, 0, 0]), s, data);
    expect(one.electrons).toBe(11);
    expect(one.multiplicity).toBe(2);
    expect(one.text).toMatch(/UKS \.TRUE\./);
    expect(one.text).toMatch(/METHOD FERMI_DIRAC/);
    expect(one.text).toMatch(/METHOD BROYDEN_MIXING/);
    expect(one.text).toMatch(/TYPE DFTD3/);
    expect(one.text).toMatch(/EPS_SCF 1e-6/);
    expect(one.text).toMatch(/ADDED_MOS \d+/);
    expect(one.cell[0]).toBeCloseTo(10, 12);
    const two = cp2kInput(makeFrame(['Cu', 'Cu'], [0, 0, 0, 0, 0, 2.2]), s, data);
    expect(two.multiplicity).toBe(1);
    expect(two.text).not.toMatch(/UKS/);
    expect(two.cell[0]).toBeCloseTo(12.2, 12);
  });

  it('reads valence counts from GTH_POTENTIALS', () => {
    const text = 'Cu GTH-PBE-q11 GTH-PBE\n    1    0   10\n';
    expect(gthValence(text, 'Cu', 'GTH-PBE')).toBe(11);
    expect(gthValence(text, 'Ag', 'GTH-PBE')).toBeNull();
  });

  it('turns a non-converged SCF into a failed label with the reason', () => {
    const o = parseCp2kOutput('  Leaving inner SCF loop after reaching    3 steps.\n *** SCF run NOT converged ***\n', 2);
    expect(o.status).toBe('failed');
    expect(o.status === 'failed' && o.reason).toMatch(/SCF not converged/);
    expect(parseCp2kOutput('garbage', 2).status).toBe('failed');
  });
});

describe('CP2K labeler (real cp2k run)', () => {
  it('finds cp2k and its data files', () => {
    expect(findCp2k(), 'cp2k not on PATH: apt-get install cp2k').not.toBeNull();
    expect(findCp2kDataDir(), 'CP2K data (GTH_POTENTIALS) not found: apt-get install cp2k-data').not.toBeNull();
  });

  it('labels a Cu dimer; forces are equal and opposite, in eV/Å, consistent with dE/dr', async () => {
    const lab = Cp2kLabeler.create(TINY);
    const t0 = performance.now();
    const d1 = 2.2, d2 = 2.3;
    const a = await labelFrame(lab, makeFrame(['Cu', 'Cu'], [0, 0, 0, 0, 0, d1]));
    const b = await labelFrame(lab, makeFrame(['Cu', 'Cu'], [0, 0, 0, 0, 0, d2]));
    const seconds = (performance.now() - t0) / 1000;
    console.log(`CP2K Cu dimer: 2 runs in ${seconds.toFixed(1)} s`);
    expect(a.status, a.status === 'failed' ? a.reason : '').toBe('ok');
    expect(b.status, b.status === 'failed' ? b.reason : '').toBe('ok');
    if (a.status !== 'ok' || b.status !== 'ok') return;
    // ~ −96 Hartree ≈ −2615 eV for 22 valence electrons.
    expect(a.energy).toBeLessThan(-2000);
    expect(a.energy).toBeGreaterThan(-3000);
    for (const r of [a, b]) {
      expect(Math.abs(r.forces[0]) + Math.abs(r.forces[1])).toBeLessThan(1e-3);
      expect(r.forces[2] + r.forces[5]).toBeCloseTo(0, 2);
    }
    // Finite difference: F_z(atom 2) ≈ −dE/dr at the midpoint; check sign and magnitude.
    const fd = -(b.energy - a.energy) / (d2 - d1);
    const mid = (b.forces[5] + a.forces[5]) / 2;
    console.log(`E(${d1})=${a.energy.toFixed(5)} eV E(${d2})=${b.energy.toFixed(5)} eV; −dE/dr=${fd.toFixed(4)} eV/Å; mean F_z=${mid.toFixed(4)} eV/Å`);
    expect(Math.sign(mid)).toBe(Math.sign(fd));
    expect(Math.abs(mid - fd)).toBeLessThan(0.15 * Math.abs(fd) + 0.05);
  });

  it('reports an unconverged SCF (MAX_SCF 2) as a failed label with the reason', async () => {
    const lab = Cp2kLabeler.create({ ...TINY, maxScf: 2 });
    const r = await labelFrame(lab, makeFrame(['Cu', 'Cu'], [0, 0, 0, 0, 0, 2.2]));
    expect(r.status).toBe('failed');
    expect(r.status === 'failed' && r.reason).toMatch(/SCF not converged/);
  });
});
