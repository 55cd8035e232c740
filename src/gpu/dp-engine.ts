/**
 * The WGSL DP-SE engine: energy, forces and (per-atom) virials of one DP model or a fused
 * ensemble of up to a few models with one architecture (the model index is a dispatch
 * dimension), for open clusters and periodic cells.
 *
 * Per evaluation (shaders/…):
 *   neighbor-*.wgsl     Verlet list (rebuilt only when an atom moved > skin/2)
 *   dp-env-mat.wgsl     displacements and DeePMD-kit v3 slot selection (shared by all models)
 *   dp-descriptor.wgsl  embedding + contraction per (atom, model), tiles in workgroup memory
 *   dp-fitting.wgsl     fitting net forward + reverse → atomic energy (net part) and ∂E/∂gr, four
 *                       atoms of one fitting net per workgroup (groups built on the host, fitGroups)
 *   dp-backward.wgsl    embedding recomputed + reverse → pair gradients g_ij
 *   dp-force-gather.wgsl forces and per-atom virials by a gather over the list (no float atomics)
 * Float32 on the device; per-type energy biases are added and energies summed in float64 on
 * the host. All buffers are created once per system size and reused; the per-(model, atom)
 * descriptor buffers are processed in chunks of atoms so that no binding exceeds the device's
 * maxStorageBufferBindingSize.
 *
 * Units: positions Å, energies eV, forces eV/Å, virials eV (W = −Σ r_ij ⊗ F_ij, as the CPU evaluator).
 */
/// <reference types="@webgpu/types" />
import type { Frame } from '../core/atoms.ts';
import type { DpModel } from '../core/potentials/dp/model.ts';
import { mapSpeciesToTypes } from '../core/potentials/dp/model.ts';
import { computePipeline } from './pipeline.ts';
import { cachedPipeline } from './gpu-util.ts';

/** Padding index of a fitting group (INACTIVE of shaders/dp-common.wgsl). */
const INACTIVE = 0xffffffff;

const pipe = (device: GPUDevice, name: string, entry: string, prelude: string) => cachedPipeline(device, computePipeline, name, entry, prelude);
import { shaderCode } from './shader-registry.ts';
import { bindGroup, dispatch, storageBuffer, uniformBuffer } from './gpu-util.ts';
import { NeighborListGpu } from './neighbor-gpu.ts';
import { dpLayout, dpPrelude, packModels, workgroupBytes, type DpLayout } from './dp-layout.ts';
import { buildEmbeddingTables, tablePrelude, type EmbeddingTables, type TabulateOptions } from './dp-tabulate.ts';

export interface DpGpuEngineOptions {
  /** Verlet skin, Å (default 0.5). */
  skin?: number;
  /** Initial neighbour capacity per atom (default nnei + 32; grown on overflow). */
  capacity?: number;
  /** Upper bound on atoms per descriptor chunk (default: as many as the binding limit allows). */
  maxChunkAtoms?: number;
  /** Use tabulated embedding nets (quintic polynomials, as `dp compress`); see dp-tabulate.ts. */
  tabulate?: boolean | TabulateOptions;
}

/** Result of one model for one frame. */
export interface DpGpuModelResult {
  /** Total energy, eV (float64 sum). */
  energy: number;
  /** Atomic energies, eV (length N). */
  atomicEnergies: Float64Array;
  /** Forces, eV/Å (length 3N). */
  forces: Float64Array;
  /** Virial, eV (row-major 3×3), when virials were requested. */
  virial?: Float64Array;
  /** Per-atom virials, eV (length 9N), when virials were requested. */
  atomicVirials?: Float64Array;
}

export interface DpGpuResult {
  models: DpGpuModelResult[];
  /** Atoms whose neighbour list was truncated to sel (v3 semantics applied). */
  truncatedAtoms: number;
  /** True when the neighbour list was rebuilt for this evaluation. */
  rebuilt: boolean;
}

