/**
 * The simulation worker: owns the WebGPU device and the running simulation, so the UI thread
 * only renders. Exposed to the UI with comlink (see api.ts).
 */
/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import '../gpu/shaders-bundled.ts';
import { adapterSummary } from '../gpu/adapter-info.ts';
import { ljSelfTest } from '../gpu/self-test.ts';
import type { EngineStatus, SimWorkerApi } from './api.ts';

let device: GPUDevice | undefined;

async function init(): Promise<EngineStatus> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { kind: 'cpu', reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  let adapter: GPUAdapter | null = null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { kind: 'cpu', reason: `requestAdapter failed: ${(e as Error).message}` };
  }
  if (!adapter) return { kind: 'cpu', reason: 'no WebGPU adapter available (blocklisted GPU or WebGPU disabled)' };
  try {
    device = await adapter.requestDevice();
    const selfTest = await ljSelfTest(device);
    if (!selfTest.passed) {
      return { kind: 'cpu', reason: `WebGPU kernel self-test failed (max |ΔF| = ${selfTest.maxForceError.toExponential(2)} eV/Å)` };
    }
    return { kind: 'webgpu', adapter: adapterSummary(adapter), selfTest };
  } catch (e) {
    return { kind: 'cpu', reason: `WebGPU device error: ${(e as Error).message}` };
  }
}

const api: SimWorkerApi = { init };
Comlink.expose(api);
