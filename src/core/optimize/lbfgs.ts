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
 * Opt-in options (off by default, so the ASE-like behaviour is unchanged; basin hopping turns them
 * on, see bhmc.ts):
 * - `scaleInitialHessian`: H₀ = (s·y)/(y·y) of the newest pair (Nocedal & Wright, Numerical
 *   Optimization, 2nd ed., eq. 7.20) instead of the fixed 1/α once a pair is stored;
 * - `energyCheck`: if the energy at the new point rose above the energy at the previous point, the
 *   pair (s, y) is still stored (it measures the curvature along s) and the step is taken again
 *   from the previous point with the updated memory, at most half as long as the failed one
 *   (needs the energy: `lbfgsStep(state, forces, energy)`).
 *
 * State machine: `lbfgsInit(frame, params)` then `lbfgsStep(state, forces[, energy])` with the
 * forces (eV/Å) and energy (eV) of `state.frame`; each step returns a new state.
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
  /** Scale the initial inverse Hessian by (s·y)/(y·y) of the newest pair (default false). */
  scaleInitialHessian?: boolean;
  /** Retry a step that raised the energy from the previous point, at most half as long (default false). */
  energyCheck?: boolean;
}

type NumericParams = Required<Omit<LbfgsParams, 'fixed' | 'scaleInitialHessian' | 'energyCheck'>>;

export interface LbfgsState {
  kind: 'lbfgs';
  frame: Frame;
  s: Float64Array[];
  y: Float64Array[];
  rho: number[];
  /** Positions (Å) and forces (eV/Å) of the previous step, null before the first. */
  r0: Float64Array | null;
  f0: Float64Array | null;
  /** Energy at r0, eV (NaN when unknown). */
  e0: number;
  /** Length (longest atomic displacement, Å) of the last step taken. */
  lastStep: number;
  /** Steps retried after an energy rise (energyCheck). */
  retries: number;
  iteration: number;
  mask: Uint8Array;
  params: NumericParams & { scaleInitialHessian: boolean; energyCheck: boolean };
}

export const LBFGS_DEFAULTS: NumericParams = { memory: 100, alpha: 70, damping: 1, maxStep: 0.2 };

/** Start L-BFGS at `frame` (copied). */
export function lbfgsInit(frame: Frame, params: LbfgsParams = {}): LbfgsState {
  const p: LbfgsState['params'] = { ...LBFGS_DEFAULTS, scaleInitialHessian: params.scaleInitialHessian ?? false, energyCheck: params.energyCheck ?? false };
  for (const k of Object.keys(LBFGS_DEFAULTS) as Array<keyof NumericParams>) {
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
    r0: null, f0: null, e0: NaN, lastStep: 0, retries: 0,
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
 * (Å²/eV), or (s·y)/(y·y) of the newest pair when `scaled`, F in eV/Å; returns the displacement
 * direction, Å.
 */
function lbfgsDirection(s: Float64Array[], y: Float64Array[], rho: number[], f: Float64Array, alpha: number, scaled = false): Float64Array {
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
  const h0 = scaled && m > 0 ? 1 / (rho[m - 1] * dot(y[m - 1], y[m - 1])) : 1 / alpha;
  for (let k = 0; k < n3; k++) z[k] = q[k] * h0;
  for (let i = 0; i < m; i++) {
    const si = s[i], yi = y[i];
    const c = a[i] - rho[i] * dot(yi, z);
    for (let k = 0; k < n3; k++) z[k] += si[k] * c;
  }
  for (let k = 0; k < n3; k++) z[k] = -z[k];
  return z;
}

/**
 * One L-BFGS step from the forces (eV/Å) at state.frame, and its energy (eV; used only with
 * energyCheck); returns the next state.
 */
export function lbfgsStep(state: LbfgsState, forces: ArrayLike<number>, energy = NaN): LbfgsState {
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
  // Energy rose: go back to the previous point and step again with the new curvature information.
  const rose = p.energyCheck && state.r0 !== null && state.f0 !== null && energy > state.e0 && state.retries < 30;
  const base = rose ? state.r0! : r;
  const fb = rose ? state.f0! : f;
  let step = lbfgsDirection(s, y, rho, fb, p.alpha, p.scaleInitialHessian);
  if (dot(step, fb) < 0) {
    s = []; y = []; rho = [];
    step = lbfgsDirection(s, y, rho, fb, p.alpha, p.scaleInitialHessian);
  }
  // Limit the longest atomic step to maxStep (ASE determine_step), then damp.
  let longest2 = 0;
  for (let k = 0; k < n3; k += 3) {
    const l2 = step[k] * step[k] + step[k + 1] * step[k + 1] + step[k + 2] * step[k + 2];
    if (l2 > longest2) longest2 = l2;
  }
  const longest = Math.sqrt(longest2);
  let limit = p.maxStep;
  if (rose) limit = Math.min(limit, 0.5 * state.lastStep);
  const scale = (longest >= limit ? limit / longest : 1) * p.damping;
  const frame = cloneFrame(state.frame);
  const mask = state.mask, x = frame.positions;
  for (let i = 0, k = 0; k < n3; i++, k += 3) {
    if (mask[i]) continue;
    x[k] = base[k] + scale * step[k];
    x[k + 1] = base[k + 1] + scale * step[k + 1];
    x[k + 2] = base[k + 2] + scale * step[k + 2];
  }
  const taken = longest * scale;
  if (rose) return { ...state, frame, s, y, rho, lastStep: taken, retries: state.retries + 1, iteration: state.iteration + 1 };
  return { ...state, frame, s, y, rho, r0: r, f0: f, e0: energy, lastStep: taken, retries: 0, iteration: state.iteration + 1 };
}
