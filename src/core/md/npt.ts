/**
 * Isothermal–isobaric MD (NPT) for periodic cells: the Martyna–Tobias–Klein barostat
 * (Martyna, Tobias & Klein, J. Chem. Phys. 101, 4177 (1994)) with the measure-preserving
 * Trotter integrator of Tuckerman, Alejandre, López-Rendón, Jochim & Martyna, J. Phys. A 39,
 * 5629 (2006), the particles and the barostat each coupled to a Nosé–Hoover chain
 * (nose-hoover-chain.ts), as LAMMPS `fix npt` (Shinoda, Shiga & Mikami, PRB 69, 134103 (2004)).
 *
 * Barostat "velocities" v_εa (1/fs): isotropic — one v_ε for all three axes; anisotropic —
 * independent v_εx, v_εy, v_εz (orthorhombic cells). With N_f the particle degrees of freedom:
 *   dr_a/dt = v_a + v_εa r_a,         dv_a/dt = F_a/m − (v_εa + Σ_b v_εb / N_f) v_a − v_ξ1 v_a,
 *   dh_a/dt = v_εa h_a (cell, Cartesian component a of every lattice vector),
 *   W dv_εa/dt = V (P_aa − P_ext) + 2K/N_f − W v_ξ'1 v_εa  (anisotropic),
 *   W dv_ε/dt  = 3V (P − P_ext) + 3·2K/N_f − …             (isotropic),
 * P_aa = (Σ m v_a² + W_aa)/V the instantaneous pressure tensor (thermo.ts; W_aa the virial).
 * Barostat mass W = (N_f + 3) k_B T τ_P² (isotropic; Martyna 1994), a third of it per axis
 * (anisotropic) so both modes have the same period τ_P.
 * Conserved: H = K + U + P_ext V + ½ W Σ v_ε² + E_chain(particles) + E_chain(barostat).
 * Splitting (Tuckerman 2006 eq. 2.36): NHC_b NHC_p P_ε B' A' [forces] B' P_ε NHC_p NHC_b,
 * with the exact exponential/sinhc solutions of the B' and A' flows.
 * Units: T in K, pressure in bar or atm at the API (eV/Å³ inside), τ and dt in fs.
 */
import type { Frame } from '../atoms.ts';
import { det3 } from '../atoms.ts';
import type { CalcResult, Calculator } from '../potentials/calculator.ts';
import { atmToEvPerA3, barToEvPerA3, KB_EV_PER_K, AMU_A2_PER_FS2_IN_EV } from '../units.ts';
import type { BaseMdParams, Integrator, MdState } from './state.ts';
import { advanced, copyState, initialStateConserving, scaleVelocities, stateKinetic, vel, withResult } from './state.ts';
import { chainEnergy, copyChain, makeChain, propagateChain, suzukiYoshidaWeights, type NhcChain } from './nose-hoover-chain.ts';
import { kineticTensor } from './thermo.ts';

export type BarostatMode = 'isotropic' | 'anisotropic';

export interface NptParams extends BaseMdParams {
  /** Target temperature, K (> 0). */
  temperatureK: number;
  /** Target pressure in bar (give exactly one of pressureBar / pressureAtm). */
  pressureBar?: number;
  /** Target pressure in atm (1 atm = 1.01325 bar). */
  pressureAtm?: number;
  /** 'isotropic' (default) or 'anisotropic' (x, y, z independently; orthorhombic cell). */
  mode?: BarostatMode;
  /** Thermostat period, fs (default 100). */
  tauTFs?: number;
  /** Barostat period, fs (default 1000). */
  tauPFs?: number;
  /** Chain length of both thermostats (default 3). */
  chainLength?: number;
}

export interface NptState extends MdState {
  temperatureK: number;
  /** Target pressure, eV/Å³. */
  pressureEvPerA3: number;
  mode: BarostatMode;
  /** Barostat velocities v_εa, 1/fs (all equal when isotropic). */
  veps: [number, number, number];
  /** Barostat mass per barostat degree of freedom, eV·fs². */
  barostatMass: number;
  chain: NhcChain;
  barostatChain: NhcChain;
  weights: number[];
}

