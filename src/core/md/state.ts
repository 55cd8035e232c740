/**
 * The state every MD integrator carries, and the integrator protocol.
 *
 * An integrator is a small state machine split at the one force evaluation of a time step
 * (after JAX-MD's (init_fn, apply_fn) and the architecture's `step(state, forces)`):
 *
 *   s1 = integrator.advance(s0)            // everything before the new forces are needed
 *   s2 = integrator.complete(s1, calc.compute(s1.frame))   // everything after
 *
 * so a driver (CLI, worker, GPU engine with an async calculator) owns the loop and may pause
 * between any two calls. States are values: every call returns a new state and never mutates
 * its argument; random-number streams live in the state as RngState snapshots, so a state can
 * be stored and resumed bit-for-bit.
 *
 * Units: positions Å, velocities Å/fs, masses amu, forces eV/Å, energies eV, time fs.
 */
import type { Frame } from '../atoms.ts';
import { cloneFrame, masses as frameMasses } from '../atoms.ts';
import type { AsyncCalculator, CalcResult, Calculator } from '../potentials/calculator.ts';
import { AMU_A2_PER_FS2_IN_EV } from '../units.ts';
import { conservedDof, degreesOfFreedom, isCluster, kineticEnergy } from './thermo.ts';
import { removeAngularMomentum, removeMomentum } from './velocities.ts';

export interface MdState {
  /** Current configuration; `frame.velocities` (Å/fs) is always set. */
  frame: Frame;
  /** Masses, amu. */
  masses: Float64Array;
  /** Forces at `frame.positions`, eV/Å (stale between advance and complete). */
  forces: Float64Array;
  /** Potential energy at `frame.positions`, eV. */
  potentialEnergy: number;
  /** Virial at `frame.positions`, eV (null if the calculator gives none). */
  virial: Float64Array | null;
  /** Time step, fs. */
  dt: number;
  /** Steps completed. */
  step: number;
  /** Simulated time, fs. */
  time: number;
  /** Kinetic degrees of freedom used for the temperature (see thermo.ts degreesOfFreedom). */
  dof: number;
  /** True between advance() and complete(): positions moved, forces not yet updated. */
  awaitingForces: boolean;
}

export interface Integrator<S extends MdState = MdState> {
  /** Short name, e.g. "velocity Verlet (NVE)". */
  readonly name: string;
  /** First part of a step: returns a state whose frame needs new forces. */
  advance(state: S): S;
  /** Second part of a step, given the calculator result at `state.frame`. */
  complete(state: S, result: CalcResult): S;
  /** Target temperature, K (undefined for NVE). */
  targetTemperature(state: S): number | undefined;
  /** The integrator's conserved quantity (eV): E_tot for NVE, the extended energy otherwise. */
  conservedEnergy(state: S): number;
}

/** One full step with a synchronous calculator: complete(advance(s), calc.compute(...)). */
export function stepWith<S extends MdState>(integrator: Integrator<S>, state: S, calc: Calculator): S {
  const s1 = integrator.advance(state);
  return integrator.complete(s1, calc.compute(s1.frame));
}

/**
 * One full step with an asynchronous calculator (GPU engines): the same two halves, awaiting
 * the forces in between.
 */
export async function stepWithAsync<S extends MdState>(integrator: Integrator<S>, state: S, calc: AsyncCalculator): Promise<S> {
  const s1 = integrator.advance(state);
  return integrator.complete(s1, await calc.compute(s1.frame));
}

/** Options shared by every integrator's init. */
export interface BaseMdParams {
  /** Time step, fs (> 0). */
  dt: number;
}

/**
 * The common part of every init: copy the frame (velocities default to zero), evaluate the
 * forces once, validate the time step.
 */
export function initialState(frame: Frame, calc: Calculator, dt: number, dof: number): MdState {
  if (!(dt > 0) || !Number.isFinite(dt)) throw new Error(`MD time step must be a positive number of fs, got ${dt}`);
  const f = cloneFrame(frame);
  f.velocities = frame.velocities ? new Float64Array(frame.velocities) : new Float64Array(frame.positions.length);
  if (f.velocities.length !== f.positions.length) throw new Error(`velocities have ${f.velocities.length} numbers, expected ${f.positions.length}`);
  const res = calc.compute(f);
  return {
    frame: f,
    masses: frameMasses(f),
    forces: res.forces,
    potentialEnergy: res.energy,
    virial: res.virial ?? null,
    dt,
    step: 0,
    time: 0,
    dof,
    awaitingForces: false,
  };
}

