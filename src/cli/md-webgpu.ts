/**
 * `nanostudio md --engine webgpu`: MD with a DP model or ensemble entirely on the GPU (MdGpu:
 * positions, velocities, forces and thermostat state stay on the device); the host reads the
 * thermodynamics every --print-every steps and positions/velocities/forces every --save-every
 * steps. NVE, Langevin and Nosé–Hoover chain. Units: Å, fs, K, eV.
 */
import type { Frame } from '../core/atoms.ts';
import { readDpModelFile } from '../core/potentials/dp/node-file.ts';
import { withMaxwellBoltzmann } from '../core/md/velocities.ts';
import { adapterLabel } from '../gpu/adapter-info.ts';
import { getNodeGpu, releaseNodeGpu } from '../gpu/node-device.ts';
import { DpGpuEngine } from '../gpu/dp-engine.ts';
import { MdGpu, type GpuThermostat } from '../gpu/md-gpu.ts';
import { UsageError } from './command.ts';
import type { MdOptions } from './commands/md.ts';

export interface GpuMdRun {
  frames: Frame[];
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
 * error (with the frames so far attached as `frames`) if the state turns non-finite.
 */
export async function runMdWebgpu(frame: Frame, potential: string, o: MdOptions, log: (line: string) => void): Promise<GpuMdRun> {
  const files = dpFilesOf(potential);
  const th = thermostat(o);
  const models = await Promise.all(files.map((f) => readDpModelFile(f, { onWarning: (m) => console.error(`warning: ${m}`) })));
  await import('../gpu/shaders-fs.ts');
  const gpu = await getNodeGpu();
  const adapter = adapterLabel(gpu.info);
  let engine: DpGpuEngine | undefined;
  let md: MdGpu | undefined;
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
    const t0 = performance.now();
    const first = await md.thermo();
    const frames: Frame[] = [];
    const save = async (): Promise<void> => {
      const s = await md!.readState();
      for (let k = 0; k < s.positions.length; k++) {
        if (!Number.isFinite(s.positions[k]) || !Number.isFinite(s.velocities[k])) {
          throw Object.assign(new Error(`MD stopped at step ${md!.step}: atom ${Math.floor(k / 3)} has a non-finite ${Number.isFinite(s.positions[k]) ? 'velocity' : 'position'}`), { frames });
        }
      }
      frames.push({ ...f, positions: s.positions, velocities: s.velocities, info: { step: md!.step, time_fs: md!.step * o.dt } });
    };
    await save();
    let last = first;
    while (md.step < o.steps) {
      const next = Math.min(o.steps, Math.ceil((md.step + 1) / o.saveEvery) * o.saveEvery, Math.ceil((md.step + 1) / o.printEvery) * o.printEvery);
      await md.run(next - md.step);
      if (md.step % o.printEvery === 0 || md.step === o.steps) {
        last = await md.thermo();
        if (!Number.isFinite(last.potential) || !Number.isFinite(last.temperature)) {
          throw Object.assign(new Error(`MD stopped at step ${md.step}: the energy is ${last.potential} eV, T ${last.temperature} K`), { frames });
        }
        log(`${String(md.step).padStart(8)} ${(md.step * o.dt).toFixed(1).padStart(10)} ${last.temperature.toFixed(2).padStart(10)} ${last.potential.toFixed(6).padStart(16)} ${last.conserved.toFixed(6).padStart(16)}`);
      }
      if (md.step % o.saveEvery === 0) await save();
    }
    return {
      frames,
      final: { temperature: last.temperature, potential: last.potential, conserved: last.conserved },
      drift: last.conserved - first.conserved,
      wallSeconds: (performance.now() - t0) / 1000,
      adapter,
    };
  } finally {
    md?.destroy();
    engine?.destroy();
    gpu.device.destroy();
    releaseNodeGpu();
  }
}
