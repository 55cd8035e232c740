/**
 * Lennard-Jones energy and forces of an open cluster on the GPU (shaders/lj-gather.wgsl).
 * Float32 on the device; the total energy is summed in float64 on the host.
 * Buffers are created once per size and reused between calls.
 */
/// <reference types="@webgpu/types" />
import { computePipeline } from './pipeline.ts';

export interface LjGpuResult {
  /** Total energy, eV (float64 sum of float32 atomic energies). */
  energy: number;
  /** Forces, eV/Å, length 3N. */
  forces: Float64Array;
  /** Atomic energies, eV, length N. */
  atomicEnergies: Float64Array;
}

export class LennardJonesGpu {
  private pipeline?: GPUComputePipeline;
  private natoms = -1;
  private bufs?: { params: GPUBuffer; pos: GPUBuffer; out: GPUBuffer; read: GPUBuffer; bind: GPUBindGroup };

  /** ε in eV, σ in Å. */
  constructor(private readonly device: GPUDevice, readonly epsilon: number, readonly sigma: number) {}

  private async ensure(n: number): Promise<NonNullable<LennardJonesGpu['bufs']>> {
    this.pipeline ??= await computePipeline(this.device, 'lj-gather');
    if (this.bufs && this.natoms === n) return this.bufs;
    this.destroyBuffers();
    const d = this.device;
    const params = d.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    const pos = d.createBuffer({ size: 16 * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
    const out = d.createBuffer({ size: 16 * n, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const read = d.createBuffer({ size: 16 * n, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const bind = d.createBindGroup({
      layout: this.pipeline.getBindGroupLayout(0),
      entries: [params, pos, out].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    this.natoms = n;
    this.bufs = { params, pos, out, read, bind };
    return this.bufs;
  }

  /** Evaluate the cluster with positions in Å (length 3N). */
  async compute(positions: Float64Array): Promise<LjGpuResult> {
    const n = positions.length / 3;
    const b = await this.ensure(n);
    const p = new ArrayBuffer(16);
    new Uint32Array(p, 0, 1)[0] = n;
    new Float32Array(p, 4, 2).set([this.epsilon, this.sigma]);
    this.device.queue.writeBuffer(b.params, 0, p);
    const pos4 = new Float32Array(4 * n);
    for (let i = 0; i < n; i++) pos4.set(positions.subarray(3 * i, 3 * i + 3), 4 * i);
    this.device.queue.writeBuffer(b.pos, 0, pos4);
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(this.pipeline!);
    pass.setBindGroup(0, b.bind);
    pass.dispatchWorkgroups(Math.ceil(n / 64));
    pass.end();
    enc.copyBufferToBuffer(b.out, 0, b.read, 0, 16 * n);
    this.device.queue.submit([enc.finish()]);
    await b.read.mapAsync(GPUMapMode.READ);
    const out = new Float32Array(b.read.getMappedRange().slice(0));
    b.read.unmap();
    const forces = new Float64Array(3 * n);
    const atomicEnergies = new Float64Array(n);
    let energy = 0;
    for (let i = 0; i < n; i++) {
      forces[3 * i] = out[4 * i];
      forces[3 * i + 1] = out[4 * i + 1];
      forces[3 * i + 2] = out[4 * i + 2];
      atomicEnergies[i] = out[4 * i + 3];
      energy += atomicEnergies[i];
    }
    return { energy, forces, atomicEnergies };
  }

  private destroyBuffers(): void {
    if (!this.bufs) return;
    for (const k of ['params', 'pos', 'out', 'read'] as const) this.bufs[k].destroy();
    this.bufs = undefined;
  }

  /** Release the GPU buffers. */
  destroy(): void {
    this.destroyBuffers();
  }
}