/** sinh(x)/x, with its Taylor series near 0. */
function sinhc(x: number): number {
  const x2 = x * x;
  return Math.abs(x) < 1e-4 ? 1 + x2 / 6 + (x2 * x2) / 120 : Math.sinh(x) / x;
}

/** Volume of the state's cell, Å³. */
export function stateVolume(s: MdState): number {
  return Math.abs(det3(s.frame.cell!));
}

/** Initial NPT state (forces and virial evaluated once). */
export function initNpt(frame: Frame, calc: Calculator, p: NptParams): NptState {
  if (!frame.cell || !frame.pbc.every(Boolean)) throw new Error('NPT needs a cell periodic in all three directions');
  const mode = p.mode ?? 'isotropic';
  if (mode === 'anisotropic') {
    const c = frame.cell;
    if ([c[1], c[2], c[3], c[5], c[6], c[7]].some((x) => Math.abs(x) > 1e-9)) {
      throw new Error('anisotropic NPT handles orthorhombic cells only (off-diagonal cell entries must be 0)');
    }
  }
  if ((p.pressureBar === undefined) === (p.pressureAtm === undefined)) throw new Error('give exactly one of pressureBar or pressureAtm');
  const pressure = p.pressureBar !== undefined ? barToEvPerA3(p.pressureBar) : atmToEvPerA3(p.pressureAtm!);
  if (!Number.isFinite(pressure)) throw new Error('NPT pressure must be a finite number');
  const s = initialStateConserving(frame, calc, p.dt, true);
  if (!s.virial) throw new Error(`NPT needs a calculator that returns the virial (${calc.name} does not)`);
  const tauP = p.tauPFs ?? 1000;
  if (!(tauP > 0)) throw new Error(`barostat period must be > 0 fs, got ${tauP}`);
  const kt = KB_EV_PER_K * p.temperatureK;
  const wIso = (s.dof + 3) * kt * tauP * tauP;
  const m = p.chainLength ?? 3;
  return {
    ...s,
    temperatureK: p.temperatureK,
    pressureEvPerA3: pressure,
    mode,
    veps: [0, 0, 0],
    barostatMass: mode === 'isotropic' ? wIso : wIso / 3,
    chain: makeChain(m, s.dof, p.temperatureK, p.tauTFs ?? 100),
    barostatChain: makeChain(m, mode === 'isotropic' ? 1 : 3, p.temperatureK, p.tauPFs ?? 1000),
    weights: suzukiYoshidaWeights(3),
  };
}

function copyNpt(s: NptState): NptState {
  return { ...copyState(s), veps: [...s.veps] as [number, number, number], chain: copyChain(s.chain), barostatChain: copyChain(s.barostatChain) };
}

/** Both chains over dt/2: barostat chain scales v_ε, particle chain scales the velocities. */
function chainsHalf(n: NptState, order: 'baro-first' | 'particles-first'): void {
  const baro = () => {
    const w2 = n.barostatMass * (n.mode === 'isotropic' ? n.veps[0] ** 2 : n.veps[0] ** 2 + n.veps[1] ** 2 + n.veps[2] ** 2);
    const s = propagateChain(n.barostatChain, w2, n.dt / 2, n.weights, 1);
    for (let a = 0; a < 3; a++) n.veps[a] *= s;
  };
  const part = () => scaleVelocities(vel(n), propagateChain(n.chain, 2 * stateKinetic(n), n.dt / 2, n.weights, 1));
  if (order === 'baro-first') { baro(); part(); } else { part(); baro(); }
}

