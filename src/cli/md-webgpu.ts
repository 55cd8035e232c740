/**
 * `nanostudio md --engine webgpu`: MD with a DP model or ensemble entirely on the GPU (MdGpu:
 * positions, velocities, forces and thermostat state stay on the device); the host reads the
 * thermodynamics every --print-every steps and positions/velocities/forces every --save-every
 * steps. NVE, Langevin and Nosé–Hoover chain. Units: Å, fs, K, eV.
 * Each saved frame carries that step's positions, velocities (Å/fs), model-0 forces (eV/Å) as extxyz
 * columns and step, time_fs, energy (eV), kinetic_energy (eV), temperature_K in its info; with an
 * ensemble also max_devi_f / devi_e, and one model_devi.out row per saved frame.
 */
import type { Frame } from '../core/atoms.ts';
import { readDpModelFile } from '../node/dp-file.ts';
import { withMaxwellBoltzmann } from '../core/md/velocities.ts';
import { adapterLabel } from '../gpu/adapter-info.ts';
import { getNodeGpu, releaseNodeGpu } from '../node/gpu-device.ts';
import { DpGpuEngine } from '../gpu/dp-engine.ts';
import { MdGpu, type GpuThermostat } from '../gpu/md-gpu.ts';
import { DpDeviationGpu } from '../gpu/dp-deviation.ts';
import type { ModelDeviRow } from '../core/io/model-devi.ts';
import { annotate, deviRow, type TrajectoryFrame } from './md-deviation.ts';
import { UsageError } from './command.ts';
import type { MdOptions } from './commands/md.ts';

export interface GpuMdRun {
  frames: TrajectoryFrame[];
  /** One model_devi.out row per saved frame (ensembles only). */
  deviation: ModelDeviRow[];
  /** Last thermodynamic snapshot. */
  final: { temperature: number; potential: number; conserved: number };
  /** Conserved-quantity change over the run, eV. */
  drift: number;
  wallSeconds: number;
  adapter: string;
}

/** The DP model files named by `dp:A,B,...`; a usage error for any other potential. */
export function dpFilesOf(potential: string): string[] {
  const p = potential.trim();
  if (!p.startsWith('dp:')) throw new UsageError('--engine webgpu runs DeePMD models only (--potential dp:MODEL[,MODEL...])');
  return p.slice(3).split(',').map((s) => s.trim()).filter(Boolean);
}

function thermostat(o: MdOptions): GpuThermostat {
  const t = (): number => {
    if (o.temperatureK === undefined) throw new UsageError(`--temperature is required for --ensemble ${o.ensemble}`);
    return o.temperatureK;
  };
  switch (o.ensemble) {
    case 'nve':
      return { kind: 'nve' };
    case 'langevin':
      return { kind: 'langevin', temperatureK: t(), frictionPerFs: o.frictionPerFs, seed: o.seed + 1 };
    case 'nhc':
      return { kind: 'nhc', temperatureK: t(), tauFs: o.tauTFs };
    default:
      throw new UsageError(`--engine webgpu supports --ensemble nve, langevin and nhc; got ${o.ensemble}`);
  }
}

/**
 * Run `o.steps` steps of GPU MD. `log` receives the header and progress lines. Throws a clear
 * error (with the frames and deviation rows so far attached as `frames`, `deviation`) if the
 * state turns non-finite.
 */
