/**
 * Molecular dynamics on the GPU with a DpGpuEngine: positions, velocities, forces and the
 * thermostat state stay on the device between steps; the host reads positions/velocities or
 * thermodynamic sums only when asked (e.g. every K steps). Per step the only readback is the
 * one u32 of the neighbour list's displacement check.
 *
 * Integrators (shaders/md-integrate.wgsl, md-reduce.wgsl):
 *   NVE       velocity Verlet
 *   Langevin  BAOAB (Leimkuhler & Matthews 2013), counter-based PCG random numbers (seeded),
 *             optional removal of the centre-of-mass velocity after the O step
 *   NHC       Nosé–Hoover chain (MTTK 1996), Suzuki–Yoshida 3, half steps around velocity Verlet
 * The trajectory follows the forces of model 0 (as LAMMPS `pair_style deepmd m0 m1 …`); the
 * other models of the engine are evaluated in the same dispatches and feed the deviation.
 * Units: Å, fs, amu, eV, K. Float32 state on the device.
 */
/// <reference types="@webgpu/types" />
import type { Frame } from '../core/atoms.ts';
import { masses as frameMasses } from '../core/atoms.ts';
import { AMU_A2_PER_FS2_IN_EV, KB_EV_PER_K } from '../core/units.ts';
import { suzukiYoshidaWeights } from '../core/md/nose-hoover-chain.ts';
import { conservedDof, degreesOfFreedom } from '../core/md/thermo.ts';
import { computePipeline } from './pipeline.ts';
import { shaderCode } from './shader-registry.ts';
import { bindGroup, cachedPipeline, dispatch, Readback, storageBuffer, uniformBuffer } from './gpu-util.ts';
import type { DpGpuEngine } from './dp-engine.ts';
import type { DpDeviationGpu } from './dp-deviation.ts';

export type GpuThermostat =
  | { kind: 'nve' }
  /** Langevin BAOAB: T (K), friction γ (1/fs, default 0.01), seed, fixCm (default true). */
  | { kind: 'langevin'; temperatureK: number; frictionPerFs?: number; seed?: number; fixCm?: boolean }
  /** Nosé–Hoover chain: T (K), period τ (fs, default 100), chain length 1–4 (default 3). */
  | { kind: 'nhc'; temperatureK: number; tauFs?: number; chainLength?: number };

export interface GpuMdOptions {
  /** Time step, fs. */
  dtFs: number;
  thermostat: GpuThermostat;
}

/** Thermodynamic snapshot (float64 on the host from float32 sums). */
export interface GpuThermo {
  step: number;
  /** Potential energy of model 0, eV. */
  potential: number;
  /** Kinetic energy, eV. */
  kinetic: number;
  /** Instantaneous temperature, K (dof of the thermostat / of the conserved momenta). */
  temperature: number;
  /** Conserved quantity (NVE: E; NHC: E + chain energy; Langevin: E), eV. */
  conserved: number;
  /** Total momentum, amu·Å/fs. */
  momentum: [number, number, number];
}

const MD_PARAMS_BYTES = 80;

export class MdGpu {
  /** Steps done so far. */
  step = 0;
  readonly dof: number;
  private readonly vel: GPUBuffer;
  private readonly thermoBuf: GPUBuffer;
  private readonly params: GPUBuffer;
  private readonly readback: Readback;
  private groupsFor = -1;
  private groups?: { integ: Record<string, GPUBindGroup>; reduce: GPUBindGroup; nhc: GPUBindGroup };
  private kT: number;
  private q: number[];
  private readonly tauFs: number;
  private deviation?: { dev: DpDeviationGpu; every: number };

