/**
 * The simulation worker: owns the WebGPU device, the model ensemble and the running MD or BHMC
 * run, so the UI thread only renders. Exposed to the UI with comlink (see api.ts).
 *
 * Engines: the all-GPU MD integrator (GpuSimulation) and the WebGPU DP calculator (BHMC) when
 * an adapter passed the LJ self-test and the DP kernel check on the loaded ensemble; the
 * float64 CPU path otherwise, or when it was faster on the first steps (auto), or when chosen.
 */
/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import '../gpu/shaders-bundled.ts';
import { adapterLabel, adapterSummary, requestDeviceWithAdapterLimits } from '../gpu/adapter-info.ts';
import { ljSelfTest, type GpuSelfTest } from '../gpu/self-test.ts';
import { checkCluster, checkDpKernels, DP_CHECK_TOLERANCES, type DpKernelCheck } from '../gpu/dp-kernel-check.ts';
import { makeFrame, validateFrame, type Frame } from '../core/atoms.ts';
import { loadDpModel } from '../core/potentials/dp/load.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import { DpEnsembleCalculator } from '../core/potentials/dp/ensemble.ts';
import { trustLevelError } from '../core/potentials/dp/deviation.ts';
import { DpGpuCalculator } from '../gpu/dp-gpu-calculator.ts';
import { gpuUnsupported } from '../gpu/dp-layout.ts';
import { DEFAULT_SIM_PARAMS, Simulation, validateSimParams, type EnsembleEngine, type MdRunner, type SimParams, type SimSnapshot } from './simulation.ts';
import { GpuSimulation } from './gpu-simulation.ts';
import { MdRun } from './md-run.ts';
import { BhmcRun } from './bhmc-run.ts';
import { MeltingRun, meltingSimParams, type MeltingListener, type MeltingResult, type MeltingRunParams } from './melting-run.ts';
import { estimateMelting } from '../core/analysis/melting.ts';
import { engineDecision, fasterEngine, type EngineChoice } from './engine-choice.ts';
import type { RunInfo } from './frames.ts';
import type { BhmcRunListener, BhmcStartOptions, EngineStatus, MdRunListener, MdStartOptions, ModelSummary, SimWorkerApi, StructureInput } from './api.ts';

let device: GPUDevice | undefined;
let adapter: { label: string; software: boolean } | undefined;
let selfTest: GpuSelfTest | undefined;
/** Why the WebGPU path cannot be used (null: usable). */
let gpuReason: string | null = 'probing WebGPU';
let dpCheck: DpKernelCheck | null = null;
let gpuCalc: DpGpuCalculator | undefined;
let models: DpModel[] = [];
let modelNames: string[] = [];
let initPromise: Promise<EngineStatus> | undefined;
let checkPromise: Promise<void> = Promise.resolve();
const engineListeners: ((s: EngineStatus) => void)[] = [];
let runCounter = 0;
/** Tolerances of the DP kernel check (the spec's; tests may force a failing one, see setDpCheckTolerance). */
let checkTolerances: { atomicEnergy: number; force: number } = { ...DP_CHECK_TOLERANCES };

type Current =
  | { kind: 'md'; run: MdRun; done: Promise<void> }
  | { kind: 'bhmc'; run: BhmcRun; done: Promise<void> };
let current: Current | undefined;

function status(): EngineStatus {
  if (device && adapter && selfTest && gpuReason === null) return { kind: 'webgpu', adapter: adapter.label, software: adapter.software, selfTest, dpCheck };
  return { kind: 'cpu', reason: gpuReason ?? 'unknown', adapter: adapter?.label, selfTest, dpCheck };
}

function publish(): void {
  const s = status();
  for (const l of engineListeners) l(s);
}