interface SizedBuffers {
  natoms: number;
  pos: GPUBuffer;
  types: GPUBuffer;
  nl: NeighborListGpu;
  nact: GPUBuffer;
  fill: GPUBuffer;
  flags: GPUBuffer;
  atomE: GPUBuffer;
  force: GPUBuffer;
  atomVir: GPUBuffer;
  chunk: number;
  gr: GPUBuffer;
  D: GPUBuffer;
  dgr: GPUBuffer;
  /** Fitting workgroups: 4 chunk-local atom indices (INACTIVE pads), grouped by fitting net. */
  fitGroups: GPUBuffer;
  /** First fitting group and number of groups of each chunk. */
  fitStart: number[];
  fitCount: number[];
  params: GPUBuffer[];
  staging: GPUBuffer;
  // Sized by the list capacity (reallocated when the list grows).
  cap: number;
  listVersion: number;
  envD?: GPUBuffer;
  envSlot?: GPUBuffer;
  act?: GPUBuffer;
  pairG?: GPUBuffer;
  groups?: { env: GPUBindGroup; desc: GPUBindGroup[]; fit: GPUBindGroup[]; back: GPUBindGroup[]; gather: GPUBindGroup };
}

type Pipes = Record<'env' | 'desc' | 'fit' | 'back' | 'gather', GPUComputePipeline>;

/** Buffer sizes (bytes) and the atom chunk of an engine for a system size (see DpGpuEngine.plan). */
export interface DpGpuPlan {
  /** Atoms per descriptor chunk (gr/D/dgr buffers hold nmodels × chunk atoms). */
  chunk: number;
  nchunks: number;
  /** Largest binding of each buffer, bytes. */
  bytes: { weights: number; descriptorD: number; gr: number; pairG: number; envD: number; neighborList: number };
  /** Largest single binding, bytes (must be ≤ maxStorageBufferBindingSize). */
  maxBinding: number;
}

export class DpGpuEngine {
  /**
   * Sizes of the engine's buffers for `natoms` atoms, `nmodels` models of layout L and
   * `cap` neighbour entries per atom, under a binding limit (bytes): the descriptor
   * buffers are split into chunks of atoms so that none exceeds the limit.
   */
  static plan(L: DpLayout, nmodels: number, natoms: number, cap: number, maxBinding: number, maxChunkAtoms = Infinity): DpGpuPlan {
    const perAtom = nmodels * Math.max(L.dim, 4 * L.M) * 4;
    const chunk = Math.max(1, Math.min(natoms, 65535, Math.floor(maxBinding / perAtom), maxChunkAtoms));
    const bytes = {
      weights: 4 * L.modelStride * nmodels,
      descriptorD: 4 * L.dim * nmodels * chunk,
      gr: 16 * L.M * nmodels * chunk,
      pairG: 16 * nmodels * natoms * cap,
      envD: 16 * natoms * cap,
      neighborList: 8 * natoms * cap,
    };
    return { chunk, nchunks: Math.ceil(natoms / chunk), bytes, maxBinding: Math.max(...Object.values(bytes)) };
  }

  readonly nmodels: number;
  readonly layout: DpLayout;
  /** Neighbours per tile in the forward / backward kernels. */
  readonly tile: number;
  readonly tileB: number;
  private readonly weights: GPUBuffer;
  /** The embedding tables when tabulated (fit error in maxFitError), else undefined. */
  readonly tables?: EmbeddingTables;
  private readonly tableBuf?: GPUBuffer;
  private sized?: SizedBuffers;
  private typesKey = '';
  private hostTypes: Int32Array = new Int32Array(0);
  private readonly biasPerType: Float64Array[];

  private constructor(
    readonly device: GPUDevice,
    readonly models: DpModel[],
    layout: DpLayout,
    tiles: [number, number],
    private readonly pipes: Pipes,
    private readonly opts: DpGpuEngineOptions,
    tables?: EmbeddingTables,
  ) {
    this.nmodels = models.length;
    this.layout = layout;
    [this.tile, this.tileB] = tiles;
    const packed = packModels(models, layout);
    this.weights = storageBuffer(device, packed.byteLength, 'dp-weights');
    device.queue.writeBuffer(this.weights, 0, packed);
    if (tables) {
      this.tables = tables;
      this.tableBuf = storageBuffer(device, tables.data.byteLength, 'dp-tables');
      device.queue.writeBuffer(this.tableBuf, 0, tables.data);
    }
    this.biasPerType = models.map((m) => Float64Array.from({ length: m.ntypes }, (_, t) => m.fitting.biasAtomE[t] + m.outBias[t]));
  }