  private constructor(
    private readonly device: GPUDevice,
    readonly engine: DpGpuEngine,
    private readonly pipes: Record<string, GPUComputePipeline>,
    readonly opts: GpuMdOptions,
    frame: Frame,
  ) {
    const n = engine.natoms;
    const th = opts.thermostat;
    if (!(opts.dtFs > 0)) throw new Error(`time step must be > 0 fs, got ${opts.dtFs}`);
    this.dof = th.kind === 'langevin'
      ? degreesOfFreedom(n, { momentumFixed: th.fixCm ?? true, angularFixed: false })
      : conservedDof(frame);
    this.kT = th.kind === 'nve' ? 0 : KB_EV_PER_K * th.temperatureK;
    const chain = th.kind === 'nhc' ? th.chainLength ?? 3 : 1;
    if (chain < 1 || chain > 4) throw new Error('NHC chain length must be 1–4 on the GPU');
    this.tauFs = th.kind === 'nhc' ? th.tauFs ?? 100 : 100;
    this.q = this.chainMasses();
    const m = frameMasses(frame);
    const p4 = new Float32Array(4 * n), v4 = new Float32Array(4 * n);
    const v = frame.velocities ?? new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 3; k++) {
        p4[4 * i + k] = frame.positions[3 * i + k];
        v4[4 * i + k] = v[3 * i + k];
      }
      p4[4 * i + 3] = m[i];
      v4[4 * i + 3] = 1 / (m[i] * AMU_A2_PER_FS2_IN_EV);
    }
    device.queue.writeBuffer(engine.positions, 0, p4);
    this.vel = storageBuffer(device, 16 * n, 'md-vel');
    device.queue.writeBuffer(this.vel, 0, v4);
    this.thermoBuf = storageBuffer(device, 64, 'md-thermo');
    this.params = uniformBuffer(device, MD_PARAMS_BYTES, 'md-params');
    this.readback = new Readback(device, 'md-readback');
    this.writeParams();
  }

  /**
   * Set up MD of `frame` (positions Å, velocities Å/fs, default zero) on an engine; computes
   * the initial forces. The engine's system is set to the frame.
   */
  static async create(engine: DpGpuEngine, frame: Frame, opts: GpuMdOptions): Promise<MdGpu> {
    const device = engine.device;
    const common = shaderCode('md-common');
    const names: [string, string, string][] = [
      ['kick', 'md-integrate', 'kick'], ['drift_full', 'md-integrate', 'drift_full'], ['drift_half', 'md-integrate', 'drift_half'],
      ['ou', 'md-integrate', 'ou'], ['remove_com', 'md-integrate', 'remove_com'], ['scale', 'md-integrate', 'scale'],
      ['reduce', 'md-reduce', 'reduce_main'], ['nhc', 'md-reduce', 'nhc_main'],
    ];
    const compiled = await Promise.all(names.map(([, file, entry]) => cachedPipeline(device, computePipeline, file, entry, common)));
    const pipes = Object.fromEntries(names.map(([k], idx) => [k, compiled[idx]]));
    await engine.setSystem(frame);
    const md = new MdGpu(device, engine, pipes, { ...opts, thermostat: { ...opts.thermostat } }, frame); // own copy: setTemperature changes it
    await engine.updateNeighbors();
    const enc = device.createCommandEncoder();
    engine.encodeCompute(enc);
    device.queue.submit([enc.finish()]);
    return md;
  }

  /** Nosé–Hoover chain masses Q_j = (j = 0 ? dof : 1)·kT·τ², eV·fs² (as core makeChain). */
  private chainMasses(): number[] {
    return Array.from({ length: 4 }, (_, j) => (j === 0 ? Math.max(this.dof, 1) : 1) * this.kT * this.tauFs * this.tauFs);
  }

  /** Target temperature of the thermostat, K (undefined for NVE). */
  get temperatureK(): number | undefined {
    const th = this.opts.thermostat;
    return th.kind === 'nve' ? undefined : th.temperatureK;
  }

  /**
   * Change the thermostat's target temperature (K); takes effect with the next step. For the
   * Nosé–Hoover chain the masses follow kT (chain positions and velocities are kept), so the
   * extended energy is not conserved across the change.
   */
  setTemperature(temperatureK: number): void {
    const th = this.opts.thermostat;
    if (th.kind === 'nve') throw new Error('NVE has no target temperature');
    if (!(temperatureK > 0) || !Number.isFinite(temperatureK)) throw new Error(`temperature must be > 0 K, got ${temperatureK}`);
    th.temperatureK = temperatureK;
    this.kT = KB_EV_PER_K * temperatureK;
    this.q = this.chainMasses();
  }

  /** Evaluate the ensemble deviation every `every` steps into the deviation's history rows. */
  attachDeviation(dev: DpDeviationGpu, every = 1): void {
    this.deviation = { dev, every: Math.max(1, every) };
  }

  private writeParams(): void {
    const th = this.opts.thermostat;
    const b = new ArrayBuffer(MD_PARAMS_BYTES);
    const u = new Uint32Array(b), f = new Float32Array(b);
    u[0] = this.engine.natoms;
    u[1] = this.step;
    u[2] = th.kind === 'langevin' ? (th.seed ?? 1) >>> 0 : 0;
    u[3] = th.kind === 'nhc' ? th.chainLength ?? 3 : 1;
    f[4] = this.opts.dtFs;
    f[5] = th.kind === 'langevin' ? Math.exp(-(th.frictionPerFs ?? 0.01) * this.opts.dtFs) : 1;
    f[6] = this.kT;
    f[7] = this.dof;
    f.set(this.q, 8);
    const w = suzukiYoshidaWeights(3);
    f.set([...w, 3], 12);
    f[16] = AMU_A2_PER_FS2_IN_EV;
    this.device.queue.writeBuffer(this.params, 0, b);
  }

  private ensureGroups(): NonNullable<MdGpu['groups']> {
    const e = this.engine;
    const key = e.neighborList.version;
    if (this.groups && this.groupsFor === key) return this.groups;
    const d = this.device, P = this.pipes;
    const integ: Record<string, GPUBindGroup> = {};
    const uses: Record<string, number[]> = {
      kick: [0, 2, 3], drift_full: [0, 1, 2], drift_half: [0, 1, 2], ou: [0, 2], remove_com: [0, 2, 4], scale: [0, 2, 4],
    };
    const buf: Record<number, GPUBuffer> = { 0: this.params, 1: e.positions, 2: this.vel, 3: e.forces, 4: this.thermoBuf };
    for (const [k, b] of Object.entries(uses)) integ[k] = bindGroup(d, P[k], b.map((x) => [x, buf[x]] as [number, GPUBuffer]));
    this.groups = {
      integ,
      reduce: bindGroup(d, P.reduce, [[0, this.params], [1, e.positions], [2, this.vel], [3, e.atomEnergies], [4, this.thermoBuf]]),
      nhc: bindGroup(d, P.nhc, [[0, this.params], [4, this.thermoBuf]]),
    };
    this.groupsFor = key;
    return this.groups;
  }

  private perAtom(enc: GPUCommandEncoder, name: string): void {
    dispatch(enc, this.pipes[name], this.ensureGroups().integ[name], Math.ceil(this.engine.natoms / 64));
  }

  private nhcHalf(enc: GPUCommandEncoder): void {
    const g = this.ensureGroups();
    dispatch(enc, this.pipes.reduce, g.reduce, 1);
    dispatch(enc, this.pipes.nhc, g.nhc, 1);
    this.perAtom(enc, 'scale');
  }

  /** Advance `steps` MD steps on the GPU. */
  async run(steps: number): Promise<void> {
    const th = this.opts.thermostat;
    for (let s = 0; s < steps; s++) {
      this.writeParams();
      const enc = this.device.createCommandEncoder();
      if (th.kind === 'nhc') this.nhcHalf(enc);
      this.perAtom(enc, 'kick');
      if (th.kind === 'langevin') {
        this.perAtom(enc, 'drift_half');
        this.perAtom(enc, 'ou');
        if (th.fixCm ?? true) {
          dispatch(enc, this.pipes.reduce, this.ensureGroups().reduce, 1);
          this.perAtom(enc, 'remove_com');
        }
        this.perAtom(enc, 'drift_half');
      } else {
        this.perAtom(enc, 'drift_full');
      }
      this.device.queue.submit([enc.finish()]);
      await this.engine.updateNeighbors();
      const enc2 = this.device.createCommandEncoder();
      this.engine.encodeCompute(enc2);
      this.perAtom(enc2, 'kick');
      if (th.kind === 'nhc') this.nhcHalf(enc2);
      this.step++;
      if (this.deviation && this.step % this.deviation.every === 0) {
        this.deviation.dev.encode(enc2, (this.step / this.deviation.every - 1) % this.deviation.dev.rows);
      }
      this.device.queue.submit([enc2.finish()]);
    }
  }

  /** Thermodynamic snapshot of the current state (one small readback). */
  async thermo(): Promise<GpuThermo> {
    const enc = this.device.createCommandEncoder();
    dispatch(enc, this.pipes.reduce, this.ensureGroups().reduce, 1);
    const t = new Float32Array(await this.readback.read(enc, this.thermoBuf, 64));
    const kinetic = 0.5 * t[4];
    const potential = t[5] + this.engine.energyOffsets()[0];
    let chain = 0;
    const th = this.opts.thermostat;
    if (th.kind === 'nhc') {
      const M = th.chainLength ?? 3;
      for (let j = 0; j < M; j++) chain += 0.5 * this.q[j] * t[12 + j] ** 2 + (j === 0 ? this.dof : 1) * this.kT * t[8 + j];
    }
    return {
      step: this.step,
      potential,
      kinetic,
      temperature: this.dof > 0 ? (2 * kinetic) / (this.dof * KB_EV_PER_K) : 0,
      conserved: potential + kinetic + chain,
      momentum: [t[0], t[1], t[2]],
    };
  }

  /** Positions of the current state, Å (float64 copy, length 3N): one readback. */
  async readPositions(): Promise<Float64Array> {
    const n = this.engine.natoms;
    const p = new Float32Array(await this.readback.read(this.device.createCommandEncoder(), this.engine.positions, 16 * n));
    return Float64Array.from({ length: 3 * n }, (_, k) => p[4 * Math.floor(k / 3) + (k % 3)]);
  }

  /** Positions (Å), velocities (Å/fs) and model-0 forces (eV/Å) of the current state, float64 copies. */
  async readState(): Promise<{ positions: Float64Array; velocities: Float64Array; forces: Float64Array }> {
    const n = this.engine.natoms;
    const p = new Float32Array(await this.readback.read(this.device.createCommandEncoder(), this.engine.positions, 16 * n));
    const v = new Float32Array(await this.readback.read(this.device.createCommandEncoder(), this.vel, 16 * n));
    const f = new Float32Array(await this.readback.read(this.device.createCommandEncoder(), this.engine.forces, 16 * n));
    const pick = (a: Float32Array) => Float64Array.from({ length: 3 * n }, (_, k) => a[4 * Math.floor(k / 3) + (k % 3)]);
    return { positions: pick(p), velocities: pick(v), forces: pick(f) };
  }

  destroy(): void {
    this.vel.destroy();
    this.thermoBuf.destroy();
    this.params.destroy();
    this.readback.destroy();
  }
}
