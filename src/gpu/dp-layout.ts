/**
 * Architecture constants (WGSL prelude) and packed float32 parameters of DP-SE models for the
 * WGSL kernels (shaders/dp-*.wgsl). Models fused in one engine must share the architecture
 * (types, rcut, sel, widths, activations, skips); their weights differ.
 *
 * Packed layout of one model (floats, MODEL_STRIDE per model, models back to back):
 *   OFF_DAVG  davg [T, nnei, 4]                       (1/Å)
 *   OFF_DSTD  dstd [T, nnei, 4]
 *   OFF_PAD   padding suffix sums [T, nnei + T, M, 4]  (host float64: Σ over the slots j..end of
 *             block t of G(s_pad) ⊗ R_pad; entry j + t; one zero entry per block)
 *   OFF_EMB   embedding nets, EMB_STRIDE each: per layer w [nIn, nOut], b [nOut] (0 if none), idt [nOut] (1 if none)
 *   OFF_FIT   fitting nets, FIT_STRIDE each, same per-layer layout followed by the transposed
 *             weights wT [nOut, nIn] (the reverse pass of dp-fitting.wgsl reads them with the
 *             invocations along nIn, so that neighbouring invocations read neighbouring floats)
 */
import type { DpLayer, DpModel, DpNetwork } from '../core/potentials/dp/model.ts';
import { embeddingIndex, embeddingWidth } from '../core/potentials/dp/model.ts';
import { PreparedNetwork, layerSkip } from '../core/potentials/dp/network.ts';
import { resolveActivation, type ActivationKind } from '../core/potentials/dp/activation.ts';

/** Activation codes understood by shaders/dp-common.wgsl. */
export const ACTIVATION_CODES: Record<ActivationKind, number> = {
  linear: 0, tanh: 1, relu: 2, relu6: 3, softplus: 4, sigmoid: 5, silu: 6, gelu: 7, silut: 8,
};

interface NetLayout {
  nIn: number[]; nOut: number[]; skip: number[]; act: number[]; th: number[]; sl: number[]; co: number[];
  w: number[]; b: number[]; idt: number[]; y: number[]; ysum: number; stride: number;
  /** Offsets of the transposed weights [nOut, nIn] (fitting nets only; empty otherwise). */
  wt: number[];
  /** Signature used to check that all nets of a collection (and all models) agree. */
  signature: string;
}

function netLayout(net: DpNetwork, transposed = false): NetLayout {
  const L: NetLayout = { nIn: [], nOut: [], skip: [], act: [], th: [], sl: [], co: [], w: [], b: [], idt: [], y: [], ysum: 0, stride: 0, wt: [], signature: '' };
  let off = 0;
  for (const l of net.layers) {
    const a = resolveActivation(l.activation);
    L.nIn.push(l.nIn);
    L.nOut.push(l.nOut);
    L.skip.push(layerSkip(l) === 'none' ? 0 : 1);
    L.act.push(ACTIVATION_CODES[a.kind]);
    L.th.push(a.threshold);
    L.sl.push(a.slope);
    L.co.push(a.constant);
    L.w.push(off);
    off += l.nIn * l.nOut;
    L.b.push(off);
    off += l.nOut;
    L.idt.push(off);
    off += l.nOut;
    L.y.push(L.ysum);
    L.ysum += l.nOut;
  }
  if (transposed) {
    for (const l of net.layers) {
      L.wt.push(off);
      off += l.nIn * l.nOut;
    }
  }
  L.stride = off;
  L.signature = JSON.stringify([L.nIn, L.nOut, L.skip, L.act, L.th]);
  return L;
}

/** Write the transposed weights wT[o, k] = w[k, o] of a layer at `off`; returns the next offset. */
function packTransposed(l: DpLayer, out: Float32Array, off: number): number {
  for (let o = 0; o < l.nOut; o++) for (let k = 0; k < l.nIn; k++) out[off + o * l.nIn + k] = l.w[k * l.nOut + o];
  return off + l.nIn * l.nOut;
}

function packLayer(l: DpLayer, out: Float32Array, off: number): number {
  out.set(l.w, off);
  off += l.nIn * l.nOut;
  if (l.b) out.set(l.b, off);
  off += l.nOut;
  if (l.idt) out.set(l.idt, off);
  else out.fill(1, off, off + l.nOut);
  return off + l.nOut;
}

/** Architecture summary of a set of models sharing one layout. */
export interface DpLayout {
  ntypes: number;
  nnei: number;
  M: number;
  Ma: number;
  dim: number;
  rcut: number;
  emb: NetLayout;
  fit: NetLayout;
  nEmbNets: number;
  nFitNets: number;
  offDavg: number;
  offDstd: number;
  offPad: number;
  offEmb: number;
  offFit: number;
  modelStride: number;
  /** Architecture fingerprint: models with equal keys can be fused. */
  key: string;
}