  /** Compile the kernels for the models' architecture and upload their parameters once. */
  static async create(device: GPUDevice, models: DpModel[], opts: DpGpuEngineOptions = {}): Promise<DpGpuEngine> {
    const L = dpLayout(models);
    const limit = device.limits.maxComputeWorkgroupStorageSize;
    let tile = 32, tileB = 32;
    while (tile > 1 && workgroupBytes(L, tile, tileB).descriptor > limit) tile >>= 1;
    while (tileB > 1 && workgroupBytes(L, tile, tileB).backward > limit) tileB >>= 1;
    const wb = workgroupBytes(L, tile, tileB);
    if (wb.descriptor > limit || wb.backward > limit || wb.fitting > limit) {
      throw new Error(`DP model too wide for this device's workgroup memory (${limit} B): needs ${JSON.stringify(wb)}`);
    }
    const tables = opts.tabulate ? buildEmbeddingTables(models, L, opts.tabulate === true ? {} : opts.tabulate) : undefined;
    const prelude = dpPrelude(models, L, tile, tileB) + shaderCode('neighbor-common') + shaderCode('dp-common');
    const tabPrelude = tables ? prelude + tablePrelude(tables) + shaderCode('dp-tabulate') : prelude;
    const [env, desc, fit, back, gather] = await Promise.all([
      pipe(device, 'dp-env-mat', 'main', prelude),
      pipe(device, tables ? 'dp-descriptor-tab' : 'dp-descriptor', 'main', tabPrelude),
      pipe(device, 'dp-fitting', 'main', prelude),
      pipe(device, tables ? 'dp-backward-tab' : 'dp-backward', 'main', tabPrelude),
      pipe(device, 'dp-force-gather', 'main', prelude),
    ]);
    return new DpGpuEngine(device, models, L, [tile, tileB], { env, desc, fit, back, gather }, opts, tables);
  }

  /** Positions buffer (vec4f per atom, Å) of the current system; valid after setSystem(). */
  get positions(): GPUBuffer {
    return this.need().pos;
  }
  /** Forces buffer, vec4f [model][atom] (eV/Å), filled by encodeCompute(). */
  get forces(): GPUBuffer {
    return this.need().force;
  }
  /** Atomic energies without the per-type bias, f32 [model][atom] (eV). */
  get atomEnergies(): GPUBuffer {
    return this.need().atomE;
  }
  /** Per-atom virials, 3 vec4f rows per [model][atom] (eV). */
  get atomVirials(): GPUBuffer {
    return this.need().atomVir;
  }
  /** Number of atoms of the current system (0 before setSystem). */
  get natoms(): number {
    return this.sized?.natoms ?? 0;
  }
  /** Neighbour list of the current system. */
  get neighborList(): NeighborListGpu {
    return this.need().nl;
  }
  /** Model type of each atom of the current system. */
  get types(): Int32Array {
    return this.hostTypes;
  }
  /** Per-model constant Σ_i (bias_atom_e + out_bias)[t_i] of the current system, eV. */
  energyOffsets(): number[] {
    return this.biasPerType.map((b) => this.hostTypes.reduce((s, t) => s + b[t], 0));
  }

  private need(): SizedBuffers {
    if (!this.sized) throw new Error('DpGpuEngine: call setSystem(frame) first');
    return this.sized;
  }

  /**
   * Set the system: species (mapped to model types), cell and pbc, positions (Å).
   * Reallocates buffers only when the number of atoms changes.
   */
  async setSystem(frame: Frame): Promise<void> {
    const n = frame.symbols.length;
    if (n === 0) throw new Error('DpGpuEngine: empty frame');
    if (!this.sized || this.sized.natoms !== n) await this.allocate(n);
    const s = this.sized!;
    const key = frame.symbols.join(',');
    if (key !== this.typesKey) {
      this.hostTypes = mapSpeciesToTypes(this.models[0], frame.symbols);
      this.device.queue.writeBuffer(s.types, 0, new Uint32Array(this.hostTypes));
      this.writeFitGroups();
      this.typesKey = key;
    }
    s.nl.setCell(frame.cell, frame.pbc);
    this.writePositions(frame.positions);
  }

  /** Upload positions (Å, length 3N) of the current system. */
  writePositions(positions: ArrayLike<number>): void {
    const s = this.need();
    const p4 = new Float32Array(4 * s.natoms);
    for (let i = 0; i < s.natoms; i++) {
      p4[4 * i] = positions[3 * i];
      p4[4 * i + 1] = positions[3 * i + 1];
      p4[4 * i + 2] = positions[3 * i + 2];
    }
    this.device.queue.writeBuffer(s.pos, 0, p4);
  }

