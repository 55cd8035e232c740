/**
 * Canonical sampling through velocity rescaling, CSVR (NVT) — Bussi, Donadio & Parrinello,
 * J. Chem. Phys. 126, 014101 (2007), eq. (A7) and the authors' reference code `resamplekin`.
 *
 * Over a time span h the kinetic energy K (f degrees of freedom, target K̄ = f k_B T / 2,
 * relaxation time τ) is replaced by the exact solution of its stochastic equation:
 *   c = exp(−h/τ),
 *   K' = c K + (1 − c) K̄ (R₁² + S_{f−1}) / f + 2 R₁ √(c (1 − c) K K̄ / f),
 * with R₁ ~ N(0, 1) and S_{f−1} = Σ_{i=2..f} R_i² a χ² deviate with f − 1 degrees of freedom
 * (drawn as 2·Gamma((f−1)/2)); all velocities are scaled by α = √(K'/K).
 * Splitting: CSVR(dt/2) · B · A · [forces] · B · CSVR(dt/2). The effective energy
 * H̃ = K + U − Σ ΔK_thermostat is conserved up to integration error (Bussi 2007, eq. 9).
 * Units: T in K, τ and dt in fs.
 */
import type { Frame } from '../atoms.ts';
import type { CalcResult, Calculator } from '../potentials/calculator.ts';
import { Rng, type RngState } from '../random.ts';
import { KB_EV_PER_K } from '../units.ts';
import type { BaseMdParams, Integrator, MdState } from './state.ts';
import { advanced, copyState, halfKick, halfKickDrift, initialStateConserving, scaleVelocities, stateKinetic, vel, withResult, workConservingIntegrator } from './state.ts';

/**
 * Gamma(shape a, scale 1) deviate by Marsaglia & Tsang, ACM TOMS 26, 363 (2000); for a < 1 the
 * boost Gamma(a) = Gamma(a + 1) · U^(1/a).
 */
export function gammaDeviate(rng: Rng, a: number): number {
  if (!(a > 0)) throw new Error(`gamma shape must be > 0, got ${a}`);
  if (a < 1) return gammaDeviate(rng, a + 1) * Math.pow(1 - rng.uniform(), 1 / a);
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - rng.uniform();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** Sum of n squared standard normal deviates (a χ²_n deviate); n ≥ 0 integer. */
export function sumOfSquaredNormals(rng: Rng, n: number): number {
  if (n === 0) return 0;
  if (n === 1) return rng.normal() ** 2;
  return 2 * gammaDeviate(rng, n / 2);
}

/**
 * The new kinetic energy (eV) after a CSVR span: K and K̄ in eV, f degrees of freedom,
 * c = exp(−h/τ). Bussi 2007 eq. (A7).
 */
export function resampleKinetic(rng: Rng, kinetic: number, targetKinetic: number, dof: number, c: number): number {
  if (dof === 0) return kinetic;
  const r1 = rng.normal();
  const s = sumOfSquaredNormals(rng, dof - 1);
  const factor = (targetKinetic / dof) * (1 - c);
  return kinetic * c + factor * (r1 * r1 + s) + 2 * r1 * Math.sqrt(c * factor * kinetic);
}

export interface CsvrParams extends BaseMdParams {
  /** Target temperature, K. */
  temperatureK: number;
  /** Relaxation time τ, fs (default 100 fs); τ → 0 is rescaling every step, τ → ∞ is NVE. */
  tauFs?: number;
  /** Seed of the random stream (default 1). */
  seed?: number;
  /** Zero total (and cluster angular) momentum initially (default true). */
  zeroMomentum?: boolean;
}

export interface CsvrState extends MdState {
  temperatureK: number;
  tauFs: number;
  rng: RngState;
  /** Kinetic energy removed by the thermostat so far, eV. */
  thermostatWork: number;
}

/** Initial CSVR state (forces evaluated once). */
export function initCsvr(frame: Frame, calc: Calculator, p: CsvrParams): CsvrState {
  if (!(p.temperatureK >= 0)) throw new Error(`CSVR temperature must be ≥ 0 K, got ${p.temperatureK}`);
  const tau = p.tauFs ?? 100;
  if (!(tau >= 0)) throw new Error(`CSVR τ must be ≥ 0 fs, got ${tau}`);
  const s = initialStateConserving(frame, calc, p.dt, p.zeroMomentum ?? true);
  return { ...s, temperatureK: p.temperatureK, tauFs: tau, rng: new Rng(p.seed ?? 1).state(), thermostatWork: 0 };
}

function thermostatHalf(n: CsvrState): void {
  const k = stateKinetic(n);
  if (k <= 0 || n.dof === 0) return;
  const rng = Rng.restore(n.rng);
  const c = n.tauFs > 0 ? Math.exp(-n.dt / 2 / n.tauFs) : 0;
  const kNew = resampleKinetic(rng, k, 0.5 * n.dof * KB_EV_PER_K * n.temperatureK, n.dof, c);
  n.rng = rng.state();
  scaleVelocities(vel(n), Math.sqrt(kNew / k));
  n.thermostatWork += k - kNew;
}

/** CSVR(dt/2) · B(dt/2) · A(dt). */
export function csvrAdvance(s: CsvrState): CsvrState {
  const n = copyState(s);
  thermostatHalf(n);
  halfKickDrift(n);
  return advanced(n);
}

/** B(dt/2) · CSVR(dt/2) with the new forces. */
export function csvrComplete(s: CsvrState, res: CalcResult): CsvrState {
  const n = withResult(copyState(s), res);
  halfKick(n);
  thermostatHalf(n);
  return n;
}

export const csvr: Integrator<CsvrState> = workConservingIntegrator('CSVR / Bussi velocity rescaling (NVT)', csvrAdvance, csvrComplete);
