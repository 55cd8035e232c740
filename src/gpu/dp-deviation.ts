/**
 * Model deviation of a fused ensemble on the GPU (shaders/dp-deviation.wgsl), from the forces,
 * atomic energies and atomic virials a DpGpuEngine left on the device: per-atom force
 * deviation and the per-frame numbers of `dp model-devi` (docs/dp-se.md §8). Each frame writes one row
 * of 8 floats into a history buffer, so a driver can read K frames back at once.
 * Units: eV/Å (forces), eV/atom (energy, virial).
 */
/// <reference types="@webgpu/types" />
import { computePipeline } from './pipeline.ts';
import { bindGroup, cachedPipeline, dispatch, Readback, storageBuffer, uniformBuffer } from './gpu-util.ts';
import type { DpGpuEngine } from './dp-engine.ts';
import type { DeviationNumbers, DeviationOptions } from '../core/potentials/dp/deviation.ts';

/** The per-frame deviation numbers (names as in model_devi.out): the core's, computed in f32. */
export type GpuDeviation = DeviationNumbers;

export interface GpuDeviationOptions extends DeviationOptions {
  /** Rows of the history buffer (frames kept on the GPU between readbacks). Default 1. */
  rows?: number;
}

export class DpDeviationGpu {
  /** Per-atom force deviation ε_f,i (f32, eV/Å), valid after encode(). */
  readonly atomDevi: GPUBuffer;
  /** History rows, 8 floats each. */
  readonly rows: number;
  private readonly out: GPUBuffer;
  private readonly params: GPUBuffer[];
  private readonly groupsAtom: GPUBindGroup;
  private readonly groupsReduce: GPUBindGroup[];
  private readonly readback: Readback;

  private constructor(
    private readonly device: GPUDevice,
    private readonly engine: DpGpuEngine,
    private readonly pipes: { atom: GPUComputePipeline; reduce: GPUComputePipeline },
    opts: GpuDeviationOptions,
  ) {
    const n = engine.natoms;
    if (n === 0) throw new Error('DpDeviationGpu: set the engine system first');
    if (engine.nmodels > 4) throw new Error('the GPU deviation supports up to 4 models');
    this.rows = Math.max(1, opts.rows ?? 1);
    this.atomDevi = storageBuffer(device, 4 * n, 'devi-atom');
    this.out = storageBuffer(device, 32 * this.rows, 'devi-out');
    const offsets = engine.energyOffsets();
    const mean = offsets.reduce((a, b) => a + b, 0) / offsets.length;
    this.params = Array.from({ length: this.rows }, (_, row) => {
      const p = uniformBuffer(device, 48, `devi-params-${row}`);
      const b = new ArrayBuffer(48);
      const u = new Uint32Array(b), f = new Float32Array(b);
      u[0] = n;
      u[1] = engine.nmodels;
      u[2] = row;
      f[3] = opts.relative ?? -1;
      f[4] = opts.relativeV ?? -1;
      offsets.forEach((o, k) => (f[8 + k] = o - mean));
      device.queue.writeBuffer(p, 0, b);
      return p;
    });
    this.groupsAtom = bindGroup(device, pipes.atom, [[0, this.params[0]], [1, engine.forces], [2, this.atomDevi]]);
    this.groupsReduce = this.params.map((p) => bindGroup(device, pipes.reduce, [[0, p], [2, this.atomDevi], [3, engine.atomEnergies], [4, engine.atomVirials], [5, this.out]]));
    this.readback = new Readback(device, 'devi-readback');
  }

  /** Compile the kernels and bind them to the engine's current system (re-create after the atom count changes). */
  static async create(device: GPUDevice, engine: DpGpuEngine, opts: GpuDeviationOptions = {}): Promise<DpDeviationGpu> {
    const [atom, reduce] = await Promise.all([
      cachedPipeline(device, computePipeline, 'dp-deviation', 'atom_main', ''),
      cachedPipeline(device, computePipeline, 'dp-deviation', 'reduce_main', ''),
    ]);
    return new DpDeviationGpu(device, engine, { atom, reduce }, opts);
  }

  /** Encode the deviation of the engine's current results into history row `row`. */
  encode(enc: GPUCommandEncoder, row = 0): void {
    dispatch(enc, this.pipes.atom, this.groupsAtom, Math.ceil(this.engine.natoms / 64));
    dispatch(enc, this.pipes.reduce, this.groupsReduce[row % this.rows], 1);
  }

  /** Read history rows 0 … count−1 (submits pending work first). */
  async readRows(count = this.rows): Promise<GpuDeviation[]> {
    const raw = new Float32Array(await this.readback.read(this.device.createCommandEncoder(), this.out, 32 * count));
    return Array.from({ length: count }, (_, r) => ({
      max_devi_f: raw[8 * r], min_devi_f: raw[8 * r + 1], avg_devi_f: raw[8 * r + 2], devi_e: raw[8 * r + 3],
      max_devi_v: raw[8 * r + 4], min_devi_v: raw[8 * r + 5], avg_devi_v: raw[8 * r + 6],
    }));
  }

  /** Read the per-atom force deviations ε_f,i (eV/Å). */
  async readAtomic(): Promise<Float64Array> {
    return Float64Array.from(new Float32Array(await this.readback.read(this.device.createCommandEncoder(), this.atomDevi, 4 * this.engine.natoms)));
  }

  destroy(): void {
    for (const b of [this.atomDevi, this.out, ...this.params]) b.destroy();
    this.readback.destroy();
  }
}
