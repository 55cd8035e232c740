/**
 * Initial velocities: Maxwell–Boltzmann at temperature T, with zero total momentum, zero angular
 * momentum for open clusters, rescaled so the instantaneous temperature is exactly T.
 *
 * Units: T in K, masses amu, positions Å, velocities Å/fs.
 * Each component is drawn from N(0, k_B T / m) (Maxwell–Boltzmann; e.g. Frenkel & Smit §4.1),
 * then the centre-of-mass velocity and (cluster) the rigid rotation ω = I⁻¹ L are subtracted,
 * and the rest is scaled to T with the matching degrees of freedom (thermo.ts).
 */
import type { Frame } from '../atoms.ts';
import { inv3, masses as frameMasses } from '../atoms.ts';
import { Rng } from '../random.ts';
import { AMU_A2_PER_FS2_IN_EV, KB_EV_PER_K } from '../units.ts';
import { degreesOfFreedom, isCluster, kineticEnergy, temperature } from './thermo.ts';

/** Total momentum Σ m v, amu·Å/fs. */
export function totalMomentum(masses: ArrayLike<number>, v: ArrayLike<number>): [number, number, number] {
  const p: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < masses.length; i++) for (let k = 0; k < 3; k++) p[k] += masses[i] * v[3 * i + k];
  return p;
}

/** Centre of mass, Å. */
export function centreOfMass(masses: ArrayLike<number>, x: ArrayLike<number>): [number, number, number] {
  const c: [number, number, number] = [0, 0, 0];
  let mt = 0;
  for (let i = 0; i < masses.length; i++) {
    mt += masses[i];
    for (let k = 0; k < 3; k++) c[k] += masses[i] * x[3 * i + k];
  }
  return [c[0] / mt, c[1] / mt, c[2] / mt];
}

/** Angular momentum about the centre of mass, L = Σ m (r − r_cm) × v, amu·Å²/fs. */
export function angularMomentum(masses: ArrayLike<number>, x: ArrayLike<number>, v: ArrayLike<number>): [number, number, number] {
  const c = centreOfMass(masses, x);
  const L: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < masses.length; i++) {
    const rx = x[3 * i] - c[0], ry = x[3 * i + 1] - c[1], rz = x[3 * i + 2] - c[2];
    const vx = v[3 * i], vy = v[3 * i + 1], vz = v[3 * i + 2];
    L[0] += masses[i] * (ry * vz - rz * vy);
    L[1] += masses[i] * (rz * vx - rx * vz);
    L[2] += masses[i] * (rx * vy - ry * vx);
  }
  return L;
}

/** Subtract the centre-of-mass velocity in place, so Σ m v = 0. */
export function removeMomentum(masses: ArrayLike<number>, v: Float64Array): void {
  const p = totalMomentum(masses, v);
  let mt = 0;
  for (let i = 0; i < masses.length; i++) mt += masses[i];
  for (let i = 0; i < masses.length; i++) for (let k = 0; k < 3; k++) v[3 * i + k] -= p[k] / mt;
}

/**
 * Subtract the rigid rotation in place, v_i −= ω × (r_i − r_cm) with I ω = L (inertia tensor
 * about the centre of mass), so L = 0. A collinear set (dimer) uses ω = L / Σ m r⊥² (L ⊥ axis).
 * Leaves the total momentum unchanged.
 */
export function removeAngularMomentum(masses: ArrayLike<number>, x: ArrayLike<number>, v: Float64Array): void {
  const n = masses.length;
  if (n < 2) return;
  const c = centreOfMass(masses, x);
  const L = angularMomentum(masses, x, v);
  const I = new Float64Array(9);
  let trace = 0;
  for (let i = 0; i < n; i++) {
    const r = [x[3 * i] - c[0], x[3 * i + 1] - c[1], x[3 * i + 2] - c[2]];
    const r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
    trace += masses[i] * r2;
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) I[3 * a + b] += masses[i] * ((a === b ? r2 : 0) - r[a] * r[b]);
  }
  if (trace === 0) return;
  let w: number[];
  const det = I[0] * (I[4] * I[8] - I[5] * I[7]) - I[1] * (I[3] * I[8] - I[5] * I[6]) + I[2] * (I[3] * I[7] - I[4] * I[6]);
  if (Math.abs(det) < 1e-10 * trace ** 3) {
    // collinear: I = (Σ m r²)(1 − n nᵀ) and L ⊥ n, so ω = L / Σ m r²
    w = [L[0] / trace, L[1] / trace, L[2] / trace];
  } else {
    const inv = inv3(I);
    w = [0, 1, 2].map((a) => inv[3 * a] * L[0] + inv[3 * a + 1] * L[1] + inv[3 * a + 2] * L[2]);
  }
  for (let i = 0; i < n; i++) {
    const rx = x[3 * i] - c[0], ry = x[3 * i + 1] - c[1], rz = x[3 * i + 2] - c[2];
    v[3 * i] -= w[1] * rz - w[2] * ry;
    v[3 * i + 1] -= w[2] * rx - w[0] * rz;
    v[3 * i + 2] -= w[0] * ry - w[1] * rx;
  }
}

/** Options of maxwellBoltzmannVelocities. */
export interface MaxwellBoltzmannOptions {
  /** Remove the rigid rotation (default: true for an open cluster, false with any pbc). */
  zeroAngularMomentum?: boolean;
  /** Rescale to exactly T (default true). */
  exactTemperature?: boolean;
}

/**
 * Maxwell–Boltzmann velocities (Å/fs, length 3N) at temperature T (K) for `frame`, drawn from
 * `rng` (an Rng or a seed). Total momentum is zero; for an open cluster the angular momentum is
 * zero too; then the velocities are scaled so that 2K / (f k_B) = T exactly with
 * f = 3N − 3 (momentum removed) or 3N − 6 (cluster, both removed) — see thermo.ts.
 */
export function maxwellBoltzmannVelocities(frame: Frame, temperatureK: number, rng: Rng | number, opts: MaxwellBoltzmannOptions = {}): Float64Array {
  if (!(temperatureK >= 0) || !Number.isFinite(temperatureK)) throw new Error(`temperature must be ≥ 0 K, got ${temperatureK}`);
  const r = typeof rng === 'number' ? new Rng(rng) : rng;
  const m = frameMasses(frame);
  const n = m.length;
  const v = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    // σ_v = sqrt(k_B T / m), with m in amu converted to eV·fs²/Å².
    const s = Math.sqrt((KB_EV_PER_K * temperatureK) / (m[i] * AMU_A2_PER_FS2_IN_EV));
    for (let k = 0; k < 3; k++) v[3 * i + k] = s * r.normal();
  }
  removeMomentum(m, v);
  const angular = opts.zeroAngularMomentum ?? isCluster(frame);
  if (angular) removeAngularMomentum(m, frame.positions, v);
  if (opts.exactTemperature ?? true) {
    const f = degreesOfFreedom(n, { momentumFixed: true, angularFixed: angular });
    const t = temperature(kineticEnergy(m, v), f);
    const lambda = t > 0 ? Math.sqrt(temperatureK / t) : 0;
    for (let k = 0; k < v.length; k++) v[k] *= lambda;
  }
  return v;
}

/** A copy of `frame` with Maxwell–Boltzmann velocities at T (K) (see maxwellBoltzmannVelocities). */
export function withMaxwellBoltzmann(frame: Frame, temperatureK: number, rng: Rng | number, opts: MaxwellBoltzmannOptions = {}): Frame {
  return { ...frame, velocities: maxwellBoltzmannVelocities(frame, temperatureK, rng, opts) };
}
