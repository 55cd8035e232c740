/**
 * Langevin dynamics (NVT) by the BAOAB splitting (Leimkuhler & Matthews, Appl. Math. Res.
 * Express. 2013, 34; J. Chem. Phys. 138, 174102 (2013)):
 *   B: v += (dt/2) F/m    A: x += (dt/2) v
 *   O: v = c₁ v + √((1 − c₁²) k_B T / m) ξ,  c₁ = exp(−γ dt),  ξ ~ N(0, 1)   (exact OU solution)
 *   A: x += (dt/2) v      [new forces]      B: v += (dt/2) F/m
 * Samples the canonical distribution of positions with O(dt²) error (superconvergent in the
 * harmonic limit); the velocities at the end of the step carry an O(dt²) bias as well.
 *
 * With `fixCm` (default true, as ASE's Langevin) the centre-of-mass velocity is removed after the
 * O step, so the cluster/crystal does not diffuse; the momentum subspace then has f = 3N − 3
 * (angular momentum is NOT conserved by the random forces, so clusters also have 3N − 3).
 *
 * Units: T in K, friction γ in 1/fs, dt in fs. The random stream lives in the state (seeded).
 */
import type { Frame } from '../atoms.ts';
import type { CalcResult, Calculator } from '../potentials/calculator.ts';
import { Rng, type RngState } from '../random.ts';
import { AMU_A2_PER_FS2_IN_EV, KB_EV_PER_K } from '../units.ts';
import type { BaseMdParams, Integrator, MdState } from './state.ts';
import { advanced, copyState, drift, halfKick, initialState, stateKinetic, vel, withResult, workConservingIntegrator } from './state.ts';
import { degreesOfFreedom } from './thermo.ts';
import { removeMomentum } from './velocities.ts';

export interface LangevinParams extends BaseMdParams {
  /** Target temperature, K. */
  temperatureK: number;
  /** Friction γ, 1/fs (> 0); 1/γ is the velocity relaxation time. Default 0.01 fs⁻¹ (100 fs). */
  frictionPerFs?: number;
  /** Seed of the random stream (default 1). */
  seed?: number;
  /** Remove the centre-of-mass velocity after each random kick (default true). */
  fixCm?: boolean;
}

export interface LangevinState extends MdState {
  temperatureK: number;
  frictionPerFs: number;
  fixCm: boolean;
  /** Random stream snapshot: restored, advanced and stored again every step. */
  rng: RngState;
  /** Energy removed by the thermostat so far, eV (for the conserved "effective energy"). */
  thermostatWork: number;
}

/** Initial Langevin state (forces evaluated once). T in K, γ in 1/fs, dt in fs. */
export function initLangevin(frame: Frame, calc: Calculator, p: LangevinParams): LangevinState {
  if (!(p.temperatureK >= 0)) throw new Error(`Langevin temperature must be ≥ 0 K, got ${p.temperatureK}`);
  const gamma = p.frictionPerFs ?? 0.01;
  if (!(gamma > 0) || !Number.isFinite(gamma)) throw new Error(`Langevin friction must be > 0 (1/fs), got ${gamma}`);
  const fixCm = p.fixCm ?? true;
  const s = initialState(frame, calc, p.dt, 0);
  if (fixCm) removeMomentum(s.masses, vel(s));
  s.dof = degreesOfFreedom(s.masses.length, { momentumFixed: fixCm, angularFixed: false });
  return { ...s, temperatureK: p.temperatureK, frictionPerFs: gamma, fixCm, rng: new Rng(p.seed ?? 1).state(), thermostatWork: 0 };
}

/** O step in place: exact Ornstein–Uhlenbeck update of the velocities over time h (fs). */
function ornsteinUhlenbeck(s: LangevinState, rng: Rng, h: number): void {
  const v = vel(s);
  const c1 = Math.exp(-s.frictionPerFs * h);
  const kt = KB_EV_PER_K * s.temperatureK;
  for (let i = 0; i < s.masses.length; i++) {
    const sig = Math.sqrt(((1 - c1 * c1) * kt) / (s.masses[i] * AMU_A2_PER_FS2_IN_EV));
    for (let k = 0; k < 3; k++) v[3 * i + k] = c1 * v[3 * i + k] + sig * rng.normal();
  }
  if (s.fixCm) removeMomentum(s.masses, v);
}

/** B A O A: everything up to the new positions. */
export function langevinAdvance(s: LangevinState): LangevinState {
  const n = copyState(s);
  const h = n.dt / 2;
  halfKick(n);
  drift(n.frame.positions, vel(n), h);
  const rng = Rng.restore(n.rng);
  const k0 = stateKinetic(n);
  ornsteinUhlenbeck(n, rng, n.dt);
  n.thermostatWork += k0 - stateKinetic(n);
  n.rng = rng.state();
  drift(n.frame.positions, vel(n), h);
  return advanced(n);
}

/** Final B with the new forces. */
export function langevinComplete(s: LangevinState, res: CalcResult): LangevinState {
  const n = withResult(copyState(s), res);
  halfKick(n);
  return n;
}

export const langevin: Integrator<LangevinState> = workConservingIntegrator('Langevin BAOAB (NVT)', langevinAdvance, langevinComplete);