  /**
   * Group each chunk's atoms by fitting net (the atom's type, or one net for mixed types) in
   * fours for dp-fitting.wgsl, upload the groups and each chunk's first group (DpParams.fitGroup0).
   */
  private writeFitGroups(): void {
    const s = this.need();
    const mixed = this.models[0].fitting.mixedTypes;
    const groups: number[] = [];
    s.fitStart = [];
    s.fitCount = [];
    for (let c = 0; c < s.params.length; c++) {
      const first = c * s.chunk, atoms = Math.min(s.chunk, s.natoms - first);
      const byNet = new Map<number, number[]>();
      for (let a = 0; a < atoms; a++) {
        const net = mixed ? 0 : this.hostTypes[first + a];
        let list = byNet.get(net);
        if (!list) byNet.set(net, (list = []));
        list.push(a);
      }
      s.fitStart.push(groups.length / 4);
      for (const list of byNet.values()) {
        for (let g = 0; g < list.length; g += 4) for (let k = 0; k < 4; k++) groups.push(list[g + k] ?? INACTIVE);
      }
      s.fitCount.push(groups.length / 4 - s.fitStart[c]);
      this.device.queue.writeBuffer(s.params[c], 20, new Uint32Array([s.fitStart[c]]));
    }
    this.device.queue.writeBuffer(s.fitGroups, 0, new Uint32Array(groups));
  }

  private async allocate(n: number): Promise<void> {
    this.destroySized();
    const d = this.device, L = this.layout, nm = this.nmodels;
    const pos = storageBuffer(d, 16 * n, 'dp-pos');
    const nl = await NeighborListGpu.create(d, pos, n, { cutoff: L.rcut, skin: this.opts.skin ?? 0.5, capacity: this.opts.capacity ?? L.nnei + 32 });
    const { chunk, nchunks } = DpGpuEngine.plan(L, nm, n, nl.cap, d.limits.maxStorageBufferBindingSize, this.opts.maxChunkAtoms);
    const params: GPUBuffer[] = [];
    for (let c = 0; c < nchunks; c++) {
      const p = uniformBuffer(d, 32, `dp-params-${c}`);
      params.push(p);
    }
    this.sized = {
      natoms: n, pos, nl,
      types: storageBuffer(d, 4 * n, 'dp-types'),
      nact: storageBuffer(d, 4 * n, 'dp-nact'),
      fill: storageBuffer(d, 4 * n * L.ntypes, 'dp-fill'),
      flags: storageBuffer(d, 16, 'dp-flags'),
      atomE: storageBuffer(d, 4 * nm * n, 'dp-atom-e'),
      force: storageBuffer(d, 16 * nm * n, 'dp-force'),
      atomVir: storageBuffer(d, 48 * nm * n, 'dp-atom-vir'),
      chunk,
      gr: storageBuffer(d, 16 * L.M * nm * chunk, 'dp-gr'),
      D: storageBuffer(d, 4 * L.dim * nm * chunk, 'dp-D'),
      dgr: storageBuffer(d, 16 * L.M * nm * chunk, 'dp-dgr'),
      // At most ⌈n/4⌉ groups plus one partial group per (chunk, net).
      fitGroups: storageBuffer(d, 16 * (Math.ceil(n / 4) + nchunks * L.nFitNets), 'dp-fit-groups'),
      fitStart: [],
      fitCount: [],
      params,
      staging: d.createBuffer({ size: 16 + 4 * nm * n + 16 * nm * n + 48 * nm * n, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: 'dp-staging' }),
      cap: 0,
      listVersion: -1,
    };
    this.typesKey = '';
  }

