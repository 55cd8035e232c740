/**
 * The interactive simulation the studio runs on the CPU path: float64 MD (NVE velocity Verlet,
 * Langevin BAOAB, Nosé–Hoover chain, and NPT for periodic cells) of a structure driven by model 0
 * of a DP ensemble, with the ensemble's per-atom force deviation at every step (DP-GEN
 * exploration semantics). Pure TypeScript, no DOM: the worker drives it, tests run it in Node.
 *
 * The calculator may be synchronous (CPU float64 ensemble) or asynchronous; the integrator is
 * split at the force evaluation (core/md/state.ts), so both fit.
 * Units: Å, fs, K, eV, eV/Å, bar.
 */
import type { Frame } from '../core/atoms.ts';
import { cellVolume } from '../core/atoms.ts';
import type { AnyCalculator, CalcResult, Calculator } from '../core/potentials/calculator.ts';
import { classifyDeviation, trustLevelError, type DeviationClass, type ModelDeviation } from '../core/potentials/dp/deviation.ts';
import { initLangevin, langevin } from '../core/md/langevin.ts';
import { initVerlet, verlet } from '../core/md/verlet.ts';
import { initNoseHooverChain, noseHooverChain } from '../core/md/nose-hoover-chain.ts';
import type { NhcChain } from '../core/md/nose-hoover-chain.ts';
import { initNpt, npt } from '../core/md/npt.ts';
import { withMaxwellBoltzmann } from '../core/md/velocities.ts';
import type { Integrator, MdState } from '../core/md/state.ts';
import { stateKinetic } from '../core/md/state.ts';
import { isCluster, temperature } from '../core/md/thermo.ts';
import { explosionReason } from '../core/md/run-md.ts';
import { KB_EV_PER_K } from '../core/units.ts';
import { MD_ENSEMBLES, type MdEnsemble } from './md-ensembles.ts';

/** What an ensemble calculator returns: model-0 result plus the deviation (absent for one model). */
export type EnsembleStepResult = CalcResult;

/** Zero deviation of an N-atom frame (a single model has nothing to disagree with). */
export function noDeviation(natoms: number): ModelDeviation {
  return { max_devi_f: 0, min_devi_f: 0, avg_devi_f: 0, devi_e: 0, max_devi_v: 0, min_devi_v: 0, avg_devi_v: 0, atomic_devi_f: new Float64Array(natoms) };
}

/** A CPU or GPU ensemble: either flavour of the calculator protocol. */
export type EnsembleEngine = AnyCalculator;

export { MD_ENSEMBLES, type MdEnsemble };

export interface SimParams {
  ensemble: MdEnsemble;
  /** Target temperature, K (NVE: the temperature of the initial velocities). */
  temperatureK: number;
  /** Time step, fs. */
  dtFs: number;
  /** Langevin friction, 1/fs. */
  frictionPerFs: number;
  /** Nosé–Hoover (and NPT thermostat) period, fs. */
  tauTFs: number;
  /** NPT target pressure, bar. */
  pressureBar: number;
  /** NPT barostat period, fs. */
  tauPFs: number;
  /** Seed of the velocity draw and the thermostat noise. */
  seed: number;
  /** Trust levels for the good/decent/poor class, eV/Å: [lo, hi). */
  trustLo: number;
  trustHi: number;
}

export const DEFAULT_SIM_PARAMS: SimParams = {
  ensemble: 'langevin', temperatureK: 600, dtFs: 1, frictionPerFs: 0.01, tauTFs: 100, pressureBar: 1, tauPFs: 1000, seed: 1, trustLo: 0.05, trustHi: 0.15,
};

/** Check the parameters; throws an error naming the bad one. */
export function validateSimParams(p: SimParams): void {
  const pos = (x: number, what: string) => { if (!(x > 0) || !Number.isFinite(x)) throw new Error(`${what} must be a positive number, got ${x}`); };
  if (!(MD_ENSEMBLES as readonly string[]).includes(p.ensemble)) throw new Error(`unknown ensemble '${p.ensemble}' (${MD_ENSEMBLES.join(', ')})`);
  pos(p.dtFs, 'time step (fs)');
  if (p.dtFs > 10) throw new Error(`time step ${p.dtFs} fs is too large for metal MD (≤ 10 fs)`);
  if (!(p.temperatureK >= 0) || !Number.isFinite(p.temperatureK)) throw new Error(`temperature must be ≥ 0 K, got ${p.temperatureK}`);
  if (p.ensemble !== 'nve') pos(p.temperatureK, 'temperature (K)');
  pos(p.frictionPerFs, 'Langevin friction (1/fs)');
  pos(p.tauTFs, 'thermostat period (fs)');
  pos(p.tauPFs, 'barostat period (fs)');
  if (!Number.isFinite(p.pressureBar)) throw new Error(`pressure must be a finite number of bar, got ${p.pressureBar}`);
  const trust = trustLevelError(p.trustLo, p.trustHi);
  if (trust) throw new Error(trust);
}