/** Reasons a model cannot run on the GPU engine (empty when it can). */
export function gpuUnsupported(m: DpModel): string[] {
  const why: string[] = [];
  if (m.descriptor.excludeTypes.length) why.push('descriptor exclude_types');
  if (m.pairExcludeTypes.length) why.push('pair_exclude_types');
  if (m.atomExcludeTypes.length) why.push('atom_exclude_types');
  if (m.descriptor.embeddings.networks.some((n) => n === null)) why.push('missing embedding networks');
  const emb = m.descriptor.embeddings.networks.filter((n): n is DpNetwork => n !== null);
  if (emb.some((n) => n.layers[0]?.nIn !== 1)) why.push('embedding input width ≠ 1');
  const f = m.fitting.nets.networks;
  if (f.some((n) => n === null || n.outDim !== 1)) why.push('fitting nets must have one output');
  if (new Set(emb.map((n) => netLayout(n).signature)).size > 1) why.push('embedding nets with different architectures');
  if (new Set(f.map((n) => (n ? netLayout(n).signature : ''))).size > 1) why.push('fitting nets with different architectures');
  return why;
}

/** Layout of `models` (throws if they cannot share one engine or are unsupported). */
export function dpLayout(models: DpModel[]): DpLayout {
  if (models.length === 0) throw new Error('the GPU engine needs at least one model');
  const layouts = models.map((m, k) => {
    const why = gpuUnsupported(m);
    if (why.length) throw new Error(`model ${k} is not supported by the WebGPU engine: ${why.join(', ')} (use the CPU evaluator)`);
    const d = m.descriptor;
    const emb = netLayout(d.embeddings.networks[0]!);
    const fit = netLayout(m.fitting.nets.networks[0]!, true);
    const T = m.ntypes, nnei = d.nnei, M = embeddingWidth(d);
    const offDavg = 0;
    const offDstd = T * nnei * 4;
    const offPad = 2 * T * nnei * 4;
    const offEmb = offPad + T * (nnei + T) * M * 4;
    const nEmbNets = d.embeddings.networks.length;
    const offFit = offEmb + nEmbNets * emb.stride;
    const nFitNets = m.fitting.nets.networks.length;
    const modelStride = offFit + nFitNets * fit.stride;
    const key = JSON.stringify([m.typeMap, d.rcut, d.rcutSmth, d.envProtection, d.sel, d.axisNeuron, d.typeOneSide, m.fitting.mixedTypes, emb.signature, fit.signature, nEmbNets, nFitNets]);
    return { ntypes: T, nnei, M, Ma: d.axisNeuron, dim: M * d.axisNeuron, rcut: d.rcut, emb, fit, nEmbNets, nFitNets, offDavg, offDstd, offPad, offEmb, offFit, modelStride, key };
  });
  for (let k = 1; k < layouts.length; k++) {
    if (layouts[k].key !== layouts[0].key) throw new Error(`model ${k} has a different architecture than model 0: an engine fuses only models of one architecture`);
  }
  return layouts[0];
}

/** Packed float32 parameters of all models (MODEL_STRIDE floats each). */
export function packModels(models: DpModel[], L: DpLayout): Float32Array<ArrayBuffer> {
  const out = new Float32Array(L.modelStride * models.length);
  models.forEach((m, k) => {
    const base = k * L.modelStride;
    const d = m.descriptor;
    out.set(d.davg, base + L.offDavg);
    out.set(d.dstd, base + L.offDstd);
    out.set(paddingSuffix(m), base + L.offPad);
    d.embeddings.networks.forEach((n, idx) => {
      let off = base + L.offEmb + idx * L.emb.stride;
      for (const l of n!.layers) off = packLayer(l, out, off);
    });
    m.fitting.nets.networks.forEach((n, idx) => {
      let off = base + L.offFit + idx * L.fit.stride;
      for (const l of n!.layers) off = packLayer(l, out, off);
      for (const l of n!.layers) off = packTransposed(l, out, off);
    });
  });
  return out;
}

/**
 * Padding suffix sums in float64 (docs/dp-se.md §3.4: padding rows R_pad = −davg/dstd go through the net):
 * entry (ti, j + t) of block t = Σ_{slots j' ≥ j of block t} G_{net(ti,t)}(R_pad[0]) ⊗ R_pad.
 */
export function paddingSuffix(m: DpModel): Float64Array {
  const d = m.descriptor, T = m.ntypes, nnei = d.nnei, M = embeddingWidth(d);
  const nets = d.embeddings.networks.map((n) => (n ? new PreparedNetwork(n) : null));
  const out = new Float64Array(T * (nnei + T) * M * 4);
  const G = new Float64Array(M), dG = new Float64Array(M), R = new Float64Array(4);
  for (let ti = 0; ti < T; ti++) {
    for (let t = 0; t < T; t++) {
      const net = nets[embeddingIndex(d, T, ti, t)]!;
      for (let j = d.sec[t + 1] - 1; j >= d.sec[t]; j--) {
        const base = (ti * nnei + j) * 4;
        for (let k = 0; k < 4; k++) R[k] = -d.davg[base + k] / d.dstd[base + k];
        net.forwardScalarWithTangent(R[0], G, dG);
        const dst = (ti * (nnei + T) + j + t) * M * 4;
        const src = dst + M * 4;
        for (let a = 0; a < M; a++) for (let k = 0; k < 4; k++) out[dst + 4 * a + k] = out[src + 4 * a + k] + G[a] * R[k];
      }
    }
  }
  return out;
}

