/**
 * GPU Verlet neighbour list (shaders/neighbor-*.wgsl) for open clusters and periodic cells
 * (any triclinic shape, mixed pbc, boxes smaller than 2·rcut: images of other atoms and of the
 * atom itself are separate entries).
 *
 * - List cutoff rcs = cutoff + skin (Å). Entry (j, s) of atom i means the image r_j + s·cell.
 * - Fixed capacity per atom; an overflow is detected (the true count is kept) and the list is
 *   grown and rebuilt, so nothing is ever dropped silently. Bins grow the same way.
 * - `update()` runs the displacement check on the GPU and reads back one u32: the list is
 *   rebuilt only when an atom moved more than skin/2 since the last build (or the cell changed).
 * - `partner[i*cap + q]` is the index of the same pair seen from the neighbour (entry (i, −s)
 *   in j's list): consumers gather pair forces without float atomics.
 * Positions are read from a vec4f storage buffer owned by the caller (xyz in Å).
 */
/// <reference types="@webgpu/types" />
import { computePipeline } from './pipeline.ts';
import { cachedPipeline } from './gpu-util.ts';

const pipe = (device: GPUDevice, name: string, entry: string, prelude: string) => cachedPipeline(device, computePipeline, name, entry, prelude);
import { shaderCode } from './shader-registry.ts';
import { bindGroup, dispatch, Readback, storageBuffer, uniformBuffer } from './gpu-util.ts';
import { inv3 } from '../core/atoms.ts';
import { planeSpacings } from '../core/neighbor/neighbor-list.ts';

export interface NeighborGpuOptions {
  /** Interaction cutoff rc, Å. */
  cutoff: number;
  /** Verlet skin, Å (default 0.5). */
  skin?: number;
  /** Initial list capacity per atom (default 64; grown on overflow). */
  capacity?: number;
}

export interface NeighborGpuStats {
  /** Number of list builds so far (including growth retries). */
  builds: number;
  /** Largest number of entries of one atom at the last build. */
  maxCount: number;
  /** Current capacity per atom. */
  capacity: number;
}

const NB_PARAMS_BYTES = 7 * 16 + 32;
const MAX_PER_DIM = 48;

export class NeighborListGpu {
  readonly cutoff: number;
  readonly skin: number;
  /** Entries per atom currently allocated. */
  cap: number;
  /** Bumped whenever list/count/partner buffers are reallocated (rebuild your bind groups). */
  version = 0;
  /** vec2u per entry: (j, packed shift), natoms × cap. */
  list!: GPUBuffer;
  /** u32 per atom: number of entries found (≤ cap after a successful build). */
  count: GPUBuffer;
  /** u32 per entry: index (j*cap + q') of the reverse entry. */
  partner!: GPUBuffer;
  /** The NbParams uniform (cell rows, inverse, natoms, cap…), bindable by consumers. */
  readonly params: GPUBuffer;
  private binCap = 32;
  private readonly maxBins: number;
  private binCount: GPUBuffer;
  private binAtoms!: GPUBuffer;
  private readonly bbox: GPUBuffer;
  private readonly grid: GPUBuffer;
  private readonly flags: GPUBuffer;
  private readonly ref: GPUBuffer;
  private readonly readback: Readback;
  private groups?: { bbox: GPUBindGroup; grid: GPUBindGroup; bin: GPUBindGroup; search: GPUBindGroup; partner: GPUBindGroup; skin: GPUBindGroup };
  private dirty = true;
  private cell: Float64Array | null = null;
  private pbc: [boolean, boolean, boolean] = [false, false, false];
  private builds = 0;
  private maxCount = 0;

  private constructor(
    private readonly device: GPUDevice,
    private readonly pos: GPUBuffer,
    readonly natoms: number,
    opts: NeighborGpuOptions,
    private readonly pipes: Record<'bbox' | 'grid' | 'bin' | 'search' | 'partner' | 'skin', GPUComputePipeline>,
  ) {
    if (!(opts.cutoff > 0)) throw new Error(`neighbour cutoff must be positive, got ${opts.cutoff}`);
    if (natoms >= 1 << 30) throw new Error('too many atoms for the GPU neighbour list');
    this.cutoff = opts.cutoff;
    this.skin = opts.skin ?? 0.5;
    this.cap = Math.max(16, Math.ceil((opts.capacity ?? 64) / 16) * 16);
    const L = Math.min(MAX_PER_DIM, Math.max(2, Math.ceil(Math.cbrt(natoms)) + 2));
    this.maxBins = L * L * L;
    this.params = uniformBuffer(device, NB_PARAMS_BYTES, 'nb-params');
    this.binCount = storageBuffer(device, 4 * this.maxBins, 'nb-bin-count');
    this.bbox = storageBuffer(device, 24, 'nb-bbox');
    this.grid = storageBuffer(device, 64, 'nb-grid');
    this.flags = storageBuffer(device, 16, 'nb-flags');
    this.ref = storageBuffer(device, 16 * natoms, 'nb-ref-pos');
    this.count = storageBuffer(device, 4 * natoms, 'nb-count');
    this.readback = new Readback(device, 'nb-readback');
    this.allocBins();
    this.allocList();
    this.perDim = L;
  }
  private perDim: number;