/** Copy of a state with fresh position/velocity arrays (the frame is deep-copied). */
export function copyState<S extends MdState>(s: S): S {
  return { ...s, frame: cloneFrame(s.frame) };
}

/** Velocities of a state's frame (always present after initialState). */
export function vel(s: MdState): Float64Array {
  return s.frame.velocities!;
}

/** Half kick in place: v += (h / m) F, h in fs, F eV/Å, m amu (units.ts accelerationAPerFs2). */
export function kick(v: Float64Array, forces: Float64Array, masses: Float64Array, h: number): void {
  for (let i = 0; i < masses.length; i++) {
    const c = h / (masses[i] * AMU_A2_PER_FS2_IN_EV);
    v[3 * i] += c * forces[3 * i];
    v[3 * i + 1] += c * forces[3 * i + 1];
    v[3 * i + 2] += c * forces[3 * i + 2];
  }
}

/** Drift in place: x += h v (h fs, v Å/fs). */
export function drift(x: Float64Array, v: Float64Array, h: number): void {
  for (let k = 0; k < x.length; k++) x[k] += h * v[k];
}

/** Scale velocities in place by λ. */
export function scaleVelocities(v: Float64Array, lambda: number): void {
  for (let k = 0; k < v.length; k++) v[k] *= lambda;
}

/** Mark the state advanced: positions moved, forces stale. Used by advance(). */
export function advanced<S extends MdState>(s: S): S {
  return { ...s, awaitingForces: true };
}

/**
 * Store a calculator result in a copy of an advanced state and count the step.
 * Throws if the state was not advanced (complete() called twice).
 */
export function withResult<S extends MdState>(s: S, res: CalcResult): S {
  if (!s.awaitingForces) throw new Error('complete() called on a state that was not advanced');
  return {
    ...s,
    forces: res.forces,
    potentialEnergy: res.energy,
    virial: res.virial ?? null,
    step: s.step + 1,
    time: s.time + s.dt,
    awaitingForces: false,
  };
}

/** B(dt/2) in place: half kick with the state's forces. */
export function halfKick(n: MdState): void {
  kick(vel(n), n.forces, n.masses, n.dt / 2);
}

/** B(dt/2) · A(dt) in place: half kick with the current forces, then a full drift (velocity Verlet's first part). */
export function halfKickDrift(n: MdState): void {
  kick(vel(n), n.forces, n.masses, n.dt / 2);
  drift(n.frame.positions, vel(n), n.dt);
}

/** A state of an NVT scheme that books the kinetic energy its thermostat removed (eV). */
export interface ThermostatWorkState extends MdState {
  temperatureK: number;
  thermostatWork: number;
}

/** The Integrator of an NVT scheme whose conserved quantity is E_pot + K + the thermostat's work. */
export function workConservingIntegrator<S extends ThermostatWorkState>(name: string, advance: (s: S) => S, complete: (s: S, res: CalcResult) => S): Integrator<S> {
  return {
    name, advance, complete,
    targetTemperature: (s) => s.temperatureK,
    conservedEnergy: (s) => s.potentialEnergy + stateKinetic(s) + s.thermostatWork,
  };
}

/** Kinetic energy of a state, eV. */
export function stateKinetic(s: MdState): number {
  return kineticEnergy(s.masses, vel(s));
}

/**
 * Init for integrators that conserve total (and, for clusters, angular) momentum — NVE,
 * Nosé–Hoover, CSVR, Berendsen: with `zeroMomentum` (default true) the initial velocities lose
 * their centre-of-mass motion (and rigid rotation for an open cluster) and the temperature uses
 * f = 3N − 3 (3N − 6); without it f = 3N and the velocities are kept as given.
 */
export function initialStateConserving(frame: Frame, calc: Calculator, dt: number, zeroMomentum = true): MdState {
  const s = initialState(frame, calc, dt, 0);
  const v = vel(s);
  const cluster = isCluster(s.frame);
  if (zeroMomentum) {
    removeMomentum(s.masses, v);
    if (cluster) removeAngularMomentum(s.masses, s.frame.positions, v);
  }
  s.dof = zeroMomentum ? conservedDof(s.frame) : degreesOfFreedom(s.masses.length, { momentumFixed: false, angularFixed: false });
  return s;
}
