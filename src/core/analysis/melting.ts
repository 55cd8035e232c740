/**
 * Melting curves (the paper's Cu1103 validation): a heating ladder of NVT runs, each giving the
 * mean potential energy per atom and the Lindemann index at its temperature, and an estimate
 * of the melting temperature from those points.
 *
 * `MeltingLadder` is engine-agnostic bookkeeping (no MD inside): the driver — the CPU Langevin
 * integrator here (`runMeltingLadder`), the WebGPU integrator in the studio's worker — asks for
 * the current target temperature, runs steps, and reports each step. Each rung equilibrates,
 * then samples every `sampleEvery` steps; the next rung starts from the last state (heating).
 *
 * Melting estimate: E_pot/atom vs T of a cluster is close to linear below and above melting with
 * a jump in between (a quasi-first-order transition). We fit two straight lines, one to the
 * points below and one to the points above each possible split (least squares, ≥ 2 points per
 * side), keep the split with the smallest total squared residual, and report the midpoint of the
 * two temperatures around it and the jump of the fits there (latent heat per atom). The
 * Lindemann estimate is the first temperature where δ crosses the threshold (default 0.1),
 * interpolated linearly between rungs.
 * Units: K, eV, eV/atom; δ dimensionless.
 */
import type { Frame } from '../atoms.ts';
import type { Calculator } from '../potentials/calculator.ts';
import { LindemannAccumulator } from './lindemann.ts';
import { initLangevin, langevin } from '../md/langevin.ts';
import { stepWith, stateKinetic } from '../md/state.ts';
import { temperature } from '../md/thermo.ts';

export interface MeltingLadderParams {
  /** Target temperatures, K, in the order they are run (a heating ladder is increasing). */
  temperaturesK: number[];
  /** MD steps at each rung before sampling starts. */
  equilibrationSteps: number;
  /** MD steps of sampling at each rung. */
  samplingSteps: number;
  /** Sample (E_pot, positions for δ) every K steps of the sampling window (default 10). */
  sampleEvery?: number;
}

/** One rung of the ladder. */
export interface MeltingPoint {
  /** Target temperature, K. */
  targetK: number;
  /** Mean instantaneous temperature over the samples, K. */
  meanTemperatureK: number;
  /** Mean potential energy per atom, eV/atom. */
  potentialEnergyPerAtom: number;
  /** Standard error of that mean (samples treated as independent), eV/atom. */
  potentialEnergyStdErr: number;
  /** Mean total (potential + kinetic) energy per atom, eV/atom. */
  totalEnergyPerAtom: number;
  /** Lindemann index over the rung's samples. */
  lindemann: number;
  /** Per-atom Lindemann index δ_i (surface atoms melt first). */
  lindemannPerAtom: Float64Array;
  samples: number;
}

/** What the driver reports after every MD step. */
export interface MeltingStepReport {
  /** Positions, Å (3N). */
  positions: Float64Array;
  cell?: Frame['cell'];
  pbc?: Frame['pbc'];
  /** Potential and kinetic energy, eV. */
  potentialEnergy: number;
  kineticEnergy: number;
  /** Instantaneous temperature, K. */
  temperatureK: number;
}

/** Bookkeeping of a heating ladder; see the module comment. */
export class MeltingLadder {
  readonly points: MeltingPoint[] = [];
  private rung = 0;
  private stepInRung = 0;
  private acc: LindemannAccumulator;
  private sums = { t: 0, e: 0, e2: 0, tot: 0, n: 0 };
  private readonly every: number;

  constructor(readonly natoms: number, readonly params: MeltingLadderParams) {
    const t = params.temperaturesK;
    if (t.length < 1) throw new Error('the melting ladder needs at least one temperature');
    t.forEach((x, i) => {
      if (!(x > 0) || !Number.isFinite(x)) throw new Error(`melting ladder temperature ${i} must be > 0 K, got ${x}`);
    });
    for (const key of ['equilibrationSteps', 'samplingSteps'] as const) {
      const v = params[key];
      if (!Number.isInteger(v) || v < 0) throw new Error(`melting ladder ${key} must be a non-negative integer, got ${v}`);
    }
    this.every = params.sampleEvery ?? 10;
    if (!Number.isInteger(this.every) || this.every < 1) throw new Error(`melting ladder sampleEvery must be a positive integer, got ${this.every}`);
    if (params.samplingSteps < 2 * this.every) throw new Error(`melting ladder samplingSteps (${params.samplingSteps}) must give at least 2 samples at sampleEvery ${this.every}`);
    this.acc = new LindemannAccumulator(natoms);
  }

  /** Target temperature of the current rung, K, or null when the ladder is done. */
  get targetK(): number | null {
    return this.rung < this.params.temperaturesK.length ? this.params.temperaturesK[this.rung] : null;
  }

