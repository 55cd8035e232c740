/**
 * The interactive simulation the studio runs: Langevin NVT MD of a cluster driven by model 0 of
 * a DP ensemble, with the ensemble's per-atom force deviation at every step (DP-GEN
 * exploration semantics). Pure TypeScript, no DOM: the worker drives it, tests run it in Node.
 *
 * The calculator may be synchronous (CPU float64 ensemble) or asynchronous (WebGPU engine);
 * the integrator is split at the force evaluation (core/md/state.ts), so both fit.
 * Units: Å, fs, K, eV, eV/Å.
 */
import type { Frame } from '../core/atoms.ts';
import type { AnyCalculator, CalcResult, Calculator } from '../core/potentials/calculator.ts';
import { classifyDeviation, type DeviationClass, type ModelDeviation } from '../core/potentials/dp/deviation.ts';
import { initLangevin, langevin, type LangevinState } from '../core/md/langevin.ts';
import { withMaxwellBoltzmann } from '../core/md/velocities.ts';
import { stateKinetic } from '../core/md/state.ts';
import { temperature } from '../core/md/thermo.ts';
import { explosionReason } from '../core/md/run-md.ts';

/** What an ensemble calculator returns: model-0 result plus the deviation (absent for one model). */
export type EnsembleStepResult = CalcResult;

/** Zero deviation of an N-atom frame (a single model has nothing to disagree with). */
function noDeviation(natoms: number): ModelDeviation {
  return { max_devi_f: 0, min_devi_f: 0, avg_devi_f: 0, devi_e: 0, max_devi_v: 0, min_devi_v: 0, avg_devi_v: 0, atomic_devi_f: new Float64Array(natoms) };
}

/** A CPU or GPU ensemble: either flavour of the calculator protocol. */
export type EnsembleEngine = AnyCalculator;

export interface SimParams {
  /** Target temperature, K. */
  temperatureK: number;
  /** Time step, fs. */
  dtFs: number;
  /** Langevin friction, 1/fs. */
  frictionPerFs: number;
  /** Seed of the velocity draw and the thermostat noise. */
  seed: number;
  /** Trust levels for the good/decent/poor class, eV/Å: [lo, hi). */
  trustLo: number;
  trustHi: number;
}

export const DEFAULT_SIM_PARAMS: SimParams = { temperatureK: 600, dtFs: 1, frictionPerFs: 0.01, seed: 1, trustLo: 0.05, trustHi: 0.15 };

export interface SimSnapshot {
  step: number;
  timeFs: number;
  /** Positions, Å (3N). */
  positions: Float64Array;
  /** Per-atom force deviation ε_f,i, eV/Å (N). */
  atomicDeviF: Float64Array;
  temperatureK: number;
  potentialEnergy: number;
  kineticEnergy: number;
  maxDeviF: number;
  avgDeviF: number;
  deviE: number;
  deviationClass: DeviationClass;
  engine: string;
}

/** An interactive NVT run. Call `advance(n)` repeatedly; nothing runs between calls. */
export class Simulation {
  private state: LangevinState | undefined;
  private deviation: ModelDeviation | undefined;
  private params: SimParams;
  /** An atom farther than this from the centre (Å) has left the cluster: start radius + 8 Å. */
  private readonly maxRadiusA: number;

  constructor(private readonly start: Frame, private readonly engine: EnsembleEngine, params: Partial<SimParams> = {}) {
    this.params = { ...DEFAULT_SIM_PARAMS, ...params };
    const x = start.positions;
    const n = x.length / 3;
    const c = [0, 1, 2].map((k) => { let t = 0; for (let i = 0; i < n; i++) t += x[3 * i + k]; return t / n; });
    let r = 0;
    for (let i = 0; i < n; i++) r = Math.max(r, Math.hypot(x[3 * i] - c[0], x[3 * i + 1] - c[1], x[3 * i + 2] - c[2]));
    this.maxRadiusA = r + 8;
  }

  /** Current parameters. */
  get parameters(): SimParams {
    return { ...this.params };
  }

  /** Change the target temperature (K) of a running simulation. */
  setTemperature(temperatureK: number): void {
    if (!(temperatureK >= 0) || !Number.isFinite(temperatureK)) throw new Error(`temperature must be ≥ 0 K, got ${temperatureK}`);
    this.params.temperatureK = temperatureK;
    if (this.state) this.state = { ...this.state, temperatureK };
  }

  private async init(): Promise<LangevinState> {
    const p = this.params;
    const frame = withMaxwellBoltzmann(this.start, p.temperatureK, p.seed);
    const first = await this.engine.compute(frame);
    this.deviation = first.deviation ?? noDeviation(frame.symbols.length);
    const once: Calculator = { name: this.engine.name, implementedProperties: this.engine.implementedProperties, compute: () => first };
    return initLangevin(frame, once, { dt: p.dtFs, temperatureK: p.temperatureK, frictionPerFs: p.frictionPerFs, seed: p.seed + 1 });
  }

  /**
   * Run `nsteps` MD steps and return a snapshot. Throws (keeping the last good state, so the
   * run can be inspected) if the dynamics explode: non-finite values, T > 10× target, or an
   * atom leaving the cluster.
   */
  async advance(nsteps: number): Promise<SimSnapshot> {
    let s = this.state ?? (await this.init());
    for (let k = 0; k < nsteps; k++) {
      const moved = langevin.advance(s);
      const res = await this.engine.compute(moved.frame);
      const next = langevin.complete(moved, res);
      const why = explosionReason(langevin, next, { maxTemperatureFactor: 10, maxRadiusA: this.maxRadiusA });
      if (why) throw new Error(`MD stopped at step ${next.step}: ${why}`);
      s = next;
      this.deviation = res.deviation ?? noDeviation(s.frame.symbols.length);
    }
    this.state = s;
    return this.snapshot();
  }

  /** The current state as plain data. */
  snapshot(): SimSnapshot {
    const s = this.state;
    const d = this.deviation;
    if (!s || !d) throw new Error('simulation not started');
    const ke = stateKinetic(s);
    return {
      step: s.step,
      timeFs: s.time,
      positions: new Float64Array(s.frame.positions),
      atomicDeviF: new Float64Array(d.atomic_devi_f),
      temperatureK: temperature(ke, s.dof),
      potentialEnergy: s.potentialEnergy,
      kineticEnergy: ke,
      maxDeviF: d.max_devi_f,
      avgDeviF: d.avg_devi_f,
      deviE: d.devi_e,
      deviationClass: classifyDeviation(d, { lo: this.params.trustLo, hi: this.params.trustHi }),
      engine: this.engine.name,
    };
  }
}