  /** (Re)allocate the capacity-sized buffers and bind groups after the list was (re)built. */
  private refreshListBuffers(): void {
    const s = this.need();
    const nl = s.nl;
    if (s.listVersion === nl.version && s.groups) return;
    const d = this.device, n = s.natoms, nm = this.nmodels, cap = nl.cap;
    const pairBytes = 16 * nm * n * cap;
    if (pairBytes > d.limits.maxStorageBufferBindingSize) {
      throw new Error(`pair-gradient buffer (${(pairBytes / 2 ** 20).toFixed(0)} MiB) exceeds maxStorageBufferBindingSize; use fewer models per engine`);
    }
    for (const b of [s.envD, s.envSlot, s.act, s.pairG]) b?.destroy();
    s.envD = storageBuffer(d, 16 * n * cap, 'dp-envD');
    s.envSlot = storageBuffer(d, 4 * n * cap, 'dp-env-slot');
    s.act = storageBuffer(d, 4 * n * cap, 'dp-act');
    s.pairG = storageBuffer(d, pairBytes, 'dp-pairG');
    s.cap = cap;
    s.listVersion = nl.version;
    const P = this.pipes;
    s.params.forEach((p, c) => {
      const u = new Uint32Array(8);
      u[0] = n;
      u[1] = cap;
      u[2] = c * s.chunk;
      u[3] = Math.min(s.chunk, n - c * s.chunk);
      u[4] = nm;
      u[5] = s.fitStart[c];
      d.queue.writeBuffer(p, 0, u);
    });
    const p0 = s.params[0];
    const tab: [number, GPUBuffer][] = this.tableBuf ? [[11, this.tableBuf]] : [];
    s.groups = {
      env: bindGroup(d, P.env, [[0, p0], [1, nl.params], [2, s.pos], [3, s.types], [4, nl.list], [5, nl.count], [6, s.envD], [7, s.envSlot], [8, s.act], [9, s.nact], [10, s.fill], [11, s.flags]]),
      desc: s.params.map((p) => bindGroup(d, P.desc, [[0, p], [1, this.weights], [2, s.types], [3, nl.list], [4, s.envD!], [5, s.envSlot!], [6, s.act!], [7, s.nact], [8, s.fill], [9, s.gr], [10, s.D], ...tab])),
      fit: s.params.map((p) => bindGroup(d, P.fit, [[0, p], [1, this.weights], [2, s.types], [3, s.gr], [4, s.D], [5, s.atomE], [6, s.dgr], [7, s.fitGroups]])),
      back: s.params.map((p) => bindGroup(d, P.back, [[0, p], [1, this.weights], [2, s.types], [3, nl.list], [4, s.envD!], [5, s.envSlot!], [6, s.act!], [7, s.nact], [8, s.dgr], [9, s.pairG!], ...tab])),
      gather: bindGroup(d, P.gather, [[0, p0], [1, nl.count], [2, nl.partner], [3, s.envD!], [4, s.envSlot!], [5, s.pairG!], [6, s.force], [7, s.atomVir]]),
    };
  }

  /**
   * Bring the neighbour list up to date for the positions on the GPU (displacement check,
   * one u32 read back; rebuild when needed). Returns true when it was rebuilt.
   */
  async updateNeighbors(): Promise<boolean> {
    const s = this.need();
    const rebuilt = await s.nl.update();
    this.refreshListBuffers();
    return rebuilt;
  }

  /**
   * Encode the evaluation of every model for the positions on the GPU (after updateNeighbors()):
   * fills the forces, atomic-energy and atomic-virial buffers.
   */
  encodeCompute(enc: GPUCommandEncoder): void {
    const s = this.need();
    const g = s.groups!;
    const n = s.natoms, nm = this.nmodels;
    enc.clearBuffer(s.flags);
    dispatch(enc, this.pipes.env, g.env, Math.ceil(n / 64));
    s.params.forEach((_, c) => {
      const atoms = Math.min(s.chunk, n - c * s.chunk);
      dispatch(enc, this.pipes.desc, g.desc[c], atoms, nm);
      dispatch(enc, this.pipes.fit, g.fit[c], s.fitCount[c], nm);
      dispatch(enc, this.pipes.back, g.back[c], atoms, nm);
    });
    dispatch(enc, this.pipes.gather, g.gather, Math.ceil(n / 64), nm);
  }