/** Barostat half kick: v_εa += (dt/2) G_a / W. */
function barostatKick(n: NptState): void {
  const v = stateVolume(n);
  const kin = kineticTensor(n.masses, vel(n));
  const twoK = kin[0] + kin[4] + kin[8];
  const w = n.virial!;
  const g = [0, 1, 2].map((a) => kin[4 * a] + w[4 * a] - v * n.pressureEvPerA3 + twoK / n.dof);
  const h = n.dt / 2;
  if (n.mode === 'isotropic') {
    const dv = (h * (g[0] + g[1] + g[2])) / n.barostatMass;
    for (let a = 0; a < 3; a++) n.veps[a] += dv;
  } else {
    for (let a = 0; a < 3; a++) n.veps[a] += (h * g[a]) / n.barostatMass;
  }
}

/** B' over dt/2: v_a ← v_a e^{−γ_a h} + h (F_a/m) e^{−γ_a h/2} sinhc(γ_a h/2), γ_a = v_εa + Σ v_ε / N_f. */
function barostatVelocityHalf(n: NptState): void {
  const h = n.dt / 2;
  const tr = (n.veps[0] + n.veps[1] + n.veps[2]) / n.dof;
  const v = vel(n);
  for (let a = 0; a < 3; a++) {
    const g = n.veps[a] + tr;
    const e = Math.exp(-g * h);
    const c = h * Math.exp((-g * h) / 2) * sinhc((g * h) / 2);
    for (let i = 0; i < n.masses.length; i++) {
      v[3 * i + a] = v[3 * i + a] * e + (c * n.forces[3 * i + a]) / (n.masses[i] * AMU_A2_PER_FS2_IN_EV);
    }
  }
}

/** A' over dt: r_a ← r_a e^{v_εa dt} + dt v_a e^{v_εa dt/2} sinhc(v_εa dt/2); cell component a × e^{v_εa dt}. */
function barostatPositionFull(n: NptState): void {
  const dt = n.dt;
  const x = n.frame.positions;
  const v = vel(n);
  const cell = n.frame.cell!;
  for (let a = 0; a < 3; a++) {
    const e = Math.exp(n.veps[a] * dt);
    const c = dt * Math.exp((n.veps[a] * dt) / 2) * sinhc((n.veps[a] * dt) / 2);
    for (let i = 0; i < n.masses.length; i++) x[3 * i + a] = x[3 * i + a] * e + c * v[3 * i + a];
    for (let r = 0; r < 3; r++) cell[3 * r + a] *= e;
  }
}

/** NHC_b NHC_p P_ε B' A': everything up to the new positions and cell. */
export function nptAdvance(s: NptState): NptState {
  const n = copyNpt(s);
  chainsHalf(n, 'baro-first');
  barostatKick(n);
  barostatVelocityHalf(n);
  barostatPositionFull(n);
  return advanced(n);
}

/** B' P_ε NHC_p NHC_b with the new forces and virial. */
export function nptComplete(s: NptState, res: CalcResult): NptState {
  const n = withResult(copyNpt(s), res);
  if (!n.virial) throw new Error('NPT needs the virial from the calculator');
  barostatVelocityHalf(n);
  barostatKick(n);
  chainsHalf(n, 'particles-first');
  return n;
}

/** Barostat kinetic energy ½ W Σ v_ε², eV (one degree of freedom when isotropic). */
export function barostatKinetic(s: NptState): number {
  return 0.5 * s.barostatMass * (s.mode === 'isotropic' ? s.veps[0] ** 2 : s.veps[0] ** 2 + s.veps[1] ** 2 + s.veps[2] ** 2);
}

export const npt: Integrator<NptState> = {
  name: 'MTK barostat + Nosé–Hoover chains (NPT)',
  advance: nptAdvance,
  complete: nptComplete,
  targetTemperature: (s) => s.temperatureK,
  conservedEnergy: (s) =>
    s.potentialEnergy + stateKinetic(s) + s.pressureEvPerA3 * stateVolume(s) + barostatKinetic(s) + chainEnergy(s.chain) + chainEnergy(s.barostatChain),
};
