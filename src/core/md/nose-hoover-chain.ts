/**
 * Nosé–Hoover chain thermostat (NVT) in the Martyna–Tuckerman–Klein form
 * (Martyna, Klein & Tuckerman, J. Chem. Phys. 97, 2635 (1992); the integrator of Martyna,
 * Tuckerman, Tobias & Klein, Mol. Phys. 87, 1117 (1996), §4, also Frenkel & Smit Alg. 30–31).
 *
 * Equations of motion (chain of M thermostats, velocities v_ξj in 1/fs, masses Q_j in eV·fs²):
 *   dp/dt = F − v_ξ1 p,   dv_ξ1/dt = (Σ p²/m − f k_B T)/Q₁ − v_ξ1 v_ξ2,
 *   dv_ξj/dt = (Q_{j−1} v_ξ(j−1)² − k_B T)/Q_j − v_ξj v_ξ(j+1),   dv_ξM/dt = (Q_{M−1} v_ξ(M−1)² − k_B T)/Q_M
 *   Q₁ = f k_B T τ²,  Q_j = k_B T τ²  (τ: thermostat period, fs).
 * Conserved: H = K + U + Σ ½ Q_j v_ξj² + f k_B T ξ₁ + k_B T Σ_{j>1} ξ_j.
 * Trotter splitting: NHC(dt/2) · B(dt/2) · A(dt) · [forces] · B(dt/2) · NHC(dt/2); each NHC
 * half step is split into n_c × n_SY pieces with Suzuki–Yoshida weights (4th order).
 * Default chain length 3, n_SY = 3, n_c = 1. Units: T in K, τ and dt in fs.
 */
import type { Frame } from '../atoms.ts';
import type { CalcResult, Calculator } from '../potentials/calculator.ts';
import { KB_EV_PER_K } from '../units.ts';
import type { BaseMdParams, Integrator, MdState } from './state.ts';
import { advanced, copyState, halfKick, halfKickDrift, initialStateConserving, scaleVelocities, stateKinetic, vel, withResult } from './state.ts';

/** Suzuki–Yoshida 4th-order weights for 1, 3 or 5 pieces (Yoshida, Phys. Lett. A 150, 262 (1990)). */
export function suzukiYoshidaWeights(n: 1 | 3 | 5): number[] {
  if (n === 1) return [1];
  if (n === 3) {
    const w = 1 / (2 - 2 ** (1 / 3));
    return [w, 1 - 2 * w, w];
  }
  const w = 1 / (4 - 4 ** (1 / 3));
  return [w, w, 1 - 4 * w, w, w];
}

/** A thermostat chain: positions ξ (dimensionless), velocities v_ξ (1/fs), masses Q (eV·fs²). */
export interface NhcChain {
  xi: number[];
  vxi: number[];
  q: number[];
  /** Degrees of freedom coupled to the chain. */
  dof: number;
  /** Target k_B T, eV. */
  kt: number;
}

/** A chain of `length` thermostats for f degrees of freedom at T (K) with period τ (fs). */
export function makeChain(length: number, dof: number, temperatureK: number, tauFs: number): NhcChain {
  if (!(length >= 1) || !Number.isInteger(length)) throw new Error(`chain length must be a positive integer, got ${length}`);
  if (!(temperatureK > 0)) throw new Error(`Nosé–Hoover temperature must be > 0 K, got ${temperatureK}`);
  if (!(tauFs > 0)) throw new Error(`Nosé–Hoover period must be > 0 fs, got ${tauFs}`);
  const kt = KB_EV_PER_K * temperatureK;
  const q = Array.from({ length }, (_, j) => (j === 0 ? Math.max(dof, 1) : 1) * kt * tauFs * tauFs);
  return { xi: new Array(length).fill(0), vxi: new Array(length).fill(0), q, dof, kt };
}

/** Copy of a chain. */
export function copyChain(c: NhcChain): NhcChain {
  return { ...c, xi: [...c.xi], vxi: [...c.vxi], q: [...c.q] };
}

/** Energy stored in a chain, eV: Σ ½ Q v_ξ² + f kT ξ₁ + kT Σ_{j>1} ξ_j. */
export function chainEnergy(c: NhcChain): number {
  let e = 0;
  for (let j = 0; j < c.xi.length; j++) e += 0.5 * c.q[j] * c.vxi[j] ** 2 + (j === 0 ? c.dof : 1) * c.kt * c.xi[j];
  return e;
}

