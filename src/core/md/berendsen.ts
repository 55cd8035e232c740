/**
 * Berendsen weak-coupling thermostat — Berendsen, Postma, van Gunsteren, DiNola & Haak,
 * J. Chem. Phys. 81, 3684 (1984), eq. (11):
 *   λ = √(1 + (dt/τ)(T₀/T − 1)),   v ← λ v  after each velocity Verlet step.
 *
 * NOT CANONICAL: it drives T to T₀ exponentially with time constant τ but suppresses the
 * kinetic-energy fluctuations (Var K → 0 as τ → dt), so it samples no known ensemble and can
 * produce the "flying ice cube". Use it to equilibrate quickly, then switch to Langevin, Nosé–
 * Hoover or CSVR for averages. Units: T in K, τ and dt in fs.
 */
import type { Frame } from '../atoms.ts';
import type { CalcResult, Calculator } from '../potentials/calculator.ts';
import type { BaseMdParams, Integrator, MdState } from './state.ts';
import { advanced, copyState, halfKick, halfKickDrift, initialStateConserving, scaleVelocities, stateKinetic, vel, withResult, workConservingIntegrator } from './state.ts';
import { temperature } from './thermo.ts';

export interface BerendsenParams extends BaseMdParams {
  /** Target temperature, K. */
  temperatureK: number;
  /** Coupling time τ, fs (≥ dt; default 100 fs). */
  tauFs?: number;
  /** Zero total (and cluster angular) momentum initially (default true). */
  zeroMomentum?: boolean;
}

export interface BerendsenState extends MdState {
  temperatureK: number;
  tauFs: number;
  thermostatWork: number;
}

/** Initial Berendsen state (forces evaluated once). */
export function initBerendsen(frame: Frame, calc: Calculator, p: BerendsenParams): BerendsenState {
  const tau = p.tauFs ?? 100;
  if (!(tau >= p.dt)) throw new Error(`Berendsen τ must be ≥ dt (${p.dt} fs), got ${tau}`);
  if (!(p.temperatureK >= 0)) throw new Error(`Berendsen temperature must be ≥ 0 K, got ${p.temperatureK}`);
  const s = initialStateConserving(frame, calc, p.dt, p.zeroMomentum ?? true);
  return { ...s, temperatureK: p.temperatureK, tauFs: tau, thermostatWork: 0 };
}

/** B(dt/2) · A(dt). */
export function berendsenAdvance(s: BerendsenState): BerendsenState {
  const n = copyState(s);
  halfKickDrift(n);
  return advanced(n);
}

/** B(dt/2), then the rescaling v ← λ v. */
export function berendsenComplete(s: BerendsenState, res: CalcResult): BerendsenState {
  const n = withResult(copyState(s), res);
  halfKick(n);
  const k = stateKinetic(n);
  const t = temperature(k, n.dof);
  if (t > 0) {
    const lambda = Math.sqrt(Math.max(0, 1 + (n.dt / n.tauFs) * (n.temperatureK / t - 1)));
    scaleVelocities(vel(n), lambda);
    n.thermostatWork += k * (1 - lambda * lambda);
  }
  return n;
}

export const berendsen: Integrator<BerendsenState> = workConservingIntegrator('Berendsen (NVT, not canonical)', berendsenAdvance, berendsenComplete);
