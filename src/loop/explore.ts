/**
 * Exploration of one task: MD driven by model 0 of the ensemble (as LAMMPS `pair_style deepmd`
 * and DP-GEN), every saved frame evaluated by all models for the model deviation (spec §8), the
 * frame classified accurate / candidate / failed with the system type's trust levels.
 * Writes TASKDIR/traj.extxyz (max_devi_f per frame in the comment line), TASKDIR/model_devi.out
 * (DeePMD's LAMMPS layout, src/core/io/model-devi.ts) and TASKDIR/result.json last (its presence marks the task done for resume).
 *
 * Engines: NVT runs on the WebGPU engine (src/cli/md-webgpu.ts) when one was chosen, otherwise
 * on the float64 CPU Langevin integrator; NPT (bulk) always on the CPU MTK integrator
 * (src/core/md/npt.ts). A run that blows up keeps its frames (the last ones are usually failed).
 * Units: Å, fs, K, atm, eV, eV/Å.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../node/write-atomic.ts';
import type { Frame } from '../core/atoms.ts';
import { readExtxyz, writeExtxyz } from '../core/io/extxyz.ts';
import { initLangevin, langevin } from '../core/md/langevin.ts';
import { initNpt, npt } from '../core/md/npt.ts';
import { MdExplosionError, runMd, type MdFrame } from '../core/md/run-md.ts';
import type { Integrator, MdState } from '../core/md/state.ts';
import { withMaxwellBoltzmann } from '../core/md/velocities.ts';
import { DpCalculator } from '../core/potentials/dp/evaluator.ts';
import { DpEnsembleCalculator } from '../core/potentials/dp/ensemble.ts';
import { classifyDeviation, type DeviationClass, type ModelDeviation } from '../core/potentials/dp/deviation.ts';
import { formatModelDevi } from '../core/io/model-devi.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import type { Trust } from './plan.ts';
import type { ExploreTask } from './systems.ts';

export type Engine = 'cpu' | 'webgpu';

/** Per saved frame: MD step, max_devi_f (eV/Å) and its class. */
export interface ExploredFrame { step: number; maxDeviF: number; cls: DeviationClass }

export interface TaskResult {
  id: string;
  system: string;
  kind: ExploreTask['kind'];
  engine: Engine;
  frames: ExploredFrame[];
  /** Why the run stopped early, if it did. */
  stopped: string | null;
  seconds: number;
}

/** Pick the engine: `auto` uses WebGPU only on a hardware adapter (a software one is slower than the CPU path). */
export async function chooseEngine(requested: 'auto' | Engine, log: (m: string) => void): Promise<Engine> {
  if (requested === 'cpu') return 'cpu';
  try {
    await import('../node/shaders-fs.ts');
    const { getNodeGpu, releaseNodeGpu } = await import('../node/gpu-device.ts');
    const { adapterLabel } = await import('../gpu/adapter-info.ts');
    const gpu = await getNodeGpu();
    const label = adapterLabel(gpu.info);
    const software = gpu.info.isSoftware;
    gpu.device.destroy();
    releaseNodeGpu();
    if (requested === 'webgpu' || !software) {
      log(`exploration engine: WebGPU on ${label} (NVT runs; NPT bulk runs on the CPU integrator)`);
      return 'webgpu';
    }
    log(`exploration engine: CPU float64 (the only WebGPU adapter is ${label}, slower than the CPU path; --engine webgpu forces it)`);
    return 'cpu';
  } catch (e) {
    if (requested === 'webgpu') throw new Error(`--engine webgpu: no WebGPU adapter: ${(e as Error).message}`);
    log(`exploration engine: CPU float64 (no WebGPU adapter: ${(e as Error).message.split('\n')[0]})`);
    return 'cpu';
  }
}

