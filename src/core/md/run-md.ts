/**
 * A small MD driver: steps an integrator N times with a synchronous calculator, calls an
 * observer after every step, saves a frame every K steps, and stops with MdExplosionError when
 * the simulation blows up. The loop is the caller's to pause: the observer may return 'stop'
 * and the returned state resumes exactly where it stopped (integrator states are values).
 *
 * Blow-up criteria (checked every step): non-finite positions, velocities or energy;
 * T > `maxTemperatureFactor` × target (default 10×, thermostatted runs only); for an open
 * cluster, an atom farther than `escapeDistanceA` (default 10 Å) beyond the initial cluster
 * radius from the centre of mass.
 * Units: fs, K, eV, Å.
 */
import type { Frame } from '../atoms.ts';
import { cloneFrame } from '../atoms.ts';
import type { Calculator } from '../potentials/calculator.ts';
import type { Integrator, MdState } from './state.ts';
import { stateKinetic, stepWith } from './state.ts';
import { isCluster, temperature } from './thermo.ts';
import { centreOfMass } from './velocities.ts';

/** What the observer sees after each step. */
export interface MdStepInfo {
  step: number;
  /** Time, fs. */
  time: number;
  /** Instantaneous temperature, K. */
  temperature: number;
  /** Potential energy, eV. */
  potentialEnergy: number;
  /** Kinetic energy, eV. */
  kineticEnergy: number;
  /** E_pot + E_kin, eV. */
  totalEnergy: number;
  /** The integrator's conserved quantity, eV. */
  conservedEnergy: number;
  /** True when this step's frame was saved. */
  saved: boolean;
}

export interface RunMdOptions<S extends MdState> {
  /** Number of steps to take (≥ 0). */
  steps: number;
  /** Save a frame every K steps (default 1); the initial frame (step 0) is saved too when `saveInitial`. */
  saveEvery?: number;
  /** Save the starting frame as well (default true when state.step = 0). */
  saveInitial?: boolean;
  /** Called after every step; return 'stop' to pause (the run returns early). */
  observer?: (state: S, info: MdStepInfo) => void | 'stop';
  /** Explosion when T exceeds this multiple of the target temperature (default 10). */
  maxTemperatureFactor?: number;
  /**
   * Reference temperature (K) for the T check when the integrator has no target (NVE), e.g. the
   * temperature the velocities were drawn at. Ignored for thermostatted integrators.
   */
  referenceTemperatureK?: number;
  /** For clusters: max distance (Å) beyond the initial radius an atom may reach (default 10). */
  escapeDistanceA?: number;
}

export interface RunMdResult<S extends MdState> {
  /** The last state (resume from it). */
  state: S;
  /** Saved frames (velocities included; info has step, time_fs, energy_eV, temperature_K). */
  frames: MdFrame[];
  /** True if the observer stopped the run early. */
  stopped: boolean;
}

/** Thrown when a run blows up; carries the frames saved before it and the offending step. */
export class MdExplosionError extends Error {
  constructor(
    message: string,
    /** Frames saved before the explosion (the last one is the state at the failing step). */
    readonly frames: MdFrame[],
    /** Step at which the problem was detected. */
    readonly step: number,
  ) {
    super(message);
    this.name = 'MdExplosionError';
  }
}

/** A saved frame: velocities (Å/fs) and forces (eV/Å) also as extxyz per-atom columns. */
export type MdFrame = Frame & { arrays: Record<string, Float64Array> };

/** A saved copy of a state's frame with step, time (fs), energies (eV), T (K) in `info`. */
export function snapshot(s: MdState): MdFrame {
  const f: MdFrame = { ...cloneFrame(s.frame), arrays: {} };
  f.arrays.velocities = f.velocities!;
  f.arrays.forces = new Float64Array(s.forces);
  const k = stateKinetic(s);
  f.info = { ...(f.info ?? {}), step: s.step, time_fs: s.time, energy: s.potentialEnergy, kinetic_energy: k, temperature_K: temperature(k, s.dof) };
  return f;
}