  get done(): boolean {
    return this.targetK === null;
  }

  /** Fraction of the ladder done (0..1), for progress bars. */
  get progress(): number {
    const per = this.params.equilibrationSteps + this.params.samplingSteps;
    return Math.min(1, (this.rung * per + this.stepInRung) / (this.params.temperaturesK.length * per));
  }

  /** Whether the step `k` steps ahead in the current rung (k ≥ 1) is sampled. */
  private sampledAt(k: number): boolean {
    const sampling = this.stepInRung + k - this.params.equilibrationSteps;
    return sampling > 0 && sampling % this.every === 0;
  }

  /**
   * Steps from now up to and including the next one the ladder must see: the next sampled step
   * or the last step of the rung, whichever comes first (≥ 1; 0 when the ladder is done). A
   * driver that keeps its state elsewhere (the GPU) runs that many steps, then reads the state
   * back only if `sampledAfter(n)`.
   */
  stepsToNextEvent(): number {
    if (this.done) return 0;
    const e = this.params.equilibrationSteps, end = e + this.params.samplingSteps;
    const s = this.stepInRung;
    const nextSample = s < e ? e + this.every : e + this.every * (Math.floor((s - e) / this.every) + 1);
    return Math.min(nextSample, end) - s;
  }

  /** Whether the last of the next `n` steps is sampled (its state must be reported). */
  sampledAfter(n: number): boolean {
    return this.sampledAt(n);
  }

  /**
   * Count `n` steps taken at the current target temperature (1 ≤ n ≤ stepsToNextEvent()), with
   * the state after the last of them; the state is needed only when that step is sampled.
   */
  advance(n: number, last?: MeltingStepReport): void {
    const target = this.targetK;
    if (target === null) throw new Error('the melting ladder is complete; no more steps expected');
    const room = this.stepsToNextEvent();
    if (!Number.isInteger(n) || n < 1 || n > room) throw new Error(`the melting ladder can advance 1–${room} steps before its next sample or rung end, got ${n}`);
    if (this.sampledAt(n) && !last) throw new Error(`step ${this.stepInRung + n} of the ${target} K rung is sampled: its state must be reported`);
    this.stepInRung += n - 1;
    this.observe(last);
  }

  /** Report one MD step taken at the current target temperature (the state may be omitted on steps that are not sampled). */
  observe(r?: MeltingStepReport): void {
    const target = this.targetK;
    if (target === null) throw new Error('the melting ladder is complete; no more steps expected');
    if (this.sampledAt(1) && !r) throw new Error(`step ${this.stepInRung + 1} of the ${target} K rung is sampled: its state must be reported`);
    this.stepInRung++;
    if (r && this.sampledAt(0)) {
      const e = r.potentialEnergy / this.natoms;
      this.sums.t += r.temperatureK;
      this.sums.e += e;
      this.sums.e2 += e * e;
      this.sums.tot += (r.potentialEnergy + r.kineticEnergy) / this.natoms;
      this.sums.n++;
      this.acc.add({ positions: r.positions, cell: r.cell ?? null, pbc: r.pbc ?? [false, false, false] });
    }
    if (this.stepInRung === this.params.equilibrationSteps + this.params.samplingSteps) this.closeRung(target);
  }

  private closeRung(target: number): void {
    const s = this.sums;
    const mean = s.e / s.n;
    const variance = Math.max(0, s.e2 / s.n - mean * mean);
    const perAtom = this.acc.perAtom();
    const lindemannIndex = this.acc.index();
    this.points.push({
      targetK: target,
      meanTemperatureK: s.t / s.n,
      potentialEnergyPerAtom: mean,
      potentialEnergyStdErr: Math.sqrt(variance / Math.max(1, s.n - 1)),
      totalEnergyPerAtom: s.tot / s.n,
      lindemann: lindemannIndex,
      lindemannPerAtom: perAtom,
      samples: s.n,
    });
    this.rung++;
    this.stepInRung = 0;
    this.sums = { t: 0, e: 0, e2: 0, tot: 0, n: 0 };
    this.acc = new LindemannAccumulator(this.natoms);
  }
}

export interface MeltingEstimate {
  /** From the energy jump: midpoint of the two rungs around the best split, K (null with < 4 points). */
  fromEnergyK: number | null;
  /** The two rungs (K) that bracket the jump. */
  bracketK: [number, number] | null;
  /** Jump of the two linear fits at fromEnergyK, eV/atom (latent heat per atom). */
  latentHeatPerAtom: number | null;
  /** The two fits E = a + b·T (eV/atom, eV/atom/K): below and above. */
  fits: { below: { a: number; b: number }; above: { a: number; b: number } } | null;
  /** First temperature where the Lindemann index crosses the threshold, K (interpolated), or null. */
  fromLindemannK: number | null;
  lindemannThreshold: number;
}