export interface SimSnapshot {
  step: number;
  timeFs: number;
  /** Positions, Å (3N). */
  positions: Float64Array;
  /** Cell rows, Å (9), for periodic systems. */
  cell?: Float64Array;
  /** Per-atom force deviation ε_f,i, eV/Å (N). */
  atomicDeviF: Float64Array;
  temperatureK: number;
  potentialEnergy: number;
  kineticEnergy: number;
  /** The integrator's conserved quantity, eV (NVE: E_tot). */
  conservedEnergy: number;
  /** Cell volume, Å³ (periodic systems). */
  volumeA3?: number;
  maxDeviF: number;
  avgDeviF: number;
  deviE: number;
  deviationClass: DeviationClass;
  engine: string;
  /** Steps per second of the run so far (set by the run loop; 0 before it is measured). */
  stepsPerSecond: number;
}

/** A running MD trajectory on one engine (CPU or GPU), driven step by step by the worker. */
export interface MdRunner {
  readonly engineKind: 'webgpu' | 'cpu';
  /** The engine's name, e.g. "CPU float64 ensemble of 4". */
  readonly engineName: string;
  /** Steps done so far. */
  readonly step: number;
  /** Advance n steps (no snapshot). Throws a clear error if the dynamics explode. */
  run(n: number): Promise<void>;
  /** The current state as plain data (with the ensemble deviation). */
  snapshot(): Promise<SimSnapshot>;
  /** Change the thermostat target, K (not for NVE). */
  setTemperature(temperatureK: number): void;
  destroy(): void;
}

/** The starting frame with Maxwell–Boltzmann velocities at T (seeded), unless it has velocities. */
export function initialFrame(start: Frame, p: Pick<SimParams, 'temperatureK' | 'seed' | 'ensemble'>): Frame {
  if (start.velocities) return start;
  return withMaxwellBoltzmann(start, p.temperatureK, p.seed, p.ensemble === 'langevin' ? { zeroAngularMomentum: false } : {});
}

/** The farthest atom may be this far from the centre of a cluster before it counts as evaporated: start radius + 8 Å. */
export function clusterRadiusLimit(frame: Frame): number | null {
  if (!isCluster(frame)) return null;
  const x = frame.positions;
  const n = x.length / 3;
  const c = [0, 1, 2].map((k) => { let t = 0; for (let i = 0; i < n; i++) t += x[3 * i + k]; return t / n; });
  let r = 0;
  for (let i = 0; i < n; i++) r = Math.max(r, Math.hypot(x[3 * i] - c[0], x[3 * i + 1] - c[1], x[3 * i + 2] - c[2]));
  return r + 8;
}

/** Rescale a Nosé–Hoover chain to a new target temperature (K): kT and the masses Q ∝ kT. */
function retargetChain(c: NhcChain, temperatureK: number): NhcChain {
  const kt = KB_EV_PER_K * temperatureK;
  return { ...c, kt, q: c.q.map((q) => (q * kt) / c.kt), xi: [...c.xi], vxi: [...c.vxi] };
}

type AnyMdState = MdState & { temperatureK?: number; chain?: NhcChain; barostatChain?: NhcChain };

/** An interactive float64 MD run. Call `advance(n)` (or run + snapshot) repeatedly; nothing runs between calls. */
export class Simulation implements MdRunner {
  readonly engineKind = 'cpu' as const;
  private state: AnyMdState | undefined;
  private integrator: Integrator<MdState> | undefined;
  private deviation: ModelDeviation | undefined;
  private params: SimParams;
  private readonly maxRadiusA: number | null;
  private readonly start: Frame;

  constructor(start: Frame, private readonly engine: EnsembleEngine, params: Partial<SimParams> = {}) {
    this.params = { ...DEFAULT_SIM_PARAMS, ...params };
    validateSimParams(this.params);
    if (this.params.ensemble === 'npt' && !(start.cell && start.pbc.every(Boolean))) {
      throw new Error('NPT needs a cell periodic in x, y and z; this structure is an open cluster (use NVE, Langevin or Nosé–Hoover)');
    }
    this.start = initialFrame(start, this.params);
    this.maxRadiusA = clusterRadiusLimit(start);
  }