/** The atom farthest from the centre of mass and its distance, Å. */
function farthestAtom(s: MdState): { index: number; r: number } {
  const c = centreOfMass(s.masses, s.frame.positions);
  let best = { index: -1, r: 0 };
  const x = s.frame.positions;
  for (let i = 0; i < s.masses.length; i++) {
    const r = Math.hypot(x[3 * i] - c[0], x[3 * i + 1] - c[1], x[3 * i + 2] - c[2]);
    if (r > best.r) best = { index: i, r };
  }
  return best;
}

/** Describe why a state is unphysical, or return null. */
export function explosionReason<S extends MdState>(
  integrator: Integrator<S>,
  s: S,
  limits: { maxTemperatureFactor: number; maxRadiusA: number | null; referenceTemperatureK?: number },
): string | null {
  const x = s.frame.positions, v = s.frame.velocities!;
  for (let k = 0; k < x.length; k++) {
    if (!Number.isFinite(x[k]) || !Number.isFinite(v[k])) return `atom ${Math.floor(k / 3)} has a non-finite ${Number.isFinite(x[k]) ? 'velocity' : 'position'}`;
  }
  if (!Number.isFinite(s.potentialEnergy)) return `potential energy is ${s.potentialEnergy}`;
  const t = temperature(stateKinetic(s), s.dof);
  const target = integrator.targetTemperature(s) ?? limits.referenceTemperatureK;
  if (target !== undefined && target > 0 && t > limits.maxTemperatureFactor * target) {
    return `temperature ${t.toFixed(1)} K exceeds ${limits.maxTemperatureFactor}× the ${integrator.targetTemperature(s) === undefined ? 'reference' : 'target'} ${target} K`;
  }
  if (limits.maxRadiusA !== null) {
    const far = farthestAtom(s);
    if (far.r > limits.maxRadiusA) {
      return `atom ${far.index} (${s.frame.symbols[far.index]}) is ${far.r.toFixed(2)} Å from the centre of mass (limit ${limits.maxRadiusA.toFixed(2)} Å): it left the cluster`;
    }
  }
  return null;
}

/** Summary numbers of a state for observers and progress printing. */
export function stepInfo<S extends MdState>(integrator: Integrator<S>, s: S, saved: boolean): MdStepInfo {
  const k = stateKinetic(s);
  return {
    step: s.step,
    time: s.time,
    temperature: temperature(k, s.dof),
    potentialEnergy: s.potentialEnergy,
    kineticEnergy: k,
    totalEnergy: s.potentialEnergy + k,
    conservedEnergy: integrator.conservedEnergy(s),
    saved,
  };
}

/**
 * Run `opts.steps` steps of `integrator` from `state` with `calc`. Returns the final state and
 * the saved frames; throws MdExplosionError (frames attached) if the run blows up.
 */
export function runMd<S extends MdState>(integrator: Integrator<S>, state: S, calc: Calculator, opts: RunMdOptions<S>): RunMdResult<S> {
  const every = opts.saveEvery ?? 1;
  if (!Number.isInteger(opts.steps) || opts.steps < 0) throw new Error(`steps must be a non-negative integer, got ${opts.steps}`);
  if (!Number.isInteger(every) || every < 1) throw new Error(`saveEvery must be a positive integer, got ${every}`);
  const frames: MdFrame[] = [];
  const cluster = isCluster(state.frame);
  const limits = {
    maxTemperatureFactor: opts.maxTemperatureFactor ?? 10,
    maxRadiusA: cluster ? farthestAtom(state).r + (opts.escapeDistanceA ?? 10) : null,
    referenceTemperatureK: opts.referenceTemperatureK,
  };
  if (opts.saveInitial ?? state.step === 0) frames.push(snapshot(state));
  let s = state;
  for (let i = 0; i < opts.steps; i++) {
    s = stepWith(integrator, s, calc);
    const saved = s.step % every === 0;
    const why = explosionReason(integrator, s, limits);
    if (why) {
      frames.push(snapshot(s));
      throw new MdExplosionError(`MD blew up at step ${s.step} (t = ${s.time} fs): ${why}. ${frames.length} frames kept on error.frames.`, frames, s.step);
    }
    if (saved) frames.push(snapshot(s));
    if (opts.observer?.(s, stepInfo(integrator, s, saved)) === 'stop') return { state: s, frames, stopped: true };
  }
  return { state: s, frames, stopped: false };
}