const u = (xs: number[]) => `array<u32, ${xs.length}>(${xs.map((x) => `${x}u`).join(', ')})`;
const f = (xs: number[]) => `array<f32, ${xs.length}>(${xs.map((x) => fl(x)).join(', ')})`;
function fl(x: number): string {
  const s = Math.fround(x).toPrecision(9);
  return /[.eE]/.test(s) ? s : `${s}.0`;
}

/** WGSL constants of a layout (prepended to the DP shaders). tile/tileB: neighbours per tile. */
export function dpPrelude(models: DpModel[], L: DpLayout, tile: number, tileB: number, wg = 64): string {
  const d = models[0].descriptor;
  const net = (p: string, n: NetLayout) => [
    `const ${p}_L: u32 = ${n.nIn.length}u;`,
    `const ${p}_NIN = ${u(n.nIn)};`, `const ${p}_NOUT = ${u(n.nOut)};`, `const ${p}_SKIP = ${u(n.skip)};`,
    `const ${p}_ACT = ${u(n.act)};`, `const ${p}_TH = ${f(n.th)};`, `const ${p}_SL = ${f(n.sl)};`, `const ${p}_CO = ${f(n.co)};`,
    `const ${p}_W = ${u(n.w)};`, `const ${p}_B = ${u(n.b)};`, `const ${p}_I = ${u(n.idt)};`, `const ${p}_Y = ${u(n.y)};`,
    `const ${p}_YSUM: u32 = ${n.ysum}u;`, `const ${p}_STRIDE: u32 = ${n.stride}u;`,
  ];
  return [
    '// ---- generated by src/gpu/dp-layout.ts ----',
    `const NTYPES: u32 = ${L.ntypes}u;`,
    `const NNEI: u32 = ${L.nnei}u;`,
    `const M: u32 = ${L.M}u;`,
    `const MA: u32 = ${L.Ma}u;`,
    `const DIM: u32 = ${L.dim}u;`,
    `const SEL = ${u(d.sel)};`,
    `const SEC = ${u(d.sec)};`,
    `const RC: f32 = ${fl(d.rcut)};`,
    `const RS: f32 = ${fl(d.rcutSmth)};`,
    `const PROT: f32 = ${fl(d.envProtection)};`,
    `const EMB_TWO_SIDE: bool = ${d.embeddings.ndim === 2};`,
    `const FIT_MIXED: bool = ${models[0].fitting.mixedTypes};`,
    ...net('EMB', L.emb),
    `const EMB_GOFF: u32 = ${L.emb.y[L.emb.y.length - 1]}u;`,
    ...net('FIT', L.fit),
    ...fittingBlocks(L.fit, wg),
    `const OFF_DAVG: u32 = ${L.offDavg}u;`,
    `const OFF_DSTD: u32 = ${L.offDstd}u;`,
    `const OFF_PAD: u32 = ${L.offPad}u;`,
    `const OFF_EMB: u32 = ${L.offEmb}u;`,
    `const OFF_FIT: u32 = ${L.offFit}u;`,
    `const MODEL_STRIDE: u32 = ${L.modelStride}u;`,
    `const TILE: u32 = ${tile}u;`,
    `const TILE_B: u32 = ${tileB}u;`,
    `const WG: u32 = ${wg}u;`,
    '',
  ].join('\n');
}

/** Widest layer output of a net (the length of dp-fitting.wgsl's layer buffers). */
function maxWidth(n: NetLayout): number {
  return Math.max(...n.nOut);
}

/**
 * Constants of dp-fitting.wgsl's register blocks: an invocation holds 4 columns of a layer,
 * a block covers 4·wg columns; FIT_SLOT[l] is the first block of layer l in the invocation's
 * saved activation derivatives (FIT_NSLOT blocks in all).
 */
function fittingBlocks(n: NetLayout, wg: number): string[] {
  const slot: number[] = [];
  let total = 0;
  for (const w of n.nOut) {
    slot.push(total);
    total += Math.ceil(w / (4 * wg));
  }
  return [`const FIT_WT = ${u(n.wt)};`, `const FIT_MAXW: u32 = ${maxWidth(n)}u;`, `const FIT_SLOT = ${u(slot)};`, `const FIT_NSLOT: u32 = ${total}u;`];
}

/** Workgroup memory (bytes) of the descriptor, fitting and backward kernels. */
export function workgroupBytes(L: DpLayout, tile: number, tileB: number): { descriptor: number; fitting: number; backward: number } {
  return {
    descriptor: 4 * (tile * (4 + 1 + L.emb.ysum) + 4 * L.M + 1 + 1), // + tZ of length 1 (dp-embedding.wgsl, KEEP_Z false)
    fitting: 16 * 3 * maxWidth(L.fit), // three vec4 layer buffers (dp-fitting.wgsl)
    backward: 4 * (4 * L.M + tileB * (4 + 4 + 1 + 1 + 2 * L.emb.ysum) + 1),
  };
}