  /**
   * Evaluate all models on a frame: energies (eV), forces (eV/Å) and, with `virials`, the
   * virial and per-atom virials (eV).
   */
  async evaluate(frame: Frame, opts: { virials?: boolean } = {}): Promise<DpGpuResult> {
    await this.setSystem(frame);
    const rebuilt = await this.updateNeighbors();
    const s = this.need();
    const n = s.natoms, nm = this.nmodels;
    const enc = this.device.createCommandEncoder();
    this.encodeCompute(enc);
    const eBytes = 4 * nm * n, fBytes = 16 * nm * n, vBytes = opts.virials ? 48 * nm * n : 0;
    enc.copyBufferToBuffer(s.flags, 0, s.staging, 0, 16);
    enc.copyBufferToBuffer(s.atomE, 0, s.staging, 16, eBytes);
    enc.copyBufferToBuffer(s.force, 0, s.staging, 16 + eBytes, fBytes);
    if (vBytes) enc.copyBufferToBuffer(s.atomVir, 0, s.staging, 16 + eBytes + fBytes, vBytes);
    this.device.queue.submit([enc.finish()]);
    const total = 16 + eBytes + fBytes + vBytes;
    await s.staging.mapAsync(GPUMapMode.READ, 0, total);
    const raw = s.staging.getMappedRange(0, total).slice(0);
    s.staging.unmap();
    const flags = new Uint32Array(raw, 0, 4);
    const e32 = new Float32Array(raw, 16, nm * n);
    const f32 = new Float32Array(raw, 16 + eBytes, 4 * nm * n);
    const v32 = vBytes ? new Float32Array(raw, 16 + eBytes + fBytes, 12 * nm * n) : null;
    const types = this.hostTypes;
    const models: DpGpuModelResult[] = [];
    for (let m = 0; m < nm; m++) {
      const bias = this.biasPerType[m];
      const atomicEnergies = new Float64Array(n);
      const forces = new Float64Array(3 * n);
      let energy = 0;
      for (let i = 0; i < n; i++) {
        atomicEnergies[i] = e32[m * n + i] + bias[types[i]];
        energy += atomicEnergies[i];
        for (let k = 0; k < 3; k++) forces[3 * i + k] = f32[4 * (m * n + i) + k];
      }
      const r: DpGpuModelResult = { energy, atomicEnergies, forces };
      if (v32) {
        const atomicVirials = new Float64Array(9 * n);
        const virial = new Float64Array(9);
        for (let i = 0; i < n; i++) {
          for (let k = 0; k < 3; k++) {
            for (let c = 0; c < 3; c++) {
              const v = v32[12 * (m * n + i) + 4 * k + c];
              atomicVirials[9 * i + 3 * k + c] = v;
              virial[3 * k + c] += v;
            }
          }
        }
        r.virial = virial;
        r.atomicVirials = atomicVirials;
      }
      models.push(r);
    }
    return { models, truncatedAtoms: flags[0], rebuilt };
  }

  /**
   * Per-kernel wall time (ms) of one evaluation for the positions on the GPU (after evaluate() or
   * updateNeighbors()): each dispatch is submitted alone and timed to onSubmittedWorkDone (the
   * per-dispatch fallback for adapters without 'timestamp-query', e.g. SwiftShader; it includes
   * the submit round trip). For profiling (bench/gpu.ts --profile); results land in the usual buffers.
   */
  async profileKernels(): Promise<{ kernel: string; ms: number }[]> {
    const s = this.need();
    const g = s.groups!;
    const n = s.natoms, nm = this.nmodels;
    const out = new Map<string, number>();
    const time = async (name: string, f: (enc: GPUCommandEncoder) => void) => {
      const enc = this.device.createCommandEncoder();
      f(enc);
      const t = performance.now();
      this.device.queue.submit([enc.finish()]);
      await this.device.queue.onSubmittedWorkDone();
      out.set(name, (out.get(name) ?? 0) + performance.now() - t);
    };
    await time('env (environment rows)', (enc) => { enc.clearBuffer(s.flags); dispatch(enc, this.pipes.env, g.env, Math.ceil(n / 64)); });
    for (let c = 0; c < s.params.length; c++) {
      const atoms = Math.min(s.chunk, n - c * s.chunk);
      await time('descriptor (embedding fwd + gr + D)', (enc) => dispatch(enc, this.pipes.desc, g.desc[c], atoms, nm));
      await time('fitting (fwd + reverse)', (enc) => dispatch(enc, this.pipes.fit, g.fit[c], s.fitCount[c], nm));
      await time('backward (embedding recompute + reverse)', (enc) => dispatch(enc, this.pipes.back, g.back[c], atoms, nm));
    }
    await time('force gather', (enc) => dispatch(enc, this.pipes.gather, g.gather, Math.ceil(n / 64), nm));
    return [...out].map(([kernel, ms]) => ({ kernel, ms }));
  }

  private destroySized(): void {
    const s = this.sized;
    if (!s) return;
    s.nl.destroy();
    for (const b of [s.pos, s.types, s.nact, s.fill, s.flags, s.atomE, s.force, s.atomVir, s.gr, s.D, s.dgr, s.fitGroups, s.staging, s.envD, s.envSlot, s.act, s.pairG, ...s.params]) b?.destroy();
    this.sized = undefined;
  }

  /** Release all GPU buffers. */
  destroy(): void {
    this.destroySized();
    this.weights.destroy();
    this.tableBuf?.destroy();
  }
}
