/** The API the simulation worker exposes to the UI (through comlink). Plain data only. */
import type { AdapterSummary } from '../gpu/adapter-info.ts';

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

export interface SimWorkerApi {
  /** Find a WebGPU adapter, run the kernel self-test, and say which engine is in use. */
  init(): Promise<EngineStatus>;
}