  /** Compile the pipelines and allocate buffers for `natoms` atoms whose vec4f positions (Å) live in `pos`. */
  static async create(device: GPUDevice, pos: GPUBuffer, natoms: number, opts: NeighborGpuOptions): Promise<NeighborListGpu> {
    const common = shaderCode('neighbor-common');
    const [bbox, grid, bin, search, partner, skin] = await Promise.all([
      pipe(device, 'neighbor-bins', 'bbox_main', common),
      pipe(device, 'neighbor-bins', 'grid_main', common),
      pipe(device, 'neighbor-bins', 'bin_main', common),
      pipe(device, 'neighbor-list', 'search_main', common),
      pipe(device, 'neighbor-list', 'partner_main', common),
      pipe(device, 'neighbor-skin', 'main', common),
    ]);
    return new NeighborListGpu(device, pos, natoms, opts, { bbox, grid, bin, search, partner, skin });
  }

  /** Set the cell (rows = lattice vectors, Å; null for an open cluster) and pbc; forces a rebuild. */
  setCell(cell: ArrayLike<number> | null, pbc: [boolean, boolean, boolean] = [false, false, false]): void {
    const periodic = cell !== null && pbc.some(Boolean);
    const next = periodic ? Float64Array.from(cell) : null;
    const same = (next === null && this.cell === null) || (next !== null && this.cell !== null && next.every((v, k) => v === this.cell![k]));
    if (same && pbc.every((p, k) => p === this.pbc[k])) return;
    this.cell = next;
    this.pbc = periodic ? [...pbc] : [false, false, false];
    this.dirty = true;
  }

  /** Force a rebuild at the next update(). */
  invalidate(): void {
    this.dirty = true;
  }

  stats(): NeighborGpuStats {
    return { builds: this.builds, maxCount: this.maxCount, capacity: this.cap };
  }

  private allocBins(): void {
    this.binAtoms?.destroy();
    this.binAtoms = storageBuffer(this.device, 4 * this.maxBins * this.binCap, 'nb-bin-atoms');
    this.groups = undefined;
  }

  private allocList(): void {
    this.list?.destroy();
    this.partner?.destroy();
    this.list = storageBuffer(this.device, 8 * this.natoms * this.cap, 'nb-list');
    this.partner = storageBuffer(this.device, 4 * this.natoms * this.cap, 'nb-partner');
    this.groups = undefined;
    this.version++;
  }

