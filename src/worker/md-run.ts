/**
 * The studio's MD run loop around an MdRunner (CPU or GPU): a fixed number of steps, a frame
 * saved every `saveEvery` steps (a SavedFrame with its ensemble deviation, and a live snapshot),
 * steps per second over the active (unpaused) time, and controls that act at once — pause,
 * resume, a single step, stop, a new target temperature. Work is done in chunks of ~0.1 s
 * between which the worker's message loop runs. Units: fs, K, eV, eV/Å.
 */
import type { FrameClass, RunInfo, SavedFrame } from './frames.ts';
import type { MdRunner, SimSnapshot } from './simulation.ts';

/** Class of a frame with the run's trust levels (eV/Å): good < lo ≤ decent < hi ≤ poor. */
export function frameClass(maxDeviF: number, lo: number, hi: number): FrameClass {
  return maxDeviF >= hi || !Number.isFinite(maxDeviF) ? 'poor' : maxDeviF >= lo ? 'decent' : 'good';
}

/** A SavedFrame of a run from an MD snapshot. */
export function savedFrameOf(run: RunInfo, s: SimSnapshot, symbols: string[], pbc?: [boolean, boolean, boolean]): SavedFrame {
  const f: SavedFrame = {
    runId: run.id,
    step: s.step,
    timeFs: s.timeFs,
    symbols,
    positions: s.positions,
    temperatureK: s.temperatureK,
    potentialEnergy: s.potentialEnergy,
    kineticEnergy: s.kineticEnergy,
    maxDeviF: s.maxDeviF,
    avgDeviF: s.avgDeviF,
    atomicDeviF: s.atomicDeviF,
    frameClass: frameClass(s.maxDeviF, run.trustLo, run.trustHi),
  };
  if (s.cell) {
    f.cell = s.cell;
    f.pbc = pbc ?? [true, true, true];
  }
  return f;
}

/** What a run reports (comlink proxies in the browser, plain objects in tests). */
export interface MdListener {
  onSnapshot(s: SimSnapshot): void;
  onFrames(frames: SavedFrame[]): void;
  /** The run ended: 'finished' (all steps), 'stopped' or an error message (state kept). */
  onEnd(how: { kind: 'finished' | 'stopped' } | { kind: 'error'; message: string }): void;
}

export interface MdRunOptions {
  /** Total steps of the run. */
  steps: number;
  /** Save a frame every this many steps. */
  saveEvery: number;
  /** Target wall time of one chunk of steps, ms (default 100). */
  chunkMs?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class MdRun {
  private paused = false;
  private stopped = false;
  private finished = false;
  private activeMs = 0;
  private activeSteps = 0;
  private busy: Promise<void> = Promise.resolve();
  /** Step of the last snapshot shown. */
  private lastShown = -1;
  /** Steps per second over the active time so far. */
  stepsPerSecond = 0;

  constructor(
    readonly runner: MdRunner,
    readonly info: RunInfo,
    private readonly symbols: string[],
    private readonly pbc: [boolean, boolean, boolean] | undefined,
    private readonly opts: MdRunOptions,
    private readonly listener: MdListener,
  ) {
    if (!Number.isInteger(opts.steps) || opts.steps < 1) throw new Error(`steps must be a positive integer, got ${opts.steps}`);
    if (!Number.isInteger(opts.saveEvery) || opts.saveEvery < 1) throw new Error(`save interval must be a positive integer of steps, got ${opts.saveEvery}`);
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Emit frames measured before the loop started (e.g. while choosing the engine). */
  emit(snaps: SimSnapshot[]): void {
    if (!snaps.length) return;
    for (const s of snaps) s.stepsPerSecond = this.stepsPerSecond;
    this.listener.onFrames(snaps.map((s) => savedFrameOf(this.info, s, this.symbols, this.pbc)));
    this.listener.onSnapshot(snaps[snaps.length - 1]);
    this.lastShown = snaps[snaps.length - 1].step;
  }

  /** Count steps done outside the loop (engine measurement) into the rate. */
  addTiming(steps: number, ms: number): void {
    this.activeSteps += steps;
    this.activeMs += ms;
    this.stepsPerSecond = this.activeMs > 0 ? (1000 * this.activeSteps) / this.activeMs : 0;
  }

  private async advance(n: number): Promise<void> {
    const t0 = performance.now();
    await this.runner.run(n);
    this.addTiming(n, performance.now() - t0);
    const step = this.runner.step;
    if (step % this.opts.saveEvery === 0 || step >= this.opts.steps) {
      const s = await this.runner.snapshot();
      this.emit([s]);
    }
  }

  /** Run to the end (or until stopped); reports through the listener, never throws. */
  async loop(): Promise<void> {
    const chunkMs = this.opts.chunkMs ?? 100;
    try {
      while (!this.stopped && this.runner.step < this.opts.steps) {
        if (this.paused) {
          await sleep(25);
          continue;
        }
        const step = this.runner.step;
        const toSave = this.opts.saveEvery - (step % this.opts.saveEvery);
        const perChunk = Math.max(1, Math.floor((this.stepsPerSecond * chunkMs) / 1000));
        const n = Math.min(toSave, perChunk, this.opts.steps - step);
        const work = this.advance(n);
        this.busy = work;
        await work;
        await sleep(0); // let pause/stop/temperature messages in
      }
      if (this.stopped) this.listener.onEnd({ kind: 'stopped' });
      else {
        this.finished = true;
        this.listener.onEnd({ kind: 'finished' });
      }
    } catch (e) {
      this.stopped = true;
      this.listener.onEnd({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  }

  /** Pause after the chunk in flight and show the state it stopped at (a live snapshot, not saved). */
  async pause(): Promise<void> {
    this.paused = true;
    await this.busy;
    if (this.stopped || this.runner.step === this.lastShown) return;
    const work = this.runner.snapshot().then((s) => {
      s.stepsPerSecond = this.stepsPerSecond;
      this.lastShown = s.step;
      this.listener.onSnapshot(s);
    });
    this.busy = work;
    await work;
  }

  resume(): void {
    this.paused = false;
  }

  /** While paused: advance exactly one step and show it (saved when on the save interval). */
  async step(): Promise<void> {
    if (!this.paused) throw new Error('pause the run before stepping');
    if (this.stopped || this.finished || this.runner.step >= this.opts.steps) throw new Error('the run has ended');
    await this.busy;
    const work = (async () => {
      const t0 = performance.now();
      await this.runner.run(1);
      this.addTiming(1, performance.now() - t0);
      const s = await this.runner.snapshot();
      s.stepsPerSecond = this.stepsPerSecond;
      if (s.step % this.opts.saveEvery === 0 || s.step >= this.opts.steps) this.emit([s]);
      else {
        this.lastShown = s.step;
        this.listener.onSnapshot(s);
      }
    })();
    this.busy = work;
    await work;
  }

  setTemperature(t: number): void {
    this.runner.setTemperature(t);
  }

  stop(): void {
    this.stopped = true;
  }
}