export async function runMdWebgpu(frame: Frame, potential: string, o: MdOptions, log: (line: string) => void): Promise<GpuMdRun> {
  const files = dpFilesOf(potential);
  const th = thermostat(o);
  const models = await Promise.all(files.map((f) => readDpModelFile(f, { onWarning: (m) => console.error(`warning: ${m}`) })));
  await import('../node/shaders-fs.ts');
  const gpu = await getNodeGpu();
  const adapter = adapterLabel(gpu.info);
  let engine: DpGpuEngine | undefined;
  let md: MdGpu | undefined;
  let dev: DpDeviationGpu | undefined;
  try {
    engine = await DpGpuEngine.create(gpu.device, models);
    let f = frame;
    if (!f.velocities) {
      if (o.temperatureK === undefined) throw new UsageError('the structure has no velocities: give --temperature to draw Maxwell–Boltzmann ones');
      f = withMaxwellBoltzmann(frame, o.temperatureK, o.seed, o.ensemble === 'langevin' ? { zeroAngularMomentum: false } : {});
    }
    md = await MdGpu.create(engine, f, { dtFs: o.dt, thermostat: th });
    log(`md: ${o.ensemble} on WebGPU (${adapter}), ${f.symbols.length} atoms, ${models.length} model(s) (trajectory follows model 0), dt ${o.dt} fs, ${o.steps} steps`);
    log(`${'step'.padStart(8)} ${'time/fs'.padStart(10)} ${'T/K'.padStart(10)} ${'Epot/eV'.padStart(16)} ${'Econs/eV'.padStart(16)}`);
    if (models.length > 1) {
      dev = await DpDeviationGpu.create(gpu.device, engine);
      md.attachDeviation(dev, o.saveEvery);
      const enc = gpu.device.createCommandEncoder();
      dev.encode(enc, 0); // the initial state (MdGpu encodes the later saved steps)
      gpu.device.queue.submit([enc.finish()]);
    }
    const t0 = performance.now();
    const first = await md.thermo();
    const frames: TrajectoryFrame[] = [];
    const deviation: ModelDeviRow[] = [];
    const fail = (message: string) => Object.assign(new Error(message), { frames, deviation });
    const save = async (): Promise<void> => {
      const s = await md!.readState();
      for (let k = 0; k < s.positions.length; k++) {
        if (!Number.isFinite(s.positions[k]) || !Number.isFinite(s.velocities[k])) {
          throw fail(`MD stopped at step ${md!.step}: atom ${Math.floor(k / 3)} has a non-finite ${Number.isFinite(s.positions[k]) ? 'velocity' : 'position'}`);
        }
      }
      const th = await md!.thermo();
      const saved: TrajectoryFrame = {
        symbols: [...f.symbols], cell: f.cell ? new Float64Array(f.cell) : null, pbc: [...f.pbc],
        positions: s.positions, velocities: s.velocities, arrays: { velocities: s.velocities, forces: s.forces },
        info: { step: md!.step, time_fs: md!.step * o.dt, energy: th.potential, kinetic_energy: th.kinetic, temperature_K: th.temperature },
      };
      if (dev) {
        const [d] = await dev.readRows(1);
        annotate(saved, d);
        deviation.push(deviRow(md!.step, d));
      }
      frames.push(saved);
    };
    await save();
    let last = first;
    while (md.step < o.steps) {
      const next = Math.min(o.steps, Math.ceil((md.step + 1) / o.saveEvery) * o.saveEvery, Math.ceil((md.step + 1) / o.printEvery) * o.printEvery);
      await md.run(next - md.step);
      if (md.step % o.printEvery === 0 || md.step === o.steps) {
        last = await md.thermo();
        if (!Number.isFinite(last.potential) || !Number.isFinite(last.temperature)) {
          throw fail(`MD stopped at step ${md.step}: the energy is ${last.potential} eV, T ${last.temperature} K`);
        }
        log(`${String(md.step).padStart(8)} ${(md.step * o.dt).toFixed(1).padStart(10)} ${last.temperature.toFixed(2).padStart(10)} ${last.potential.toFixed(6).padStart(16)} ${last.conserved.toFixed(6).padStart(16)}`);
      }
      if (md.step % o.saveEvery === 0) await save();
    }
    return {
      frames,
      deviation,
      final: { temperature: last.temperature, potential: last.potential, conserved: last.conserved },
      drift: last.conserved - first.conserved,
      wallSeconds: (performance.now() - t0) / 1000,
      adapter,
    };
  } finally {
    dev?.destroy();
    md?.destroy();
    engine?.destroy();
    gpu.device.destroy();
    releaseNodeGpu();
  }
}
