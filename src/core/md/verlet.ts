/**
 * Velocity Verlet, microcanonical (NVE) (Swope, Andersen, Berens & Wilson, J. Chem. Phys. 76,
 * 637 (1982)):
 *   v(t+dt/2) = v(t) + (dt/2) F(t)/m;  x(t+dt) = x(t) + dt v(t+dt/2)      ← advance
 *   v(t+dt)   = v(t+dt/2) + (dt/2) F(t+dt)/m                               ← complete
 * Symplectic and time-reversible; conserves momentum and angular momentum exactly for
 * translation/rotation-invariant forces. Time in fs, see state.ts for units.
 */
import type { Frame } from '../atoms.ts';
import type { CalcResult, Calculator } from '../potentials/calculator.ts';
import type { BaseMdParams, Integrator, MdState } from './state.ts';
import { advanced, copyState, halfKick, halfKickDrift, initialStateConserving, stateKinetic, withResult } from './state.ts';

export interface VerletParams extends BaseMdParams {
  /** Zero the total (and cluster angular) momentum of the initial velocities (default true). */
  zeroMomentum?: boolean;
}

export type VerletState = MdState;

/** Initial NVE state: evaluates the forces at `frame` once. dt in fs. */
export function initVerlet(frame: Frame, calc: Calculator, params: VerletParams): VerletState {
  return initialStateConserving(frame, calc, params.dt, params.zeroMomentum ?? true);
}

/** Half kick then full drift (needs new forces afterwards). */
export function verletAdvance(s: VerletState): VerletState {
  const n = copyState(s);
  halfKickDrift(n);
  return advanced(n);
}

/** Second half kick with the forces at the new positions. */
export function verletComplete(s: VerletState, res: CalcResult): VerletState {
  const n = withResult(copyState(s), res);
  halfKick(n);
  return n;
}

/** One NVE step with a synchronous calculator. */
export function verletStep(s: VerletState, calc: Calculator): VerletState {
  const a = verletAdvance(s);
  return verletComplete(a, calc.compute(a.frame));
}

export const verlet: Integrator<VerletState> = {
  name: 'velocity Verlet (NVE)',
  advance: verletAdvance,
  complete: verletComplete,
  targetTemperature: () => undefined,
  conservedEnergy: (s) => s.potentialEnergy + stateKinetic(s),
};