  private writeParams(): void {
    const b = new ArrayBuffer(NB_PARAMS_BYTES);
    const f = new Float32Array(b);
    const u = new Uint32Array(b);
    const cell = this.cell ?? Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    const inv = inv3(cell);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) f[4 * r + c] = cell[3 * r + c];
    // Column k of inv(cell): f_k = Σ_c x_c inv[c][k].
    for (let k = 0; k < 3; k++) for (let c = 0; c < 3; c++) f[12 + 4 * k + c] = inv[3 * c + k];
    const h = this.cell ? planeSpacings(this.cell) : [1, 1, 1];
    f.set(h, 24);
    u[28] = this.natoms;
    u[29] = this.cap;
    u[30] = this.binCap;
    u[31] = this.pbc.reduce((m, p, a) => m | (p ? 1 << a : 0), 0);
    f[32] = this.cutoff + this.skin;
    f[33] = this.skin / 2;
    u[34] = this.perDim;
    this.device.queue.writeBuffer(this.params, 0, b);
  }

  private ensureGroups(): NonNullable<NeighborListGpu['groups']> {
    if (this.groups) return this.groups;
    const d = this.device, p = this.pipes;
    this.groups = {
      bbox: bindGroup(d, p.bbox, [[0, this.params], [1, this.pos], [2, this.bbox]]),
      grid: bindGroup(d, p.grid, [[0, this.params], [2, this.bbox], [3, this.grid]]),
      bin: bindGroup(d, p.bin, [[0, this.params], [1, this.pos], [3, this.grid], [4, this.binCount], [5, this.binAtoms], [6, this.flags]]),
      search: bindGroup(d, p.search, [[0, this.params], [1, this.pos], [2, this.grid], [3, this.binCount], [4, this.binAtoms], [5, this.list], [6, this.count], [7, this.flags]]),
      partner: bindGroup(d, p.partner, [[0, this.params], [5, this.list], [6, this.count], [7, this.flags], [8, this.partner]]),
      skin: bindGroup(d, p.skin, [[0, this.params], [1, this.pos], [2, this.ref], [3, this.flags]]),
    };
    return this.groups;
  }

  /**
   * Rebuild if needed: on the first call, after setCell/invalidate, or when an atom moved more
   * than skin/2 (GPU check, one u32 read back). Returns true when the list was rebuilt.
   * Work submitted earlier on the queue (e.g. position updates) is seen by the check.
   */
  async update(): Promise<boolean> {
    if (!this.dirty) {
      const g = this.ensureGroups();
      this.device.queue.writeBuffer(this.flags, 0, new Uint32Array([0]));
      const enc = this.device.createCommandEncoder();
      dispatch(enc, this.pipes.skin, g.skin, Math.ceil(this.natoms / 64));
      const moved = new Uint32Array(await this.readback.read(enc, this.flags, 4))[0];
      if (moved === 0) return false;
    }
    await this.rebuild();
    return true;
  }

  /** Build the list now (growing bins and capacity until nothing overflows). */
  async rebuild(): Promise<void> {
    for (let attempt = 0; attempt < 8; attempt++) {
      this.writeParams();
      const g = this.ensureGroups();
      const inf = new Uint32Array(6);
      inf.fill(0xffffffff, 0, 3); // min: largest ordered value
      inf.fill(0, 3, 6);
      this.device.queue.writeBuffer(this.bbox, 0, inf);
      this.device.queue.writeBuffer(this.flags, 0, new Uint32Array(4));
      const enc = this.device.createCommandEncoder();
      enc.clearBuffer(this.binCount);
      const wg = Math.ceil(this.natoms / 64);
      dispatch(enc, this.pipes.bbox, g.bbox, wg);
      dispatch(enc, this.pipes.grid, g.grid, 1);
      dispatch(enc, this.pipes.bin, g.bin, wg);
      dispatch(enc, this.pipes.search, g.search, wg);
      dispatch(enc, this.pipes.partner, g.partner, wg);
      enc.copyBufferToBuffer(this.pos, 0, this.ref, 0, 16 * this.natoms);
      const flags = new Uint32Array(await this.readback.read(enc, this.flags, 16));
      this.builds++;
      const [, maxBin, maxCount, errors] = flags;
      this.maxCount = maxCount;
      let grow = false;
      if (maxBin > this.binCap) {
        this.binCap = Math.ceil((maxBin * 1.25) / 8) * 8;
        this.allocBins();
        grow = true;
      }
      if (maxCount > this.cap) {
        this.cap = Math.ceil((maxCount * 1.2) / 16) * 16;
        this.allocList();
        grow = true;
      }
      if (grow) continue;
      if (errors & 1) throw new Error('GPU neighbour list: an image shift exceeds ±511 cells (positions far outside the cell?)');
      if (errors & 2) throw new Error('GPU neighbour list: a pair has no reverse entry (inconsistent list)');
      this.dirty = false;
      return;
    }
    throw new Error('GPU neighbour list: capacity did not converge after 8 rebuilds');
  }

  /** Read the list back (for tests and debugging): per atom the (j, shift) entries. */
  async readList(): Promise<{ count: Uint32Array; list: Uint32Array; partner: Uint32Array }> {
    const count = new Uint32Array(await this.readback.read(this.device.createCommandEncoder(), this.count, 4 * this.natoms));
    const list = new Uint32Array(await this.readback.read(this.device.createCommandEncoder(), this.list, 8 * this.natoms * this.cap));
    const partner = new Uint32Array(await this.readback.read(this.device.createCommandEncoder(), this.partner, 4 * this.natoms * this.cap));
    return { count, list, partner };
  }

  destroy(): void {
    for (const b of [this.list, this.count, this.partner, this.params, this.binCount, this.binAtoms, this.bbox, this.grid, this.flags, this.ref]) b.destroy();
    this.readback.destroy();
  }
}

/** Decode a packed image shift (10 bits per direction, bias 512). */
export function unpackShift(code: number): [number, number, number] {
  return [(code & 1023) - 512, ((code >>> 10) & 1023) - 512, ((code >>> 20) & 1023) - 512];
}
