/**
 * The studio's MD on WebGPU: the all-GPU integrator (MdGpu — positions, velocities, forces and
 * thermostat state stay on the device, as `nanostudio md --engine webgpu`) of a DP ensemble,
 * with the ensemble deviation computed on the GPU (DpDeviationGpu) only when a snapshot is
 * taken (every saved frame). Between snapshots the only readback per step is MdGpu's one u32
 * neighbour-list check. NVE, Langevin and Nosé–Hoover chain; NPT has no GPU integrator.
 * Units: Å, fs, K, eV, eV/Å.
 */
/// <reference types="@webgpu/types" />
import { cellVolume, type Frame } from '../core/atoms.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import { classifyDeviation, type ModelDeviation } from '../core/potentials/dp/deviation.ts';
import { DpGpuEngine } from '../gpu/dp-engine.ts';
import { DpDeviationGpu } from '../gpu/dp-deviation.ts';
import { MdGpu, type GpuThermostat } from '../gpu/md-gpu.ts';
import { clusterRadiusLimit, DEFAULT_SIM_PARAMS, initialFrame, noDeviation, validateSimParams, type MdRunner, type SimParams, type SimSnapshot } from './simulation.ts';

function thermostat(p: SimParams): GpuThermostat {
  switch (p.ensemble) {
    case 'nve': return { kind: 'nve' };
    case 'langevin': return { kind: 'langevin', temperatureK: p.temperatureK, frictionPerFs: p.frictionPerFs, seed: p.seed + 1 };
    case 'nose-hoover': return { kind: 'nhc', temperatureK: p.temperatureK, tauFs: p.tauTFs };
    case 'npt': throw new Error('NPT has no WebGPU integrator (no barostat on the GPU): it runs on the CPU path');
  }
}

/** Why the state of a snapshot is unphysical, or null (same limits as the CPU path). */
export function snapshotProblem(s: Pick<SimSnapshot, 'positions' | 'potentialEnergy' | 'temperatureK'>, targetK: number, maxRadiusA: number | null): string | null {
  const x = s.positions;
  for (let k = 0; k < x.length; k++) if (!Number.isFinite(x[k])) return `atom ${Math.floor(k / 3)} has a non-finite position`;
  if (!Number.isFinite(s.potentialEnergy)) return `potential energy is ${s.potentialEnergy}`;
  if (!Number.isFinite(s.temperatureK)) return `temperature is ${s.temperatureK}`;
  if (targetK > 0 && s.temperatureK > 10 * targetK) return `temperature ${s.temperatureK.toFixed(1)} K exceeds 10× the target ${targetK} K`;
  if (maxRadiusA !== null) {
    const n = x.length / 3;
    const c = [0, 1, 2].map((k) => { let t = 0; for (let i = 0; i < n; i++) t += x[3 * i + k]; return t / n; });
    for (let i = 0; i < n; i++) {
      const r = Math.hypot(x[3 * i] - c[0], x[3 * i + 1] - c[1], x[3 * i + 2] - c[2]);
      if (r > maxRadiusA) return `atom ${i} is ${r.toFixed(2)} Å from the centre (limit ${maxRadiusA.toFixed(2)} Å): it left the cluster`;
    }
  }
  return null;
}

export class GpuSimulation implements MdRunner {
  readonly engineKind = 'webgpu' as const;
  private readonly maxRadiusA: number | null;

  private constructor(
    private readonly engine: DpGpuEngine,
    private readonly md: MdGpu,
    private readonly dev: DpDeviationGpu | null,
    private readonly params: SimParams,
    readonly engineName: string,
    private readonly frame: Frame,
  ) {
    this.maxRadiusA = clusterRadiusLimit(frame);
  }

  /**
   * Set up GPU MD of `start` (velocities drawn at T with the seed unless present) with the
   * ensemble `models` on `device`; its own engine buffers, released by destroy(). `engineName`
   * replaces the default "WebGPU ensemble of N (adapter)" in snapshots.
   */
  static async create(device: GPUDevice, models: DpModel[], start: Frame, params: Partial<SimParams>, adapterLabel: string, engineName?: string): Promise<GpuSimulation> {
    const p = { ...DEFAULT_SIM_PARAMS, ...params };
    validateSimParams(p);
    const th = thermostat(p);
    const frame = initialFrame(start, p);
    const engine = await DpGpuEngine.create(device, models);
    try {
      const md = await MdGpu.create(engine, frame, { dtFs: p.dtFs, thermostat: th });
      const dev = models.length > 1 ? await DpDeviationGpu.create(device, engine, { rows: 1 }) : null;
      return new GpuSimulation(engine, md, dev, p, engineName ?? `WebGPU ensemble of ${models.length} (${adapterLabel})`, frame);
    } catch (e) {
      engine.destroy();
      throw e;
    }
  }

  get step(): number {
    return this.md.step;
  }

  async run(n: number): Promise<void> {
    await this.md.run(n);
  }

  setTemperature(temperatureK: number): void {
    this.md.setTemperature(temperatureK);
    this.params.temperatureK = temperatureK;
  }

  /** Thermodynamics, positions and the GPU deviation of the current state (a few small readbacks). */
  async snapshot(): Promise<SimSnapshot> {
    const n = this.engine.natoms;
    let d: ModelDeviation = noDeviation(n);
    if (this.dev) {
      const enc = this.engine.device.createCommandEncoder();
      this.dev.encode(enc, 0);
      this.engine.device.queue.submit([enc.finish()]);
      const [row] = await this.dev.readRows(1);
      d = { ...row, atomic_devi_f: await this.dev.readAtomic() };
    }
    const t = await this.md.thermo();
    const positions = await this.md.readPositions();
    const periodic = this.frame.cell && this.frame.pbc.some(Boolean);
    const snap: SimSnapshot = {
      step: this.md.step,
      timeFs: this.md.step * this.params.dtFs,
      positions,
      cell: periodic ? new Float64Array(this.frame.cell!) : undefined,
      volumeA3: periodic ? cellVolume(this.frame) : undefined,
      atomicDeviF: d.atomic_devi_f,
      temperatureK: t.temperature,
      potentialEnergy: t.potential,
      kineticEnergy: t.kinetic,
      conservedEnergy: t.conserved,
      maxDeviF: d.max_devi_f,
      avgDeviF: d.avg_devi_f,
      deviE: d.devi_e,
      deviationClass: classifyDeviation(d, { lo: this.params.trustLo, hi: this.params.trustHi }),
      engine: this.engineName,
      stepsPerSecond: 0,
    };
    const why = snapshotProblem(snap, this.params.temperatureK, this.maxRadiusA);
    if (why) throw new Error(`MD stopped at step ${snap.step}: ${why}`);
    return snap;
  }

  destroy(): void {
    this.dev?.destroy();
    this.md.destroy();
    this.engine.destroy();
  }
}
