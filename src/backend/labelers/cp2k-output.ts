/**
 * Parse a CP2K ENERGY_FORCE output: the total FORCE_EVAL energy (Hartree → eV) and the ATOMIC
 * FORCES block (Hartree/Bohr → eV/Å), or the reason the run is unusable (SCF not converged,
 * an ABORT message, missing results).
 */
import { BOHR_ANGSTROM, HARTREE_EV } from '../../core/units.ts';
import type { LabelOutcome } from '../store/labels.ts';

/** Hartree/Bohr → eV/Å. */
export const HARTREE_PER_BOHR_IN_EV_PER_A = HARTREE_EV / BOHR_ANGSTROM;

/** Outcome of a CP2K run with `natoms` atoms from its main output text. */
export function parseCp2kOutput(text: string, natoms: number): LabelOutcome {
  if (/SCF run NOT converged/i.test(text)) {
    return { status: 'failed', reason: 'SCF not converged (CP2K: "SCF run NOT converged")' };
  }
  const abort = /\*\s+\[ABORT\][\s\S]*?\n((?:\s*\*.*\n){1,6})/.exec(text);
  if (abort) {
    const msg = abort[1].split('\n').map((l) => l.replace(/^\s*\*+\s?/, '').replace(/\s*\*+\s*$/, '').trim()).filter(Boolean).join(' ');
    return { status: 'failed', reason: `CP2K aborted: ${msg || 'see output'}` };
  }
  const em = /ENERGY\|\s+Total FORCE_EVAL \( QS \) energy[^:]*:\s+(-?[\d.]+(?:[EeDd][-+]?\d+)?)/.exec(text);
  if (!em) return { status: 'failed', reason: 'CP2K output has no total energy (run incomplete?)' };
  const energy = Number(em[1].replace(/[dD]/, 'e')) * HARTREE_EV;
  const idx = text.lastIndexOf('ATOMIC FORCES in [a.u.]');
  if (idx < 0) return { status: 'failed', reason: 'CP2K output has no ATOMIC FORCES block' };
  const forces = new Float64Array(3 * natoms);
  const rows = text.slice(idx).split('\n').slice(1);
  let n = 0;
  for (const line of rows) {
    if (/SUM OF ATOMIC FORCES/.test(line) || n === natoms) break;
    const t = line.trim().split(/\s+/);
    if (t.length < 6 || !/^\d+$/.test(t[0])) continue;
    const i = Number(t[0]) - 1;
    if (i < 0 || i >= natoms) return { status: 'failed', reason: `CP2K force block names atom ${i + 1} of ${natoms}` };
    for (let k = 0; k < 3; k++) forces[3 * i + k] = Number(t[3 + k]) * HARTREE_PER_BOHR_IN_EV_PER_A;
    n++;
  }
  if (n !== natoms) return { status: 'failed', reason: `CP2K force block has ${n} atoms, expected ${natoms}` };
  if (!Number.isFinite(energy) || !forces.every(Number.isFinite)) return { status: 'failed', reason: 'CP2K returned a non-finite energy or force' };
  return { status: 'ok', energy, forces, virial: null };
}