function lineFit(x: number[], y: number[]): { a: number; b: number; sse: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n, my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) { sxx += (x[i] - mx) ** 2; sxy += (x[i] - mx) * (y[i] - my); }
  const b = sxx > 0 ? sxy / sxx : 0;
  const a = my - b * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - a - b * x[i]) ** 2;
  return { a, b, sse };
}

/**
 * Estimate the melting temperature from ladder points (any order; sorted by temperature here).
 * Uses the mean measured temperature of each rung as x.
 */
export function estimateMelting(points: Pick<MeltingPoint, 'meanTemperatureK' | 'potentialEnergyPerAtom' | 'lindemann'>[], lindemannThreshold = 0.1): MeltingEstimate {
  const p = [...points].sort((a, b) => a.meanTemperatureK - b.meanTemperatureK);
  const T = p.map((q) => q.meanTemperatureK), E = p.map((q) => q.potentialEnergyPerAtom);
  let best: { k: number; sse: number; below: { a: number; b: number }; above: { a: number; b: number } } | null = null;
  for (let k = 2; k <= p.length - 2; k++) {
    const lo = lineFit(T.slice(0, k), E.slice(0, k));
    const hi = lineFit(T.slice(k), E.slice(k));
    const sse = lo.sse + hi.sse;
    if (!best || sse < best.sse) best = { k, sse, below: { a: lo.a, b: lo.b }, above: { a: hi.a, b: hi.b } };
  }
  let fromLindemannK: number | null = null;
  for (let i = 0; i < p.length; i++) {
    if (p[i].lindemann >= lindemannThreshold) {
      if (i === 0) fromLindemannK = T[0];
      else {
        const f = (lindemannThreshold - p[i - 1].lindemann) / (p[i].lindemann - p[i - 1].lindemann);
        fromLindemannK = T[i - 1] + f * (T[i] - T[i - 1]);
      }
      break;
    }
  }
  if (!best) return { fromEnergyK: null, bracketK: null, latentHeatPerAtom: null, fits: null, fromLindemannK, lindemannThreshold };
  const tm = 0.5 * (T[best.k - 1] + T[best.k]);
  const jump = best.above.a + best.above.b * tm - (best.below.a + best.below.b * tm);
  return { fromEnergyK: tm, bracketK: [T[best.k - 1], T[best.k]], latentHeatPerAtom: jump, fits: { below: best.below, above: best.above }, fromLindemannK, lindemannThreshold };
}

export interface RunMeltingOptions extends MeltingLadderParams {
  /** Time step, fs (default 1). */
  dtFs?: number;
  /** Langevin friction, 1/fs (default 0.01). */
  frictionPerFs?: number;
  seed?: number;
  /** Called after each rung. Return 'stop' to end early (the points so far are returned). */
  onRung?: (point: MeltingPoint, ladder: MeltingLadder) => void | 'stop';
}

/**
 * A heating ladder on the CPU: Langevin NVT at each rung with a synchronous calculator (the
 * velocities are drawn by the integrator's thermostat from rest; the first rung's equilibration
 * thermalises them). Returns the ladder (points) and the estimate.
 */
export function runMeltingLadder(frame: Frame, calc: Calculator, opts: RunMeltingOptions): { ladder: MeltingLadder; estimate: MeltingEstimate; finalFrame: Frame } {
  const ladder = new MeltingLadder(frame.symbols.length, opts);
  let s = initLangevin(frame, calc, { dt: opts.dtFs ?? 1, temperatureK: ladder.targetK!, frictionPerFs: opts.frictionPerFs ?? 0.01, seed: opts.seed ?? 1 });
  let rungs = 0;
  while (!ladder.done) {
    const target = ladder.targetK!;
    if (s.temperatureK !== target) s = { ...s, temperatureK: target };
    s = stepWith(langevin, s, calc);
    if (!Number.isFinite(s.potentialEnergy)) throw new Error(`melting ladder: the potential energy became ${s.potentialEnergy} at ${target} K (step ${s.step})`);
    const ke = stateKinetic(s);
    ladder.observe({ positions: s.frame.positions, cell: s.frame.cell, pbc: s.frame.pbc, potentialEnergy: s.potentialEnergy, kineticEnergy: ke, temperatureK: temperature(ke, s.dof) });
    if (ladder.points.length > rungs) {
      rungs = ladder.points.length;
      if (opts.onRung?.(ladder.points[rungs - 1], ladder) === 'stop') break;
    }
  }
  return { ladder, estimate: estimateMelting(ladder.points), finalFrame: s.frame };
}
