/**
 * Basin hopping in the studio: the core's ask–tell state machine (core/bhmc.ts) driven by a DP
 * ensemble calculator (CPU float64 or WebGPU). Every evaluated relaxation frame becomes a
 * SavedFrame (runKind 'bhmc') with the ensemble deviation of that evaluation; after each
 * relaxation the trial (energy per trial for the chain plot) and the distinct minima are
 * reported. Pausable and stoppable between evaluations. Units: Å, eV, eV/Å, K.
 */
import type { Frame } from '../core/atoms.ts';
import { bhmcInit, bhmcPending, bhmcStep, type BhmcState } from '../core/bhmc.ts';
import { kT } from '../core/units.ts';
import type { RunInfo, SavedFrame } from './frames.ts';
import { frameClass } from './md-run.ts';
import { SortedMinimaList } from './bhmc-minima-list.ts';
import { noDeviation, type EnsembleEngine } from './simulation.ts';

export interface BhmcRunParams {
  natoms: number;
  element: string;
  /** Metropolis temperature, K. */
  temperatureK: number;
  /** Half-width of the random displacement of every coordinate, Å. */
  stepSize: number;
  /** Relaxation convergence, eV/Å. */
  fmax: number;
  /** Basin-hopping trials after the start relaxation. */
  trials: number;
  seed: number;
  /** Largest number of optimizer steps per relaxation (default 500, at most 9999). */
  maxRelaxSteps?: number;
}

/** Check the parameters; throws an error naming the bad one. */
export function validateBhmcParams(p: BhmcRunParams): void {
  if (!Number.isInteger(p.natoms) || p.natoms < 2 || p.natoms > 300) throw new Error(`number of atoms must be an integer 2–300, got ${p.natoms}`);
  if (!Number.isInteger(p.trials) || p.trials < 1 || p.trials > 100000) throw new Error(`trials must be a positive integer, got ${p.trials}`);
  if (!(p.temperatureK >= 0) || !Number.isFinite(p.temperatureK)) throw new Error(`temperature must be ≥ 0 K, got ${p.temperatureK}`);
  if (!(p.stepSize > 0) || p.stepSize > 5) throw new Error(`step size must be in (0, 5] Å, got ${p.stepSize}`);
  if (!(p.fmax > 0) || !Number.isFinite(p.fmax)) throw new Error(`fmax must be a positive force (eV/Å), got ${p.fmax}`);
  const m = p.maxRelaxSteps ?? 500;
  if (!Number.isInteger(m) || m < 1 || m > 9999) throw new Error(`max relaxation steps must be an integer 1–9999, got ${m}`);
}

/** One finished relaxation, as the chain plot shows it. */
export interface BhmcTrialInfo {
  trial: number;
  /** Relaxed energy, eV (NaN when rejected as broken). */
  energy: number;
  accepted: boolean;
  reason: string;
  /** Energy of the current (last accepted) minimum, eV. */
  currentEnergy: number;
  relaxSteps: number;
  /** Id of the minimum it reached (−1 if broken). */
  minimum: number;
}

/** A distinct minimum, with its structure for the viewer. */
export interface BhmcMinimumInfo {
  id: number;
  energy: number;
  visits: number;
  firstTrial: number;
  converged: boolean;
  symbols: string[];
  positions: Float64Array;
}

/** How many of the lowest distinct minima each trial report lists (the page's list; the total is reported too). */
export const MINIMA_LISTED = 100;

