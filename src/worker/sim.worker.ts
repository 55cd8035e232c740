/**
 * The simulation worker: owns the WebGPU device, the model ensemble and the running
 * simulation, so the UI thread only renders. Exposed to the UI with comlink (see api.ts).
 */
/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import '../gpu/shaders-bundled.ts';
import { adapterSummary, requestDeviceWithAdapterLimits } from '../gpu/adapter-info.ts';
import { ljSelfTest } from '../gpu/self-test.ts';
import { makeFrame } from '../core/atoms.ts';
import { loadDpModel } from '../core/potentials/dp/load.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import { DpEnsembleCalculator } from '../core/potentials/dp/ensemble.ts';
import { Simulation, type EnsembleEngine } from './simulation.ts';
import { DpGpuCalculator } from '../gpu/dp-gpu-calculator.ts';
import { gpuUnsupported } from '../gpu/dp-layout.ts';
import type { DpEngineCheck, EngineStatus, ModelSummary, SimWorkerApi } from './api.ts';

let device: GPUDevice | undefined;
let gpuCalc: DpGpuCalculator | undefined;
let models: DpModel[] = [];
let modelNames: string[] = [];
let sim: Simulation | undefined;
let running = false;
let generation = 0;

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
    device = await requestDeviceWithAdapterLimits(adapter);
    const selfTest = await ljSelfTest(device);
    if (!selfTest.passed) {
      return { kind: 'cpu', reason: `WebGPU kernel self-test failed (max |ΔF| = ${selfTest.maxForceError.toExponential(2)} eV/Å)` };
    }
    return { kind: 'webgpu', adapter: adapterSummary(adapter), selfTest };
  } catch (e) {
    return { kind: 'cpu', reason: `WebGPU device error: ${(e as Error).message}` };
  }
}

function summary(m: DpModel, name: string): ModelSummary {
  return {
    name,
    typeMap: [...m.typeMap],
    rcut: m.descriptor.rcut,
    sel: [...m.descriptor.sel],
    embedding: [...m.descriptor.neuron],
    fitting: (m.fitting.nets.networks.find((n) => n !== null)?.layers ?? []).slice(0, -1).map((l) => l.nOut),
  };
}

async function loadModels(files: { name: string; bytes: Uint8Array }[]): Promise<ModelSummary[]> {
  if (files.length === 0) throw new Error('no model files given');
  const loaded = await Promise.all(files.map((f) => loadDpModel(f.bytes, f.name)));
  const rc = loaded[0].descriptor.rcut;
  const tm = loaded[0].typeMap.join(',');
  loaded.forEach((m, k) => {
    if (m.typeMap.join(',') !== tm) throw new Error(`${files[k].name}: type_map [${m.typeMap}] differs from ${files[0].name}'s [${tm}]`);
    if (m.descriptor.rcut !== rc) console.warn(`${files[k].name}: rcut ${m.descriptor.rcut} Å differs from ${rc} Å (allowed, slower)`);
  });
  stop();
  gpuCalc?.destroy();
  gpuCalc = undefined;
  models = loaded;
  modelNames = files.map((f) => f.name);
  return models.map((m, k) => summary(m, modelNames[k]));
}

async function loadDemoEnsemble(baseUrl: string): Promise<ModelSummary[]> {
  const names = [0, 1, 2, 3].map((k) => `cu_eam_demo_${k}.dp`);
  const files = await Promise.all(
    names.map(async (name) => {
      const url = new URL(name, new URL(baseUrl, self.location.href)).href;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`cannot fetch demo model ${url}: HTTP ${res.status}`);
      return { name, bytes: new Uint8Array(await res.arrayBuffer()) };
    }),
  );
  return loadModels(files);
}

