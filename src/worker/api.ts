/** The API the simulation worker exposes to the UI (through comlink). Plain data only. */
import type { AdapterSummary } from '../gpu/adapter-info.ts';
import type { SimParams, SimSnapshot } from './simulation.ts';

export interface GpuSelfTest {
  /** Which kernel ran. */
  kernel: string;
  natoms: number;
  /** max over atoms and components of |F_gpu − F_cpu|, eV/Å. */
  maxForceError: number;
  /** |E_gpu − E_cpu| / N, eV/atom. */
  energyErrorPerAtom: number;
  passed: boolean;
  /** Wall time of one GPU evaluation, ms (after compilation). */
  gpuMs: number;
}

export type EngineStatus =
  | { kind: 'webgpu'; adapter: AdapterSummary; selfTest: GpuSelfTest }
  | { kind: 'cpu'; reason: string };

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

/** A structure handed to the worker: symbols and positions (Å), open boundaries. */
export interface StructureInput {
  symbols: string[];
  positions: Float64Array;
}

export type SnapshotListener = (s: SimSnapshot) => void;
export type ErrorListener = (message: string) => void;

/** The WebGPU DP ensemble against the float64 CPU evaluator on one frame (spec §6 tolerances). */
export interface DpEngineCheck {
  natoms: number;
  nmodels: number;
  /** max |E_i(gpu) − E_i(cpu)| over atoms and models, eV. */
  maxAtomicEnergyError: number;
  /** max |F(gpu) − F(cpu)| over components and models, eV/Å. */
  maxForceError: number;
  /** |max_devi_f(gpu) − max_devi_f(cpu)|, eV/Å. */
  maxDeviError: number;
  engine: string;
}

export interface SimWorkerApi {
  /** Find a WebGPU adapter, run the kernel self-test, and say which engine is in use. */
  init(): Promise<EngineStatus>;
  /** Load DeePMD models from file bytes (.dp/.yaml/.json); replaces the current ensemble. */
  loadModels(files: { name: string; bytes: Uint8Array }[]): Promise<ModelSummary[]>;
  /** Load the bundled 4-model Cu demo ensemble from `baseUrl` (e.g. "/models/"). */
  loadDemoEnsemble(baseUrl: string): Promise<ModelSummary[]>;
  /** Start NVT MD of `structure` (stops a running one); snapshots every `stepsPerSnapshot` steps. */
  start(structure: StructureInput, params: Partial<SimParams>, stepsPerSnapshot: number, onSnapshot: SnapshotListener, onError: ErrorListener): Promise<void>;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Evaluate `structure` with the loaded ensemble on the GPU and on the CPU and compare. */
  checkDpEngine(structure: StructureInput): Promise<DpEngineCheck>;
  /** Change the thermostat target of the running simulation, K. */
  setTemperature(temperatureK: number): void;
}
