/**
 * A heating ladder (core/analysis/melting.ts MeltingLadder) driven on an MdRunner — the float64
 * CPU Simulation in the analysis worker or the all-GPU GpuSimulation in the simulation worker.
 * The runner advances in chunks of ~`chunkMs` that never pass a sampled step; the state is read
 * back (snapshot: positions for the Lindemann index, energies, T) only on sampled steps, so on the
 * GPU the positions stay on the device in between. Between chunks the worker's message loop runs,
 * so stop() acts after the chunk in flight, not after the ladder; the points so far are kept.
 * Units: K, fs, eV, eV/atom.
 */
import { estimateMelting, MeltingLadder, type MeltingEstimate, type MeltingLadderParams, type MeltingPoint } from '../core/analysis/melting.ts';
import type { MdRunner, SimParams, SimSnapshot } from './simulation.ts';

/** What a melting run reports (comlink proxies in the browser, plain functions in tests). */
export interface MeltingListener {
  /** A rung finished: its point and the fraction of the ladder done (0..1). */
  onRung?(point: MeltingPoint, progress: number): void;
  /** Steps advanced (fraction of the ladder done), at most every chunk. */
  onProgress?(progress: number): void;
}

export interface MeltingResult {
  points: MeltingPoint[];
  estimate: MeltingEstimate;
  /** True when stop() ended the ladder early. */
  cancelled: boolean;
  /** The runner's engine name, e.g. "WebGPU model 0 of 4 (SwiftShader)". */
  engine: string;
  /** MD steps done and their wall time, ms (snapshots included). */
  steps: number;
  wallMs: number;
}

/** The ladder and its MD: time step (fs, default 2), Langevin friction (1/fs, default 0.01), seed of the velocities and the noise (default 1). */
export type MeltingRunParams = MeltingLadderParams & { dtFs?: number; frictionPerFs?: number; seed?: number };

/** The MD parameters of a ladder's runner (Langevin, starting at the first rung's T). */
export function meltingSimParams(p: MeltingRunParams): Partial<SimParams> {
  return { ensemble: 'langevin', temperatureK: p.temperaturesK[0], dtFs: p.dtFs ?? 2, frictionPerFs: p.frictionPerFs ?? 0.01, seed: p.seed ?? 1 };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class MeltingRun {
  private stopped = false;
  private readonly ladder: MeltingLadder;

  private readonly pbc: [boolean, boolean, boolean] | undefined;
  private readonly chunkMs: number;

  /**
   * `runner` starts at the first rung's temperature; `structure` says how many atoms and, for a
   * periodic cell, which directions wrap (minimum-image Lindemann distances).
   */
  constructor(
    private readonly runner: MdRunner,
    structure: { natoms: number; pbc?: [boolean, boolean, boolean] },
    params: MeltingLadderParams,
    private readonly listener: MeltingListener = {},
    opts: { chunkMs?: number } = {},
  ) {
    this.ladder = new MeltingLadder(structure.natoms, params);
    this.pbc = structure.pbc;
    this.chunkMs = opts.chunkMs ?? 100;
  }

  /** End the ladder after the chunk of steps in flight. */
  stop(): void {
    this.stopped = true;
  }

  /** Run the ladder to the end or until stopped. Throws if the MD fails (the finished rungs were reported through onRung). */
  async loop(): Promise<MeltingResult> {
    const ladder = this.ladder, runner = this.runner;
    const t0 = performance.now();
    const step0 = runner.step;
    let target: number | null = null;
    let rate = 0; // steps per second measured so far
    while (!ladder.done && !this.stopped) {
      if (ladder.targetK !== target) {
        target = ladder.targetK!;
        runner.setTemperature(target);
      }
      const perChunk = Math.max(1, Math.floor((rate * this.chunkMs) / 1000));
      const n = Math.min(ladder.stepsToNextEvent(), perChunk);
      const c0 = performance.now();
      await runner.run(n);
      const sampled = ladder.sampledAfter(n);
      const s: SimSnapshot | undefined = sampled ? await runner.snapshot() : undefined;
      const ms = performance.now() - c0;
      if (ms > 0) rate = (1000 * n) / ms;
      const rungs = ladder.points.length;
      ladder.advance(n, s && { positions: s.positions, cell: s.cell, pbc: s.cell ? this.pbc : undefined, potentialEnergy: s.potentialEnergy, kineticEnergy: s.kineticEnergy, temperatureK: s.temperatureK });
      if (ladder.points.length > rungs) this.listener.onRung?.(ladder.points[rungs], ladder.progress);
      else this.listener.onProgress?.(ladder.progress);
      await sleep(0); // let stop messages in
    }
    return {
      points: [...ladder.points], estimate: estimateMelting(ladder.points), cancelled: this.stopped && !ladder.done,
      engine: runner.engineName, steps: runner.step - step0, wallMs: performance.now() - t0,
    };
  }
}