async function mdFrames(task: ExploreTask, models: DpModel[], modelFiles: string[], engine: Engine, log: (m: string) => void): Promise<{ frames: Frame[]; stopped: string | null; engine: Engine }> {
  const start = withMaxwellBoltzmann(task.start, task.temperatureK, task.seed, task.ensemble === 'nvt' ? { zeroAngularMomentum: false } : {});
  if (engine === 'webgpu' && task.ensemble === 'nvt') {
    const { runMdWebgpu } = await import('../cli/md-webgpu.ts');
    const o = { ensemble: 'langevin' as const, temperatureK: task.temperatureK, dt: task.dt, steps: task.steps, saveEvery: task.saveEvery, seed: task.seed,
      barostat: 'isotropic' as const, printEvery: task.steps, escapeDistanceA: 10 };
    try {
      const r = await runMdWebgpu(start, `dp:${modelFiles.join(',')}`, o, () => {});
      return { frames: r.frames, stopped: null, engine };
    } catch (e) {
      const frames = (e as { frames?: Frame[] }).frames;
      if (!frames) throw e;
      return { frames, stopped: (e as Error).message, engine };
    }
  }
  let warned = false;
  const calc = new DpCalculator(models[0], { onWarning: (m) => { if (!warned) log(`  warning (${task.id}, shown once): ${m}`); warned = true; } });
  let integrator: Integrator<MdState>;
  let state: MdState;
  if (task.ensemble === 'npt') {
    integrator = npt as unknown as Integrator<MdState>;
    state = initNpt(start, calc, { dt: task.dt, temperatureK: task.temperatureK, pressureAtm: task.pressureAtm ?? 1, mode: 'isotropic' });
  } else {
    integrator = langevin as unknown as Integrator<MdState>;
    state = initLangevin(start, calc, { dt: task.dt, temperatureK: task.temperatureK, seed: task.seed + 1, fixCm: true });
  }
  try {
    const r = runMd(integrator, state, calc, { steps: task.steps, saveEvery: task.saveEvery });
    return { frames: r.frames, stopped: null, engine: 'cpu' };
  } catch (e) {
    if (e instanceof MdExplosionError) return { frames: e.frames, stopped: e.message, engine: 'cpu' };
    throw e;
  }
}

/** Paths of a task's outputs. */
export function taskPaths(dir: string) {
  return { traj: join(dir, 'traj.extxyz'), devi: join(dir, 'model_devi.out'), result: join(dir, 'result.json') };
}

/** The recorded result of a finished task, or null. */
export function readTaskResult(dir: string): TaskResult | null {
  const p = taskPaths(dir).result;
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as TaskResult) : null;
}

/** The saved frames of a finished task (positions Å, cell Å), in order. */
export function readTaskFrames(dir: string): Frame[] {
  return readExtxyz(readFileSync(taskPaths(dir).traj, 'utf8'), taskPaths(dir).traj);
}

/** Run one exploration task into `dir` (skipped when its result exists). */
export async function exploreTask(task: ExploreTask, dir: string, models: DpModel[], modelFiles: string[], trust: Trust, engine: Engine, log: (m: string) => void): Promise<TaskResult> {
  const done = readTaskResult(dir);
  if (done) return done;
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  const md = await mdFrames(task, models, modelFiles, engine, log);
  const ens = new DpEnsembleCalculator(models, { onWarning: () => {} });
  const rows: { step: number; deviation: ModelDeviation }[] = [];
  const frames: ExploredFrame[] = [];
  const out: MdFrame[] = [];
  for (const f of md.frames) {
    const step = Number(f.info?.step ?? rows.length * task.saveEvery);
    const frame: Frame = { symbols: f.symbols, positions: f.positions, cell: f.cell, pbc: f.pbc };
    let deviation: ModelDeviation;
    try {
      deviation = ens.compute(frame).deviation;
    } catch {
      deviation = { max_devi_f: Infinity, min_devi_f: Infinity, avg_devi_f: Infinity, devi_e: Infinity, max_devi_v: 0, min_devi_v: 0, avg_devi_v: 0, atomic_devi_f: new Float64Array(0) };
    }
    const maxDeviF = Number.isFinite(deviation.max_devi_f) ? deviation.max_devi_f : Infinity;
    const cls = Number.isFinite(maxDeviF) ? classifyDeviation(deviation, trust) : 'poor';
    rows.push({ step, deviation });
    frames.push({ step, maxDeviF, cls });
    out.push({ ...frame, info: { step, temperature_K: task.temperatureK, max_devi_f: maxDeviF, task: task.id }, arrays: {} });
  }
  writeAtomic(taskPaths(dir).traj, writeExtxyz(out));
  writeAtomic(taskPaths(dir).devi, formatModelDevi(rows.map((r) => ({ ...r.deviation, step: r.step }))));
  const result: TaskResult = { id: task.id, system: task.system, kind: task.kind, engine: md.engine, frames, stopped: md.stopped, seconds: (performance.now() - t0) / 1000 };
  writeAtomic(taskPaths(dir).result, JSON.stringify(result, (_k, v) => (v === Infinity ? 1e30 : v)));
  return result;
}