/**
 * Propagate a chain in place over a time span h (fs) given twoK = Σ p²/m (eV) of its degrees
 * of freedom; returns the factor by which those velocities must be scaled (MTTK 1996, eqs. 28–32).
 */
export function propagateChain(c: NhcChain, twoK: number, h: number, weights: number[], nc: number): number {
  if (c.dof === 0) return 1;
  const M = c.xi.length;
  const G = new Array<number>(M);
  let scale = 1;
  let k2 = twoK;
  for (let ic = 0; ic < nc; ic++) {
    for (const w of weights) {
      const t = (w * h) / nc;
      G[0] = (k2 - c.dof * c.kt) / c.q[0];
      for (let j = 1; j < M; j++) G[j] = (c.q[j - 1] * c.vxi[j - 1] ** 2 - c.kt) / c.q[j];
      c.vxi[M - 1] += (t / 2) * G[M - 1];
      for (let j = M - 2; j >= 0; j--) {
        const e = Math.exp((-t / 4) * c.vxi[j + 1]);
        c.vxi[j] = c.vxi[j] * e * e + (t / 2) * G[j] * e;
      }
      const s = Math.exp(-t * c.vxi[0]);
      scale *= s;
      k2 *= s * s;
      for (let j = 0; j < M; j++) c.xi[j] += t * c.vxi[j];
      G[0] = (k2 - c.dof * c.kt) / c.q[0];
      for (let j = 0; j < M - 1; j++) {
        const e = Math.exp((-t / 4) * c.vxi[j + 1]);
        c.vxi[j] = c.vxi[j] * e * e + (t / 2) * G[j] * e;
        G[j + 1] = (c.q[j] * c.vxi[j] ** 2 - c.kt) / c.q[j + 1];
      }
      c.vxi[M - 1] += (t / 2) * G[M - 1];
    }
  }
  return scale;
}

export interface NoseHooverChainParams extends BaseMdParams {
  /** Target temperature, K (> 0). */
  temperatureK: number;
  /** Thermostat period τ, fs (default 100 fs). */
  tauFs?: number;
  /** Chain length M (default 3). */
  chainLength?: number;
  /** Suzuki–Yoshida pieces (default 3). */
  suzukiYoshida?: 1 | 3 | 5;
  /** Multiple time steps n_c per half step (default 1). */
  nc?: number;
  /** Zero total (and cluster angular) momentum initially (default true). */
  zeroMomentum?: boolean;
}

export interface NoseHooverChainState extends MdState {
  temperatureK: number;
  chain: NhcChain;
  weights: number[];
  nc: number;
}

/** Initial NHC state (forces evaluated once). T in K, τ and dt in fs. */
export function initNoseHooverChain(frame: Frame, calc: Calculator, p: NoseHooverChainParams): NoseHooverChainState {
  const s = initialStateConserving(frame, calc, p.dt, p.zeroMomentum ?? true);
  return {
    ...s,
    temperatureK: p.temperatureK,
    chain: makeChain(p.chainLength ?? 3, s.dof, p.temperatureK, p.tauFs ?? 100),
    weights: suzukiYoshidaWeights(p.suzukiYoshida ?? 3),
    nc: p.nc ?? 1,
  };
}

function thermostatHalf(n: NoseHooverChainState): void {
  const scale = propagateChain(n.chain, 2 * stateKinetic(n), n.dt / 2, n.weights, n.nc);
  scaleVelocities(vel(n), scale);
}

/** NHC(dt/2) · B(dt/2) · A(dt). */
export function noseHooverChainAdvance(s: NoseHooverChainState): NoseHooverChainState {
  const n = { ...copyState(s), chain: copyChain(s.chain) };
  thermostatHalf(n);
  halfKickDrift(n);
  return advanced(n);
}

/** B(dt/2) · NHC(dt/2) with the new forces. */
export function noseHooverChainComplete(s: NoseHooverChainState, res: CalcResult): NoseHooverChainState {
  const n = { ...withResult(copyState(s), res), chain: copyChain(s.chain) };
  halfKick(n);
  thermostatHalf(n);
  return n;
}

export const noseHooverChain: Integrator<NoseHooverChainState> = {
  name: 'Nosé–Hoover chain (NVT)',
  advance: noseHooverChainAdvance,
  complete: noseHooverChainComplete,
  targetTemperature: (s) => s.temperatureK,
  conservedEnergy: (s) => s.potentialEnergy + stateKinetic(s) + chainEnergy(s.chain),
};
