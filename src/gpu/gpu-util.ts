/**
 * Small WebGPU helpers shared by the engine classes: buffer creation, bind groups from
 * (binding, buffer) pairs, and a reusable readback staging buffer.
 */
/// <reference types="@webgpu/types" />

/** Storage buffer (plus COPY_SRC/COPY_DST) of `bytes` bytes (rounded up to 16, min 16). */
export function storageBuffer(device: GPUDevice, bytes: number, label: string, extra = 0): GPUBuffer {
  const size = Math.max(16, Math.ceil(bytes / 16) * 16);
  return device.createBuffer({ size, label, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST | extra });
}

/** Uniform buffer of `bytes` bytes (rounded up to 16). */
export function uniformBuffer(device: GPUDevice, bytes: number, label: string): GPUBuffer {
  return device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), label, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
}

/** A bind group of group 0 of `pipeline` from [binding, buffer] pairs. */
export function bindGroup(device: GPUDevice, pipeline: GPUComputePipeline, entries: [number, GPUBuffer][], label?: string): GPUBindGroup {
  return device.createBindGroup({
    label,
    layout: pipeline.getBindGroupLayout(0),
    entries: entries.map(([binding, buffer]) => ({ binding, resource: { buffer } })),
  });
}

/** One compute pass with a single dispatch. */
export function dispatch(enc: GPUCommandEncoder, pipeline: GPUComputePipeline, group: GPUBindGroup, x: number, y = 1, z = 1): void {
  if (x === 0 || y === 0 || z === 0) return;
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, group);
  pass.dispatchWorkgroups(x, y, z);
  pass.end();
}

/** A MAP_READ staging buffer that grows on demand; read(src) copies and maps. */
export class Readback {
  private buf?: GPUBuffer;
  constructor(private readonly device: GPUDevice, private readonly label = 'readback') {}

  /** Encode a copy of `bytes` bytes of src (from srcOffset) into the staging buffer, submit everything, map and return a copy. */
  async read(enc: GPUCommandEncoder, src: GPUBuffer, bytes: number, srcOffset = 0): Promise<ArrayBuffer> {
    const size = Math.ceil(bytes / 4) * 4;
    if (!this.buf || this.buf.size < size) {
      this.buf?.destroy();
      this.buf = this.device.createBuffer({ size: Math.max(16, size), label: this.label, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    }
    enc.copyBufferToBuffer(src, srcOffset, this.buf, 0, size);
    this.device.queue.submit([enc.finish()]);
    await this.buf.mapAsync(GPUMapMode.READ, 0, size);
    const out = this.buf.getMappedRange(0, size).slice(0);
    this.buf.unmap();
    return out;
  }

  destroy(): void {
    this.buf?.destroy();
    this.buf = undefined;
  }
}

const pipelineCache = new WeakMap<GPUDevice, Map<string, Promise<GPUComputePipeline>>>();

/**
 * computePipeline() memoized per device on (shader, entry point, prelude): engines created
 * repeatedly for the same architecture do not recompile their kernels.
 */
export function cachedPipeline(
  device: GPUDevice,
  compile: (device: GPUDevice, name: string, entry: string, prelude: string) => Promise<GPUComputePipeline>,
  name: string,
  entry: string,
  prelude: string,
): Promise<GPUComputePipeline> {
  let m = pipelineCache.get(device);
  if (!m) pipelineCache.set(device, (m = new Map()));
  const key = `${name}\u0000${entry}\u0000${prelude}`;
  let p = m.get(key);
  if (!p) {
    p = compile(device, name, entry, prelude);
    p.catch(() => m!.delete(key));
    m.set(key, p);
  }
  return p;
}