async function probe(): Promise<void> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) { gpuReason = 'this browser has no WebGPU (navigator.gpu is missing)'; return; }
  let a: GPUAdapter | null = null;
  try {
    a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    gpuReason = `requestAdapter failed: ${(e as Error).message}`;
    return;
  }
  if (!a) { gpuReason = 'no WebGPU adapter available (blocklisted GPU or WebGPU disabled)'; return; }
  const summary = adapterSummary(a);
  adapter = { label: adapterLabel(summary), software: summary.isSoftware };
  try {
    device = await requestDeviceWithAdapterLimits(a);
    void device.lost.then((info) => {
      device = undefined;
      gpuReason = `the WebGPU device was lost (${info.message || info.reason})`;
      publish();
    });
    selfTest = await ljSelfTest(device);
    gpuReason = selfTest.passed ? null : `WebGPU LJ kernel self-test failed (max |ΔF| = ${selfTest.maxForceError.toExponential(2)} eV/Å)`;
  } catch (e) {
    gpuReason = `WebGPU device error: ${(e as Error).message}`;
  }
}

function init(): Promise<EngineStatus> {
  initPromise ??= probe().then(() => { publish(); return status(); });
  return initPromise;
}

async function subscribeEngine(listener: (s: EngineStatus) => void): Promise<void> {
  engineListeners.push(listener);
  if (initPromise) listener(status());
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

/** Run the DP kernels of the loaded ensemble on a small cluster against float64; sets gpuReason. */
async function checkEnsemble(): Promise<void> {
  await init();
  if (!device || !selfTest?.passed) return;
  dpCheck = null;
  gpuCalc?.destroy();
  gpuCalc = undefined;
  const why = models.flatMap(gpuUnsupported);
  if (why.length) {
    gpuReason = `the loaded models use features the WebGPU engine lacks (${[...new Set(why)].join(', ')})`;
    return;
  }
  try {
    gpuCalc = await DpGpuCalculator.create(device, models, { name: `WebGPU ensemble of ${models.length}`, onWarning: (m) => console.warn(m) });
    const { frame, system } = checkCluster(models);
    dpCheck = await checkDpKernels(gpuCalc, models, frame, system, checkTolerances);
    gpuReason = dpCheck.passed
      ? null
      : `DP kernel check failed on ${system}: max |ΔE_i| ${dpCheck.maxAtomicEnergyError.toExponential(1)} eV (tol ${dpCheck.tolerances.atomicEnergy}), max |ΔF| ${dpCheck.maxForceError.toExponential(1)} eV/Å (tol ${dpCheck.tolerances.force})`;
  } catch (e) {
    gpuReason = `the WebGPU DP engine failed on this ensemble: ${(e as Error).message}`;
  }
}

async function loadModels(files: { name: string; bytes: Uint8Array }[]): Promise<ModelSummary[]> {
  if (files.length === 0) throw new Error('no model files given');
  const loaded = await Promise.all(files.map((f) => loadDpModel(f.bytes, f.name)));
  const tm = loaded[0].typeMap.join(',');
  loaded.forEach((m, k) => {
    if (m.typeMap.join(',') !== tm) throw new Error(`${files[k].name}: type_map [${m.typeMap}] differs from ${files[0].name}'s [${tm}]`);
  });
  await stop();
  models = loaded;
  modelNames = files.map((f) => f.name);
  checkPromise = checkEnsemble().then(publish);
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

/** The CPU ensembles of the loaded models, tabulated and exact, built on first use (tables take ~0.1 s per model). */
let cpuEnsembles: { for: DpModel[]; tabulated?: DpEnsembleCalculator; exact?: DpEnsembleCalculator } = { for: [] };

/** The CPU float64 ensemble; `tabulate` (the default): embedding nets from tables where they are valid. */
function cpuEnsemble(tabulate: boolean): DpEnsembleCalculator {
  if (cpuEnsembles.for !== models) cpuEnsembles = { for: models };
  const key = tabulate ? 'tabulated' : 'exact';
  return (cpuEnsembles[key] ??= new DpEnsembleCalculator(models, {
    name: `CPU float64 ensemble of ${models.length}`, onWarning: (m) => console.warn(m), tabulate: tabulate ? {} : false,
  }));
}

/** The choice with the CPU embedding named when the CPU runs. */
function withEmbedding(choice: EngineChoice, cpu: DpEnsembleCalculator): EngineChoice {
  return choice.engine === 'cpu' ? { ...choice, cpuEmbedding: cpu.tabulated ? 'tabulated embedding' : 'exact embedding nets' } : choice;
}

/** Models loaded and covering every element of `symbols`; throws a named error otherwise. */
function requireModelsFor(symbols: string[]): void {
  if (models.length === 0) throw new Error('no models loaded: load an ensemble first');
  const tm = models[0].typeMap;
  const unknown = [...new Set(symbols.filter((s) => !tm.includes(s)))];
  if (unknown.length) throw new Error(`element ${unknown.join(', ')} is not in the models' type_map [${tm.join(', ')}]: load a model for ${unknown.join(', ')} or pick a structure of ${tm.join(', ')}`);
}

/** The structure as a frame, checked (finite coordinates, 3 per atom, a right-handed cell of volume, no overlaps); errors name the structure. */
function frameOf(s: StructureInput): Frame {
  const periodic = s.cell && s.pbc?.some(Boolean);
  const frame = makeFrame(s.symbols, s.positions, periodic ? s.cell! : null, periodic ? s.pbc! : [false, false, false]);
  try {
    validateFrame(frame);
  } catch (e) {
    throw new Error(`structure ${s.title ?? `of ${s.symbols.length} atoms`}: ${(e as Error).message}`);
  }
  return frame;
}

/** Rate (steps/s) of a runner over its first steps, with the snapshots due on the save interval. */
async function measure(r: MdRunner, saveEvery: number, total: number): Promise<{ rate: number; snaps: SimSnapshot[]; steps: number; ms: number }> {
  const snaps = [await r.snapshot()];
  const stepSaving = async () => {
    await r.run(1);
    if (r.step % saveEvery === 0 || r.step >= total) snaps.push(await r.snapshot());
  };
  if (total > 1) await stepSaving(); // warm-up (shader JIT on the first dispatch), not timed
  const t0 = performance.now();
  let steps = 0;
  while (r.step < total && steps < 8 && (steps < 2 || performance.now() - t0 < 1500)) {
    await stepSaving();
    steps++;
  }
  const ms = performance.now() - t0;
  return { rate: ms > 0 ? (1000 * steps) / ms : 0, snaps, steps, ms };
}

function newRunInfo(kind: 'md' | 'bhmc', ensemble: RunInfo['ensemble'], structure: string, temperatureK: number, dtFs: number, engine: string, trust: { lo: number; hi: number }, seed: number, ensembleId?: number | null, pressureBar?: number): RunInfo {
  const run: RunInfo = {
    id: `${kind}-${Date.now()}-${++runCounter}`,
    kind, ensemble, structure, temperatureK, dtFs, engine, models: [...modelNames], ensembleId: ensembleId ?? null,
    trustLo: trust.lo, trustHi: trust.hi, seed, startedAt: new Date().toISOString(),
  };
  if (pressureBar !== undefined) run.pressureBar = pressureBar;
  return run;
}

async function startMd(structure: StructureInput, opts: MdStartOptions, listener: MdRunListener): Promise<EngineChoice> {
  await stop();
  requireModelsFor(structure.symbols);
  const p: SimParams = { ...DEFAULT_SIM_PARAMS, ...opts.params };
  validateSimParams(p);
  const frame = frameOf(structure);
  if (p.ensemble === 'npt' && !(frame.cell && frame.pbc.every(Boolean))) {
    throw new Error('NPT needs a cell periodic in x, y and z; this structure is an open cluster (use NVE, Langevin or Nosé–Hoover)');
  }
  if (!Number.isInteger(opts.steps) || opts.steps < 1) throw new Error(`steps must be a positive integer, got ${opts.steps}`);
  if (!Number.isInteger(opts.saveEvery) || opts.saveEvery < 1) throw new Error(`save interval must be a positive integer of steps, got ${opts.saveEvery}`);
  await init();
  await checkPromise;
  const cpuCalc = cpuEnsemble(opts.cpuTabulate ?? true);
  const makeCpu = () => new Simulation(frame, cpuCalc, p);
  const makeGpu = () => GpuSimulation.create(device!, models, frame, p, adapter?.label ?? 'WebGPU');
  const decision = engineDecision(opts.engine, gpuReason, p.ensemble === 'npt' ? 'NPT (the GPU integrator has no barostat)' : undefined);
  let runner: MdRunner;
  let choice: EngineChoice;
  let early: SimSnapshot[] = [];
  let timing = { steps: 0, ms: 0 };
  if (decision === 'measure') {
    let gpuSim: GpuSimulation | undefined;
    let gpuFail: string | undefined;
    try {
      gpuSim = await makeGpu();
    } catch (e) {
      gpuFail = (e as Error).message;
    }
    const cpuSim = makeCpu();
    if (!gpuSim) {
      runner = cpuSim;
      choice = { engine: 'cpu', why: `WebGPU MD could not start (${gpuFail}); running on the CPU (float64)` };
    } else {
      const g = await measure(gpuSim, opts.saveEvery, opts.steps);
      const c = await measure(cpuSim, opts.saveEvery, opts.steps);
      choice = fasterEngine(g.rate, c.rate, 'steps/s');
      const win = choice.engine === 'webgpu' ? g : c;
      runner = choice.engine === 'webgpu' ? gpuSim : cpuSim;
      (choice.engine === 'webgpu' ? cpuSim : gpuSim).destroy();
      early = win.snaps;
      timing = { steps: win.steps, ms: win.ms };
    }
  } else {
    choice = decision;
    runner = decision.engine === 'webgpu' ? await makeGpu() : makeCpu();
    early = [await runner.snapshot()];
  }
  choice = withEmbedding(choice, cpuCalc);
  const info = newRunInfo('md', p.ensemble, structure.title ?? `${structure.symbols.length} atoms`, p.temperatureK, p.dtFs,
    `${choice.engine}: ${runner.engineName}`, { lo: p.trustLo, hi: p.trustHi }, p.seed, opts.ensembleId, p.ensemble === 'npt' ? p.pressureBar : undefined);
  listener.onRun(info, choice);
  const periodic = frame.cell && frame.pbc.some(Boolean) ? frame.pbc : undefined;
  const run = new MdRun(runner, info, [...frame.symbols], periodic, { steps: opts.steps, saveEvery: opts.saveEvery }, {
    onSnapshot: (s) => listener.onSnapshot(s),
    onFrames: (f) => listener.onFrames(f),
    onEnd: (how) => listener.onEnd(how),
  });
  run.addTiming(timing.steps, timing.ms);
  run.emit(early);
  const done = run.loop().finally(() => runner.destroy());
  current = { kind: 'md', run, done };
  return choice;
}

async function startBhmc(opts: BhmcStartOptions, listener: BhmcRunListener): Promise<EngineChoice> {
  await stop();
  requireModelsFor([opts.params.element]);
  await init();
  await checkPromise;
  const trust = { lo: opts.trustLo, hi: opts.trustHi };
  const bad = trustLevelError(trust.lo, trust.hi);
  if (bad) throw new Error(bad);
  const placeholder = newRunInfo('bhmc', 'bhmc', `${opts.params.element}${opts.params.natoms} basin hopping`, opts.params.temperatureK, 0, '', trust, opts.params.seed, opts.ensembleId);
  const run = new BhmcRun(placeholder, opts.params, {
    onTrial: (t, m, n) => listener.onTrial(t, m, n),
    onFrames: (f) => listener.onFrames(f),
    onEnd: (how) => listener.onEnd(how),
  }, trust);
  const cpu = cpuEnsemble(opts.cpuTabulate ?? true);
  const decision = engineDecision(opts.engine, gpuReason);
  let choice: EngineChoice;
  let calc: EnsembleEngine;
  if (decision === 'measure' && gpuCalc) {
    const f = run.pendingFrame()!;
    const time = async (c: EnsembleEngine) => {
      await c.compute(f); // warm-up
      const t0 = performance.now();
      await c.compute(f);
      await c.compute(f);
      return 2000 / (performance.now() - t0);
    };
    const g = await time(gpuCalc);
    const c = await time(cpu);
    choice = fasterEngine(g, c, 'evaluations/s');
    calc = choice.engine === 'webgpu' ? gpuCalc : cpu;
  } else if (decision === 'measure' || (decision.engine === 'webgpu' && !gpuCalc)) {
    choice = { engine: 'cpu', why: 'the WebGPU DP calculator is not ready; running on the CPU (float64)' };
    calc = cpu;
  } else {
    choice = decision;
    calc = decision.engine === 'webgpu' ? gpuCalc! : cpu;
  }
  choice = withEmbedding(choice, cpu);
  run.info.engine = `${choice.engine}: ${calc.name}`;
  listener.onRun(run.info, choice);
  const done = run.loop(calc);
  current = { kind: 'bhmc', run, done };
  return choice;
}

/** Legacy: Langevin MD that reports snapshots only. */
async function start(structure: StructureInput, params: Partial<SimParams>, stepsPerSnapshot: number, onSnapshot: (s: SimSnapshot) => void, onError: (m: string) => void): Promise<void> {
  await startMd(structure, { params: { ...params, ensemble: params.ensemble ?? 'langevin' }, steps: 1_000_000_000, saveEvery: Math.max(1, Math.floor(stepsPerSnapshot)), engine: 'auto' }, {
    onRun: () => {},
    onSnapshot,
    onFrames: () => {},
    onEnd: (how) => { if (how.kind === 'error') onError(how.message); },
  });
}

async function checkDpEngine(structure: StructureInput): Promise<DpKernelCheck> {
  if (models.length === 0) throw new Error('no models loaded');
  await init();
  await checkPromise;
  if (!gpuCalc) throw new Error(`the ensemble does not run on WebGPU: ${gpuReason ?? 'no GPU calculator'}`);
  return checkDpKernels(gpuCalc, models, frameOf(structure), `${structure.symbols.length} atoms`);
}

/**
 * Test-only: replace both DP kernel check tolerances (eV, eV/Å) for the checks that follow (a
 * tolerance far below float32 precision makes the check fail, to exercise the CPU fallback).
 */
function setDpCheckTolerance(tol: number): void {
  if (!(typeof tol === 'number' && Number.isFinite(tol) && tol >= 0)) throw new Error(`DP check tolerance must be a finite number ≥ 0 (eV, eV/Å), got ${String(tol)}`);
  checkTolerances = { atomicEnergy: tol, force: tol };
}

/** The running melting ladder (GPU), and a counter that invalidates a ladder still setting up when stopped. */
let melting: MeltingRun | undefined;
let meltingGeneration = 0;

async function meltingLadder(structure: StructureInput, params: MeltingRunParams, listener: MeltingListener): Promise<MeltingResult> {
  stopMelting();
  const generation = meltingGeneration;
  requireModelsFor(structure.symbols);
  const frame = frameOf(structure);
  await init();
  await checkPromise;
  if (!device || gpuReason !== null) throw new Error(`the melting ladder cannot run on WebGPU: ${gpuReason ?? 'no device'}`);
  const name = `WebGPU, model 0 of ${models.length} (${adapter?.label ?? 'WebGPU'})`;
  const sim = await GpuSimulation.create(device, [models[0]], frame, meltingSimParams(params), adapter?.label ?? 'WebGPU', name);
  try {
    const run = new MeltingRun(sim, { natoms: frame.symbols.length, pbc: frame.pbc }, params, listener);
    if (generation !== meltingGeneration) {
      return { points: [], estimate: estimateMelting([]), cancelled: true, engine: name, steps: 0, wallMs: 0 };
    }
    melting = run;
    return await run.loop();
  } finally {
    if (generation === meltingGeneration) melting = undefined;
    sim.destroy();
  }
}

function stopMelting(): void {
  meltingGeneration++;
  melting?.stop();
  melting = undefined;
}

async function pause(): Promise<void> {
  await current?.run.pause();
}
function resume(): void {
  current?.run.resume();
}
async function step(): Promise<void> {
  if (current?.kind !== 'md') throw new Error('no MD run to step');
  await current.run.step();
}
async function stop(): Promise<void> {
  const c = current;
  current = undefined;
  if (!c) return;
  c.run.stop();
  await c.done;
}
function setTemperature(t: number): void {
  if (current?.kind === 'md') current.run.setTemperature(t);
}

const api: SimWorkerApi = { init, subscribeEngine, loadModels, loadDemoEnsemble, startMd, startBhmc, start, pause, resume, step, stop, setTemperature, checkDpEngine, setDpCheckTolerance, meltingLadder, stopMelting };
Comlink.expose(api);
