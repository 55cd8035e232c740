/**
 * Parse a CP2K ENERGY_FORCE output: the total FORCE_EVAL energy (Hartree → eV), the ATOMIC
 * FORCES block (Hartree/Bohr → eV/Å) and, for periodic cells, the stress tensor (→ virial, eV), or the reason the run is unusable (SCF not converged,
 * an ABORT message, missing results).
 */
import { BOHR_ANGSTROM, EV_PER_A3_IN_BAR, HARTREE_EV } from '../../core/units.ts';
import type { LabelOutcome } from '../store/labels.ts';

/** Hartree/Bohr → eV/Å. */
export const HARTREE_PER_BOHR_IN_EV_PER_A = HARTREE_EV / BOHR_ANGSTROM;

/** Pressure units CP2K prints its stress tensor in → bar. */
const STRESS_UNIT_IN_BAR: Record<string, number> = { GPa: 1e4, bar: 1, MPa: 10, atm: 1.01325 };

/**
 * The last stress tensor of a CP2K output (row-major 3×3 in bar, with CP2K's sign: positive when
 * the cell is compressed, 1/3 trace = pressure), or null when none was printed. Reads the
 * "STRESS| Analytical stress tensor [GPa]" block of CP2K ≥ 8 and the older "STRESS TENSOR [GPa]".
 */
export function parseCp2kStress(text: string): Float64Array | null {
  const heads = [...text.matchAll(/STRESS\|\s+(?:Analytical|Numerical) stress tensor \[(\w+)\]|^\s*STRESS TENSOR \[(\w+)\]/gm)];
  const head = heads.at(-1);
  if (!head) return null;
  const unit = head[1] ?? head[2];
  const toBar = STRESS_UNIT_IN_BAR[unit];
  if (toBar === undefined) throw new Error(`CP2K stress tensor in unknown unit [${unit}]`);
  const out = new Float64Array(9);
  let row = 0;
  for (const line of text.slice(head.index! + head[0].length).split('\n').slice(1, 8)) {
    const m = /^\s*(?:STRESS\|)?\s*([xyzXYZ])\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (!m) continue;
    const i = 'xyz'.indexOf(m[1].toLowerCase());
    for (let k = 0; k < 3; k++) out[3 * i + k] = Number(m[2 + k].replace(/[dD]/, 'e')) * toBar;
    row++;
    if (row === 3) break;
  }
  if (row !== 3 || !out.every(Number.isFinite)) throw new Error('CP2K stress tensor block is incomplete');
  return out;
}

/**
 * Virial, eV (row-major 3×3, DeePMD convention W = −∂E/∂ε), from CP2K's stress tensor (bar, CP2K
 * sign: positive = compressed) and the cell volume (Å³): W = σ_CP2K·V. (ASE's stress is −σ_CP2K,
 * so this is the W = −σ_ASE·V of DeePMD/ASE.)
 */
export function virialFromCp2kStress(stressBar: Float64Array, volumeA3: number): Float64Array {
  return stressBar.map((x) => (x / EV_PER_A3_IN_BAR) * volumeA3);
}

/**
 * Outcome of a CP2K run with `natoms` atoms from its main output text. With the cell volume (Å³)
 * of a periodic frame, a printed stress tensor becomes the label's virial (eV).
 */
export function parseCp2kOutput(text: string, natoms: number, volumeA3: number | null = null): LabelOutcome {
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
  let virial: Float64Array | null = null;
  if (volumeA3 !== null) {
    try {
      const stress = parseCp2kStress(text);
      if (!stress) return { status: 'failed', reason: 'CP2K output has no stress tensor (STRESS_TENSOR ANALYTICAL was requested for this periodic cell)' };
      virial = virialFromCp2kStress(stress, volumeA3);
    } catch (e) {
      return { status: 'failed', reason: (e as Error).message };
    }
  }
  return { status: 'ok', energy, forces, virial };
}
