/**
 * The one calculator protocol of nanostudio (after ASE's Calculator): every potential — LJ,
 * EAM, a DP model, a DP ensemble, a GPU engine — turns a Frame into energy and forces.
 * Drivers (MD, optimizers, BHMC) take a Calculator and never know which one it is.
 *
 * Units: energy eV, forces eV/Å (3N, xyz interleaved), virial eV (row-major 3×3,
 * W = −Σ r_ij ⊗ F_ij convention of DeePMD/LAMMPS: stress = −virial / V).
 */
import type { Frame } from '../atoms.ts';

export interface CalcResult {
  /** Total potential energy, eV. */
  energy: number;
  /** Forces, eV/Å, length 3N. */
  forces: Float64Array;
  /** Virial, eV, row-major 3×3 (length 9). */
  virial?: Float64Array;
  /** Per-atom energies, eV, length N. */
  atomicEnergies?: Float64Array;
  /** Per-atom virials, eV, length 9N. */
  atomicVirials?: Float64Array;
}

export interface Calculator {
  /** A short human-readable name (e.g. "EAM Cu_u3.eam", "LJ eps=1 sigma=1"). */
  readonly name: string;
  /** Compute energy, forces (and virial when available) of a frame. Sync on the CPU path. */
  compute(frame: Frame): CalcResult;
}

/** A calculator whose evaluation is asynchronous (GPU engines). */
export interface AsyncCalculator {
  readonly name: string;
  compute(frame: Frame): Promise<CalcResult>;
  /** Release device resources (GPU buffers); the calculator is unusable afterwards. */
  destroy?(): void;
}