export interface BhmcListener {
  /** After each relaxation: the trial, the MINIMA_LISTED lowest distinct minima (lowest first) and how many there are in all. */
  onTrial(t: BhmcTrialInfo, minima: BhmcMinimumInfo[], distinctMinima: number): void;
  onFrames(frames: SavedFrame[]): void;
  onEnd(how: { kind: 'finished' | 'stopped' } | { kind: 'error'; message: string }): void;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class BhmcRun {
  private paused = false;
  private stopped = false;
  readonly state: BhmcState;
  private lastStep = -1;
  private pending: SavedFrame[] = [];
  /** The distinct minima sorted by energy, updated per trial (not re-sorted). */
  private readonly minima = new SortedMinimaList();
  /** Calculator evaluations per second over the active time. */
  evaluationsPerSecond = 0;
  private activeMs = 0;
  private evaluations = 0;

  constructor(readonly info: RunInfo, readonly params: BhmcRunParams, private readonly listener: BhmcListener, private readonly trust: { lo: number; hi: number }) {
    validateBhmcParams(params);
    this.state = bhmcInit({
      natoms: params.natoms, element: params.element, steps: params.trials, seed: params.seed, kT: kT(params.temperatureK),
      stepSize: params.stepSize, fmax: params.fmax, maxRelaxSteps: params.maxRelaxSteps ?? 500,
    });
  }

  /** The structure the next evaluation needs (null when done). */
  pendingFrame(): Frame | null {
    return bhmcPending(this.state);
  }

  async pause(): Promise<void> {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  stop(): void {
    this.stopped = true;
  }

  private savedFrame(f: Frame, res: Awaited<ReturnType<EnsembleEngine['compute']>>): SavedFrame {
    const st = this.state;
    const trial = st.phase === 'start' ? 0 : st.trial + 1;
    let step = trial * 10000 + st.relax.steps;
    if (step <= this.lastStep) step = this.lastStep + 1; // a regrown start keeps the steps monotone
    this.lastStep = step;
    const d = res.deviation ?? noDeviation(f.symbols.length);
    return {
      runId: this.info.id,
      step,
      timeFs: 0,
      symbols: [...f.symbols],
      positions: new Float64Array(f.positions),
      temperatureK: this.params.temperatureK,
      potentialEnergy: res.energy,
      kineticEnergy: 0,
      maxDeviF: d.max_devi_f,
      avgDeviF: d.avg_devi_f,
      atomicDeviF: new Float64Array(d.atomic_devi_f),
      frameClass: frameClass(d.max_devi_f, this.trust.lo, this.trust.hi),
    };
  }

  /** Run to the end with `calc` (or until stopped); reports through the listener, never throws. */
  async loop(calc: EnsembleEngine): Promise<void> {
    const st = this.state;
    let seen = st.trials.length;
    let sinceYield = performance.now();
    try {
      for (let f = bhmcPending(st); f && !this.stopped; f = bhmcPending(st)) {
        if (this.paused) {
          if (this.pending.length) this.flush();
          await sleep(25);
          sinceYield = performance.now();
          continue;
        }
        const t0 = performance.now();
        const res = await calc.compute(f);
        this.activeMs += performance.now() - t0;
        this.evaluations++;
        this.evaluationsPerSecond = this.activeMs > 0 ? (1000 * this.evaluations) / this.activeMs : 0;
        this.pending.push(this.savedFrame(f, res));
        bhmcStep(st, res);
        if (st.trials.length > seen) {
          this.flush();
          const from = seen;
          for (let k = from; k < st.trials.length; k++) if (st.trials[k].minimum >= 0) this.minima.update(st.minima[st.trials[k].minimum]);
          const listed = this.minima.lowest(MINIMA_LISTED);
          for (; seen < st.trials.length; seen++) {
            const t = st.trials[seen];
            this.listener.onTrial({ trial: t.trial, energy: t.energy, accepted: t.accepted, reason: t.reason, currentEnergy: t.currentEnergy, relaxSteps: t.relaxSteps, minimum: t.minimum }, listed, this.minima.size);
          }
        }
        if (performance.now() - sinceYield > 50) {
          await sleep(0); // let pause/stop messages in
          sinceYield = performance.now();
        }
      }
      this.flush();
      this.listener.onEnd({ kind: this.stopped ? 'stopped' : 'finished' });
    } catch (e) {
      this.flush();
      this.listener.onEnd({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  private flush(): void {
    if (!this.pending.length) return;
    this.listener.onFrames(this.pending);
    this.pending = [];
  }
}
