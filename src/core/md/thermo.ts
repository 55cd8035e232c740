/**
 * Thermodynamic observables of an MD state: kinetic energy, temperature, pressure.
 *
 * Units: masses amu, velocities Å/fs, energies eV, temperature K, volume Å³,
 * pressure eV/Å³ (and bar via units.ts). Virial convention of calculator.ts: W = −∂E/∂ε.
 */
import type { Frame } from '../atoms.ts';
import { cellVolume } from '../atoms.ts';
import { AMU_A2_PER_FS2_IN_EV, KB_EV_PER_K, evPerA3ToBar } from '../units.ts';

/** Kinetic energy K = ½ Σ m v² (eV) for masses in amu and velocities in Å/fs. */
export function kineticEnergy(masses: ArrayLike<number>, velocities: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < masses.length; i++) {
    const vx = velocities[3 * i], vy = velocities[3 * i + 1], vz = velocities[3 * i + 2];
    s += masses[i] * (vx * vx + vy * vy + vz * vz);
  }
  return 0.5 * s * AMU_A2_PER_FS2_IN_EV;
}

/** Kinetic tensor Σ_i m_i v_ia v_ib (eV, row-major 3×3; its trace is 2K). */
export function kineticTensor(masses: ArrayLike<number>, velocities: ArrayLike<number>): Float64Array {
  const t = new Float64Array(9);
  for (let i = 0; i < masses.length; i++) {
    const m = masses[i] * AMU_A2_PER_FS2_IN_EV;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) t[3 * a + b] += m * velocities[3 * i + a] * velocities[3 * i + b];
  }
  return t;
}

/** Options of degreesOfFreedom: which conserved quantities were removed from the velocities. */
export interface DofOptions {
  /** Total momentum is held at zero (3 constraints). */
  momentumFixed: boolean;
  /** Angular momentum is held at zero (3 constraints, 2 for a linear dimer); only meaningful for an open cluster. */
  angularFixed: boolean;
}

/**
 * Number of kinetic degrees of freedom f of N atoms, used in T = 2K / (f k_B):
 *   3N                 nothing constrained (e.g. Langevin without centre-of-mass fixing);
 *   3N − 3             total momentum zero (periodic systems, slabs, or any system whose
 *                      integrator conserves momentum after it was zeroed);
 *   3N − 6 (3N − 5)    open cluster with momentum AND angular momentum zero (dimer: 1, one atom: 0).
 * Equipartition gives ⟨K⟩ = f k_B T / 2 on the constrained velocity subspace.
 */
export function degreesOfFreedom(natoms: number, opts: DofOptions): number {
  let f = 3 * natoms;
  if (opts.momentumFixed) f -= 3;
  if (opts.angularFixed) f -= natoms === 2 ? 2 : natoms >= 3 ? 3 : 0;
  return Math.max(0, f);
}

/** True for an open cluster (no periodic direction): angular momentum is conserved. */
export function isCluster(frame: Pick<Frame, 'pbc'>): boolean {
  return !frame.pbc.some(Boolean);
}

/**
 * Degrees of freedom when momentum (and, for an open cluster, angular momentum) has been
 * removed and is conserved by the dynamics (NVE, Nosé–Hoover, CSVR, Berendsen).
 */
export function conservedDof(frame: Pick<Frame, 'pbc' | 'symbols'>): number {
  return degreesOfFreedom(frame.symbols.length, { momentumFixed: true, angularFixed: isCluster(frame) });
}

/** Instantaneous temperature T = 2K / (f k_B), K (0 when f = 0). K in eV. */
export function temperature(kineticEnergyEv: number, dof: number): number {
  return dof > 0 ? (2 * kineticEnergyEv) / (dof * KB_EV_PER_K) : 0;
}

/**
 * Instantaneous pressure tensor P_ab = (Σ m v_a v_b + W_ab) / V (eV/Å³), from the kinetic tensor
 * (eV) and the virial W = −∂E/∂ε (eV); volume in Å³ (Allen & Tildesley, eq. 2.61 tensor form).
 */
export function pressureTensor(kinetic: ArrayLike<number>, virial: ArrayLike<number>, volumeA3: number): Float64Array {
  const p = new Float64Array(9);
  for (let k = 0; k < 9; k++) p[k] = (kinetic[k] + virial[k]) / volumeA3;
  return p;
}

/**
 * Instantaneous scalar pressure P = (2K + tr W) / (3V), eV/Å³ (K in eV, W in eV, V in Å³).
 * Uses the full kinetic energy (no correction for the 3 removed momentum degrees of freedom).
 */
export function pressure(kineticEnergyEv: number, virial: ArrayLike<number>, volumeA3: number): number {
  return (2 * kineticEnergyEv + virial[0] + virial[4] + virial[8]) / (3 * volumeA3);
}

/** Instantaneous pressure of a periodic frame (bar) from masses (amu), its velocities and the virial (eV). */
export function framePressureBar(frame: Frame, masses: ArrayLike<number>, virial: ArrayLike<number>): number {
  const v = frame.velocities ?? new Float64Array(frame.positions.length);
  return evPerA3ToBar(pressure(kineticEnergy(masses, v), virial, cellVolume(frame)));
}
