/**
 * FIRE, the Fast Inertial Relaxation Engine (Bitzek, Koskinen, Gähler, Moseler & Gumbsch,
 * PRL 97, 170201 (2006)), with ASE's defaults and update (ase/optimize/fire.py): unit masses,
 * velocity mixing v ← (1−α) v + α |v| F̂ while P = F·v > 0 (dt grows by finc after Nmin such
 * steps, α shrinks by fα), else v ← 0, dt ← dt·fdec, α ← αstart; then v ← v + dt F,
 * Δx = dt v limited to maxStep (Å) in norm over the whole system.
 *
 * State machine: `fireInit(frame, params)` then repeatedly `fireStep(state, forces)` with the
 * forces (eV/Å) of `state.frame`; each step returns a new state (new frame), never mutating.
 */
import { cloneFrame, type Frame } from '../atoms.ts';
import { fixedMask, freeForces } from './fmax.ts';

export interface FireParams {
  /** Initial time step (ASE units; unit masses), default 0.1. */
  dt?: number;
  /** Largest time step, default 1.0. */
  dtMax?: number;
  /** Largest displacement of the whole system per step, Å, default 0.2. */
  maxStep?: number;
  /** Steps with P > 0 before dt may grow, default 5. */
  nMin?: number;
  /** dt growth factor, default 1.1. */
  fInc?: number;
  /** dt shrink factor on P ≤ 0, default 0.5. */
  fDec?: number;
  /** Initial mixing α, default 0.1. */
  aStart?: number;
  /** α decay factor, default 0.99. */
  fA?: number;
  /** 0-based indices of atoms that never move. */
  fixed?: number[];
}

export interface FireState {
  kind: 'fire';
  /** Current structure (positions in Å). */
  frame: Frame;
  /** Velocities (Å per ASE time unit), null before the first step. */
  v: Float64Array | null;
  dt: number;
  a: number;
  /** Consecutive steps with P > 0. */
  nPositive: number;
  iteration: number;
  mask: Uint8Array;
  params: Required<Omit<FireParams, 'fixed'>>;
}

export const FIRE_DEFAULTS: Required<Omit<FireParams, 'fixed'>> = {
  dt: 0.1, dtMax: 1.0, maxStep: 0.2, nMin: 5, fInc: 1.1, fDec: 0.5, aStart: 0.1, fA: 0.99,
};

/** Start FIRE at `frame` (copied). */
export function fireInit(frame: Frame, params: FireParams = {}): FireState {
  const p = { ...FIRE_DEFAULTS };
  for (const k of Object.keys(p) as Array<keyof typeof p>) {
    const v = params[k];
    if (v !== undefined) {
      if (!Number.isFinite(v) || v <= 0) throw new Error(`FIRE parameter ${k} must be a positive number, got ${v}`);
      p[k] = v;
    }
  }
  return {
    kind: 'fire',
    frame: cloneFrame(frame),
    v: null,
    dt: p.dt,
    a: p.aStart,
    nPositive: 0,
    iteration: 0,
    mask: fixedMask(frame.symbols.length, params.fixed),
    params: p,
  };
}

/** One FIRE step from the forces (eV/Å) at state.frame; returns the next state. */
export function fireStep(state: FireState, forces: ArrayLike<number>): FireState {
  const p = state.params;
  const f = freeForces(forces, state.mask);
  const n3 = f.length;
  let dt = state.dt, a = state.a, nPositive = state.nPositive;
  let v: Float64Array;
  if (state.v === null) {
    v = new Float64Array(n3);
  } else {
    v = new Float64Array(state.v);
    let vf = 0, vv = 0, ff = 0;
    for (let k = 0; k < n3; k++) { vf += v[k] * f[k]; vv += v[k] * v[k]; ff += f[k] * f[k]; }
    if (vf > 0) {
      const scale = ff > 0 ? Math.sqrt(vv / ff) : 0;
      for (let k = 0; k < n3; k++) v[k] = (1 - a) * v[k] + a * f[k] * scale;
      if (nPositive > p.nMin) {
        dt = Math.min(dt * p.fInc, p.dtMax);
        a *= p.fA;
      }
      nPositive++;
    } else {
      v.fill(0);
      a = p.aStart;
      dt *= p.fDec;
      nPositive = 0;
    }
  }
  for (let k = 0; k < n3; k++) v[k] += dt * f[k];
  const dr = new Float64Array(n3);
  let norm = 0;
  for (let k = 0; k < n3; k++) { dr[k] = dt * v[k]; norm += dr[k] * dr[k]; }
  norm = Math.sqrt(norm);
  const s = norm > p.maxStep ? p.maxStep / norm : 1;
  const frame = cloneFrame(state.frame);
  for (let k = 0; k < n3; k++) if (!state.mask[Math.floor(k / 3)]) frame.positions[k] += s * dr[k];
  return { ...state, frame, v, dt, a, nPositive, iteration: state.iteration + 1 };
}
