/**
 * The API the simulation worker exposes to the UI (through comlink). Plain data only: the UI
 * never imports src/gpu or src/core/md; adapter names arrive as labels.
 */
import type { DpKernelCheck } from '../gpu/dp-kernel-check.ts';
import type { GpuSelfTest } from '../gpu/self-test.ts';
import type { RunInfo, SavedFrame } from './frames.ts';
import type { SimParams, SimSnapshot, MdEnsemble } from './simulation.ts';
import type { EngineChoice, EnginePreference } from './engine-choice.ts';
import type { BhmcMinimumInfo, BhmcRunParams, BhmcTrialInfo } from './bhmc-run.ts';
import type { MeltingListener, MeltingResult, MeltingRunParams } from './melting-run.ts';

export type { DpKernelCheck, GpuSelfTest, RunInfo, SavedFrame, SimParams, SimSnapshot, MdEnsemble, EngineChoice, EnginePreference, BhmcMinimumInfo, BhmcRunParams, BhmcTrialInfo, MeltingListener, MeltingResult, MeltingRunParams };

/**
 * Which engines the studio can use. `kind: 'webgpu'` when an adapter passed the LJ self-test
 * and (once an ensemble is loaded) the DP kernel check; `kind: 'cpu'` with the reason otherwise.
 */
export type EngineStatus =
  | { kind: 'webgpu'; adapter: string; software: boolean; selfTest: GpuSelfTest; dpCheck: DpKernelCheck | null }
  | { kind: 'cpu'; reason: string; adapter?: string; selfTest?: GpuSelfTest; dpCheck?: DpKernelCheck | null };

/** @deprecated the DP check result; kept for the diagnostics hook. */
export type DpEngineCheck = DpKernelCheck;

/** A loaded model, as the UI lists it. */
export interface ModelSummary {
  name: string;
  typeMap: string[];
  /** Cutoff radius, Å. */
  rcut: number;
  sel: number[];
  embedding: number[];
  fitting: number[];
}

/** A structure handed to the worker: symbols and positions (Å); a cell (rows, Å) and pbc for periodic systems. */
export interface StructureInput {
  symbols: string[];
  positions: Float64Array;
  cell?: Float64Array;
  pbc?: [boolean, boolean, boolean];
  /** Title for the run record, e.g. "Cu55 Mackay icosahedron". */
  title?: string;
}

export type SnapshotListener = (s: SimSnapshot) => void;
export type ErrorListener = (message: string) => void;

/** How a run ended. */
export type RunEnd = { kind: 'finished' | 'stopped' } | { kind: 'error'; message: string };

/** Callbacks of one MD run (pass as one Comlink.proxy object). */
export interface MdRunListener {
  /** The run record, once the engine is chosen (before any frame). */
  onRun(run: RunInfo, engine: EngineChoice): void;
  onSnapshot(s: SimSnapshot): void;
  onFrames(frames: SavedFrame[]): void;
  onEnd(how: RunEnd): void;
}

/** Callbacks of one BHMC run (pass as one Comlink.proxy object). */
export interface BhmcRunListener {
  onRun(run: RunInfo, engine: EngineChoice): void;
  /** The trial, the lowest distinct minima (at most MINIMA_LISTED of bhmc-run.ts, lowest first) and the number of distinct minima. */
  onTrial(t: BhmcTrialInfo, minima: BhmcMinimumInfo[], distinctMinima: number): void;
  onFrames(frames: SavedFrame[]): void;
  onEnd(how: RunEnd): void;
}

/** What the MD controls send. */
export interface MdStartOptions {
  params: Partial<SimParams>;
  /** Total steps. */
  steps: number;
  /** Save a frame every this many steps. */
  saveEvery: number;
  engine: EnginePreference;
  /** CPU engine: embedding nets from tables (as `dp compress`, default true) or exact (false). */
  cpuTabulate?: boolean;
  /** Backend ensemble id of the loaded models, if any (for the run record). */
  ensembleId?: number | null;
}

export interface BhmcStartOptions {
  params: BhmcRunParams;
  engine: EnginePreference;
  trustLo: number;
  trustHi: number;
  /** CPU engine: embedding nets from tables (default true) or exact (false). */
  cpuTabulate?: boolean;
  ensembleId?: number | null;
}

export interface SimWorkerApi {
  /** Find a WebGPU adapter, run the kernel self-test, and say which engine is usable (idempotent). */
  init(): Promise<EngineStatus>;
  /** Called with the engine status now and whenever it changes (ensemble loaded and checked, fallback). */
  subscribeEngine(listener: (s: EngineStatus) => void): Promise<void>;
  /** Load DeePMD models from file bytes (.dp/.yaml/.json); replaces the current ensemble and re-runs the DP kernel check. */
  loadModels(files: { name: string; bytes: Uint8Array }[]): Promise<ModelSummary[]>;
  /** Load the bundled 4-model Cu demo ensemble from `baseUrl` (e.g. "/models/"). */
  loadDemoEnsemble(baseUrl: string): Promise<ModelSummary[]>;
  /** Start MD of `structure` (stops a running run); resolves once the engine is chosen and the run started. */
  startMd(structure: StructureInput, opts: MdStartOptions, listener: MdRunListener): Promise<EngineChoice>;
  /** Start basin hopping (stops a running run). */
  startBhmc(opts: BhmcStartOptions, listener: BhmcRunListener): Promise<EngineChoice>;
  /** Legacy: Langevin MD with snapshots every `stepsPerSnapshot` steps (no run record). */
  start(structure: StructureInput, params: Partial<SimParams>, stepsPerSnapshot: number, onSnapshot: SnapshotListener, onError: ErrorListener): Promise<void>;
  /** Pause after the steps in flight; resolves once the paused state is shown. */
  pause(): Promise<void>;
  resume(): void;
  /** One MD step while paused (shown at once). */
  step(): Promise<void>;
  stop(): Promise<void>;
  /** Evaluate `structure` with the loaded ensemble on the GPU and on the CPU and compare (diagnostics). */
  checkDpEngine(structure: StructureInput): Promise<DpKernelCheck>;
  /**
   * A heating ladder of `structure` on the all-GPU integrator with model 0 of the loaded ensemble
   * (Langevin NVT per rung; positions read back only on sampled steps). Runs beside an MD run;
   * a new ladder stops the previous one. Throws, naming the reason, when WebGPU is unusable.
   */
  meltingLadder(structure: StructureInput, params: MeltingRunParams, listener: MeltingListener): Promise<MeltingResult>;
  /** Stop the melting ladder after the GPU steps in flight (also while its engine is being set up); its points so far are returned. */
  stopMelting(): void;
  /** Change the thermostat target of the running simulation, K. */
  setTemperature(temperatureK: number): void;
  /**
   * Test-only: both tolerances of the DP kernel check (eV per atom, eV/Å) for the checks that
   * follow; the studio sets it from the URL parameter `dpCheckTolerance` (a failing value shows
   * the fallback to the CPU path and its reason).
   */
  setDpCheckTolerance(tol: number): void;
}