async function loop(gen: number, every: number, onSnapshot: (s: ReturnType<Simulation['snapshot']>) => void, onError: (m: string) => void) {
  while (gen === generation) {
    if (!running || !sim) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    try {
      const snap = await sim.advance(every);
      if (gen !== generation) return;
      onSnapshot(snap);
    } catch (e) {
      running = false;
      onError((e as Error).message);
    }
    await new Promise((r) => setTimeout(r, 0)); // let pause/stop messages in
  }
}

async function start(
  structure: { symbols: string[]; positions: Float64Array },
  params: Parameters<SimWorkerApi['start']>[1],
  stepsPerSnapshot: number,
  onSnapshot: Parameters<SimWorkerApi['start']>[3],
  onError: Parameters<SimWorkerApi['start']>[4],
): Promise<void> {
  if (models.length === 0) throw new Error('no models loaded: load an ensemble first');
  const frame = makeFrame(structure.symbols, structure.positions);
  const unknown = structure.symbols.find((s) => !models[0].typeMap.includes(s));
  if (unknown) throw new Error(`element ${unknown} is not in the models' type_map [${models[0].typeMap.join(', ')}]`);
  const calc = await ensembleEngine();
  generation++;
  sim = new Simulation(frame, calc, params);
  running = true;
  void loop(generation, Math.max(1, Math.floor(stepsPerSnapshot)), onSnapshot, onError);
}

/**
 * The engine for the loaded models: the WebGPU ensemble when a device passed the self-test and
 * the models are GPU-compatible, else the float64 CPU ensemble (the reason is logged).
 */
async function ensembleEngine(): Promise<EnsembleEngine> {
  if (device) {
    const why = models.flatMap(gpuUnsupported);
    if (why.length === 0) {
      try {
        gpuCalc ??= await DpGpuCalculator.create(device, models, { name: `WebGPU ensemble of ${models.length}`, onWarning: (m) => console.warn(m) });
        return gpuCalc;
      } catch (e) {
        console.warn(`WebGPU ensemble unavailable, using the CPU path: ${(e as Error).message}`);
      }
    } else {
      console.warn(`models not supported on the GPU (${why.join('; ')}), using the CPU path`);
    }
  }
  return new DpEnsembleCalculator(models, { name: `CPU float64 ensemble of ${models.length}`, onWarning: (m) => console.warn(m) });
}

async function checkDpEngine(structure: { symbols: string[]; positions: Float64Array }): Promise<DpEngineCheck> {
  if (models.length === 0) throw new Error('no models loaded');
  const engine = await ensembleEngine();
  if (!(engine instanceof DpGpuCalculator)) throw new Error(`the ensemble runs on ${engine.name}, not on WebGPU`);
  const frame = makeFrame(structure.symbols, structure.positions);
  const gpu = await engine.compute(frame);
  const cpu = new DpEnsembleCalculator(models, { onWarning: () => {} }).compute(frame);
  let eErr = 0, fErr = 0;
  cpu.models.forEach((c, k) => {
    const g = gpu.models[k];
    for (let i = 0; i < c.atomicEnergies.length; i++) eErr = Math.max(eErr, Math.abs(g.atomicEnergies[i] - c.atomicEnergies[i]));
    for (let i = 0; i < c.forces.length; i++) fErr = Math.max(fErr, Math.abs(g.forces[i] - c.forces[i]));
  });
  const dErr = gpu.deviation ? Math.abs(gpu.deviation.max_devi_f - cpu.deviation.max_devi_f) : 0;
  return { natoms: frame.symbols.length, nmodels: models.length, maxAtomicEnergyError: eErr, maxForceError: fErr, maxDeviError: dErr, engine: engine.name };
}

function pause() {
  running = false;
}
function resume() {
  if (sim) running = true;
}
function stop() {
  generation++;
  running = false;
  sim = undefined;
}
function setTemperature(t: number) {
  sim?.setTemperature(t);
}

const api: SimWorkerApi = { init, loadModels, loadDemoEnsemble, start, pause, resume, stop, setTemperature, checkDpEngine };
Comlink.expose(api);