  get engineName(): string {
    return this.engine.name;
  }

  get step(): number {
    return this.state?.step ?? 0;
  }

  /** Current parameters. */
  get parameters(): SimParams {
    return { ...this.params };
  }

  /** Change the target temperature (K) of a running simulation. */
  setTemperature(temperatureK: number): void {
    if (!(temperatureK > 0) || !Number.isFinite(temperatureK)) throw new Error(`temperature must be > 0 K, got ${temperatureK}`);
    if (this.params.ensemble === 'nve') throw new Error('NVE has no thermostat: the temperature cannot be changed during the run');
    this.params.temperatureK = temperatureK;
    const s = this.state;
    if (!s) return;
    const next: AnyMdState = { ...s, temperatureK };
    if (s.chain) next.chain = retargetChain(s.chain, temperatureK);
    if (s.barostatChain) next.barostatChain = retargetChain(s.barostatChain, temperatureK);
    this.state = next;
  }

  private async init(): Promise<AnyMdState> {
    const p = this.params;
    const frame = this.start;
    const first = await this.engine.compute(frame);
    this.deviation = first.deviation ?? noDeviation(frame.symbols.length);
    const once: Calculator = { name: this.engine.name, implementedProperties: this.engine.implementedProperties, compute: () => first };
    const dt = p.dtFs;
    switch (p.ensemble) {
      case 'nve':
        this.integrator = verlet;
        return initVerlet(frame, once, { dt });
      case 'langevin':
        this.integrator = langevin as Integrator<MdState>;
        return initLangevin(frame, once, { dt, temperatureK: p.temperatureK, frictionPerFs: p.frictionPerFs, seed: p.seed + 1 });
      case 'nose-hoover':
        this.integrator = noseHooverChain as Integrator<MdState>;
        return initNoseHooverChain(frame, once, { dt, temperatureK: p.temperatureK, tauFs: p.tauTFs });
      case 'npt':
        this.integrator = npt as Integrator<MdState>;
        return initNpt(frame, once, { dt, temperatureK: p.temperatureK, pressureBar: p.pressureBar, tauTFs: p.tauTFs, tauPFs: p.tauPFs });
    }
  }

  /**
   * Run `nsteps` MD steps. Throws (keeping the last good state, so the run can be inspected)
   * if the dynamics explode: non-finite values, T > 10× target, or an atom leaving the cluster.
   */
  async run(nsteps: number): Promise<void> {
    let s = this.state ?? (await this.init());
    this.state = s;
    const integ = this.integrator!;
    for (let k = 0; k < nsteps; k++) {
      const moved = integ.advance(s);
      const res = await this.engine.compute(moved.frame);
      const next = integ.complete(moved, res);
      const why = explosionReason(integ, next, { maxTemperatureFactor: 10, maxRadiusA: this.maxRadiusA, referenceTemperatureK: this.params.temperatureK });
      if (why) throw new Error(`MD stopped at step ${next.step}: ${why}`);
      s = next;
      this.state = s;
      this.deviation = res.deviation ?? noDeviation(s.frame.symbols.length);
    }
  }

  /** Run `nsteps` steps and return a snapshot. */
  async advance(nsteps: number): Promise<SimSnapshot> {
    await this.run(nsteps);
    return this.snapshot();
  }

  /** The current state as plain data (starts the run if nothing ran yet). */
  async snapshot(): Promise<SimSnapshot> {
    if (!this.state) this.state = await this.init();
    const s = this.state;
    const d = this.deviation!;
    const ke = stateKinetic(s);
    const periodic = s.frame.cell && s.frame.pbc.some(Boolean);
    return {
      step: s.step,
      timeFs: s.time,
      positions: new Float64Array(s.frame.positions),
      cell: periodic ? new Float64Array(s.frame.cell!) : undefined,
      atomicDeviF: new Float64Array(d.atomic_devi_f),
      temperatureK: temperature(ke, s.dof),
      potentialEnergy: s.potentialEnergy,
      kineticEnergy: ke,
      conservedEnergy: this.integrator!.conservedEnergy(s),
      volumeA3: periodic ? cellVolume(s.frame) : undefined,
      maxDeviF: d.max_devi_f,
      avgDeviF: d.avg_devi_f,
      deviE: d.devi_e,
      deviationClass: classifyDeviation(d, { lo: this.params.trustLo, hi: this.params.trustHi }),
      engine: this.engine.name,
      stepsPerSecond: 0,
    };
  }

  destroy(): void {
    this.state = undefined;
  }
}
