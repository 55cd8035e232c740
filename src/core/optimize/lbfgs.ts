/**
 * L-BFGS (Nocedal, Math. Comp. 35, 773 (1980); Liu & Nocedal 1989) as ASE's `LBFGS`
 * (ase/optimize/lbfgs.py) without line search: two-loop recursion over the last `memory`
 * pairs s = Δx, y = −ΔF with initial inverse Hessian 1/α (α in eV/Å², default 70), step
 * scaled so that no atom moves more than maxStep (Å, default 0.2), times `damping`.
 *
 * Safeguards beyond ASE (documented deviations): a pair with y·s ≤ 0 (negative curvature,
 * which would make the inverse Hessian indefinite) is not stored, and if the proposed step
 * points uphill (step·F < 0) the memory is cleared and the step restarts from 1/α·F.
 *
 * State machine: `lbfgsInit(frame, params)` then `lbfgsStep(state, forces)` with the forces
 * (eV/Å) of `state.frame`; each step returns a new state.
 */
import { cloneFrame, type Frame } from '../atoms.ts';
import { fixedMask, freeForces } from './fmax.ts';

export interface LbfgsParams {
  /** Number of stored (s, y) pairs, default 100. */
  memory?: number;
  /** Initial Hessian guess α, eV/Å², default 70. */
  alpha?: number;
  /** Step damping factor, default 1. */
  damping?: number;
  /** Largest displacement of any atom per step, Å, default 0.2. */
  maxStep?: number;
  /** 0-based indices of atoms that never move. */
  fixed?: number[];
}

export interface LbfgsState {
  kind: 'lbfgs';
  frame: Frame;
  s: Float64Array[];
  y: Float64Array[];
  rho: number[];
  /** Positions (Å) and forces (eV/Å) of the previous step, null before the first. */
  r0: Float64Array | null;
  f0: Float64Array | null;
  iteration: number;
  mask: Uint8Array;
  params: Required<Omit<LbfgsParams, 'fixed'>>;
}

export const LBFGS_DEFAULTS: Required<Omit<LbfgsParams, 'fixed'>> = { memory: 100, alpha: 70, damping: 1, maxStep: 0.2 };

/** Start L-BFGS at `frame` (copied). */
export function lbfgsInit(frame: Frame, params: LbfgsParams = {}): LbfgsState {
  const p = { ...LBFGS_DEFAULTS };
  for (const k of Object.keys(p) as Array<keyof typeof p>) {
    const v = params[k];
    if (v !== undefined) {
      if (!Number.isFinite(v) || v <= 0) throw new Error(`LBFGS parameter ${k} must be a positive number, got ${v}`);
      p[k] = v;
    }
  }
  return {
    kind: 'lbfgs',
    frame: cloneFrame(frame),
    s: [], y: [], rho: [],
    r0: null, f0: null,
    iteration: 0,
    mask: fixedMask(frame.symbols.length, params.fixed),
    params: p,
  };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k] * b[k];
  return s;
}

/**
 * Two-loop recursion: the step −H·(−F) for the stored pairs (s, y, ρ = 1/y·s), with H₀ = 1/α
 * (Å²/eV), F in eV/Å; returns the displacement direction, Å.
 */
function lbfgsDirection(s: Float64Array[], y: Float64Array[], rho: number[], f: Float64Array, alpha: number): Float64Array {
  const m = s.length, n3 = f.length;
  const a = new Float64Array(m);
  const q = new Float64Array(n3);
  for (let k = 0; k < n3; k++) q[k] = -f[k];
  for (let i = m - 1; i >= 0; i--) {
    const si = s[i], yi = y[i];
    const ai = rho[i] * dot(si, q);
    a[i] = ai;
    for (let k = 0; k < n3; k++) q[k] -= ai * yi[k];
  }
  const z = new Float64Array(n3);
  for (let k = 0; k < n3; k++) z[k] = q[k] / alpha;
  for (let i = 0; i < m; i++) {
    const si = s[i], yi = y[i];
    const c = a[i] - rho[i] * dot(yi, z);
    for (let k = 0; k < n3; k++) z[k] += si[k] * c;
  }
  for (let k = 0; k < n3; k++) z[k] = -z[k];
  return z;
}

/** One L-BFGS step from the forces (eV/Å) at state.frame; returns the next state. */
export function lbfgsStep(state: LbfgsState, forces: ArrayLike<number>): LbfgsState {
  const p = state.params;
  const f = freeForces(forces, state.mask);
  const r = Float64Array.from(state.frame.positions);
  const n3 = r.length;
  let s = state.s.slice(), y = state.y.slice(), rho = state.rho.slice();
  if (state.r0 && state.f0) {
    const s0 = new Float64Array(n3), y0 = new Float64Array(n3);
    for (let k = 0; k < n3; k++) { s0[k] = r[k] - state.r0[k]; y0[k] = state.f0[k] - f[k]; }
    const ys = dot(y0, s0);
    if (ys > 1e-12 * Math.sqrt(dot(s0, s0) * dot(y0, y0)) && ys > 0) {
      s.push(s0); y.push(y0); rho.push(1 / ys);
      if (s.length > p.memory) { s.shift(); y.shift(); rho.shift(); }
    }
  }
  let step = lbfgsDirection(s, y, rho, f, p.alpha);
  if (dot(step, f) < 0) {
    s = []; y = []; rho = [];
    step = lbfgsDirection(s, y, rho, f, p.alpha);
  }
  // Limit the longest atomic step to maxStep (ASE determine_step), then damp.
  let longest = 0;
  for (let i = 0; i < n3 / 3; i++) longest = Math.max(longest, Math.hypot(step[3 * i], step[3 * i + 1], step[3 * i + 2]));
  const scale = (longest >= p.maxStep ? p.maxStep / longest : 1) * p.damping;
  const frame = cloneFrame(state.frame);
  for (let k = 0; k < n3; k++) if (!state.mask[Math.floor(k / 3)]) frame.positions[k] = r[k] + scale * step[k];
  return { ...state, frame, s, y, rho, r0: r, f0: f, iteration: state.iteration + 1 };
}
