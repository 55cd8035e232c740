/**
 * Loss and exact parameter gradient of a DP-SE (se_e2_a + ener) model on one frame, float64.
 *
 * Per frame (DeePMD's `ener` loss, deepmd/pt/loss/ener.py):
 *   L = p_e·(E − E_ref)²/N + p_f·(1/3N)·Σ_ic (F_ic − F_ref,ic)²          (eV²/atom and eV²/Å²)
 * with E = Σ_i E_i(R; θ) and F = −∂E/∂R.
 *
 * Gradient (exact, "reverse over forward"):
 *   ∂L/∂θ = a·∂E/∂θ + b·∂Φ/∂θ,   a = 2 p_e ΔE/N,  b = −2 p_f/(3N),
 *   Φ(θ) = Σ_i v_i·∂E/∂R_i = d/dε E(R + ε v; θ)|₀   with v = F − F_ref held fixed,
 * because ∂L_F/∂θ = −(2p_f/3N) Σ_i v_i·∂²E/∂R_i∂θ. Φ is a directional derivative, computed by
 * forward-mode tangents (every forward quantity x carries ẋ = dx/dε along v); one reverse sweep
 * over the primal AND tangent computations with seeds Ē_i = a, Φ̄ = Ė̄_i = b then gives the whole
 * gradient at once. No finite differences: the result is exact to round-off.
 *
 * Pass structure of lossAndGradient():
 *   A. forward (env matrix, embedding nets with their s-tangents dG/ds, gr, D, fitting net) → E,
 *      and the analytic force pass (reverse to positions, spec §4.2) → F, v = F − F_ref;
 *   B. per atom: tangents ṡ, Ṙ of the env rows along v, ġr, Ḋ, the fitting net with tangents
 *      (→ Ė_i, Σ Ė_i = Φ = −v·F), then the reverse sweep: fitting parameters, D̄ and Ḋ̄, ḡr and
 *      ġr̄, and per neighbour the embedding net reversed with output seeds (Ḡ, Ġ̄) — the embedding
 *      tangent is ṡ times its unit s-tangent cached in pass A. Padding slots (fixed R_pad, no
 *      tangent) are accumulated per (centre type, neighbour type) and reversed once per frame.
 * Parameters: every layer's w, b, idt (trainable); davg/dstd, bias_atom_e and out_bias are fixed
 * (as in DeePMD, where they are statistics/buffers).
 *
 * Requirements: tanh hidden layers (last fitting layer linear), davg/dstd constant over slots
 * (true for every model whose statistics DeePMD or this trainer computed), no type exclusions.
 */
import type { DpModel, DpNetwork } from '../potentials/dp/model.ts';
import { embeddingIndex, embeddingWidth, mapSpeciesToTypes } from '../potentials/dp/model.ts';
import { layerSkip } from '../potentials/dp/network.ts';
import { envRow, envRowBackward } from '../potentials/dp/env-mat.ts';
import { buildSeASlots, type SeASlots } from '../potentials/dp/nlist-slots.ts';
import { cloneDpModel } from './init.ts';
import type { LabeledFrame } from './types.ts';

interface LayerRef {
  nIn: number;
  nOut: number;
  /** Offsets into θ (−1 = absent). */
  w: number;
  b: number;
  idt: number;
  /** 0 none, 1 same width, 2 doubled width. */
  skip: 0 | 1 | 2;
  tanh: boolean;
}

interface NetRef {
  layers: LayerRef[];
}

/** A frame with its neighbour slots, ready for the engine. */
export interface PreparedFrame {
  natoms: number;
  types: Int32Array;
  slots: SeASlots;
  /** Reference energy, eV. */
  energy: number;
  /** Reference forces, eV/Å (3N). */
  forces: Float64Array;
  /** Reference virial, eV (row-major 3×3), or null when the frame has none (DeePMD's find_virial = 0). */
  virial: Float64Array | null;
  /** Padding slots per atom and neighbour type: npad[i*T + t]. */
  npad: Int32Array;
  /** Largest number of real neighbours of one atom. */
  maxEntries: number;
}

/** Loss terms of one frame (unscaled by the batch). */
export interface FrameLoss {
  /** p_e ΔE²/N + p_f mean(ΔF²) + p_v mean(ΔW²)/N. */
  loss: number;
  /** E − E_ref, eV. */
  dE: number;
  /** Σ (F − F_ref)², eV²/Å² over 3N components. */
  sumSqF: number;
  /** Σ (W − W_ref)² over the 9 components, eV², or null when the frame has no virial label (or p_v = 0). */
  sumSqV: number | null;
  natoms: number;
  /** χ = Σ_i Ė_i from the tangent pass (the directional derivative the force/virial terms need). */
  tangent: number;
  /** The same χ from the force and virial pass: −(b·v)·F − U:W (a consistency check). */
  tangentFromForces: number;
}

function packNet(net: DpNetwork, next: { off: number }, out: LayerRef[]): void {
  for (const l of net.layers) {
    const act = l.activation.toLowerCase();
    const tanh = act === 'tanh';
    if (!tanh && act !== 'none' && act !== 'linear') throw new Error(`trainer: activation '${l.activation}' is not supported (tanh hidden layers only)`);
    const sk = layerSkip(l);
    const ref: LayerRef = {
      nIn: l.nIn, nOut: l.nOut, w: next.off, b: -1, idt: -1,
      skip: sk === 'none' ? 0 : sk === 'same' ? 1 : 2, tanh,
    };
    next.off += l.nIn * l.nOut;
    if (l.b) {
      ref.b = next.off;
      next.off += l.nOut;
    }
    if (l.idt) {
      ref.idt = next.off;
      next.off += l.nOut;
    }
    out.push(ref);
  }
}

export class DpTrainEngine {
  /** Flat trainable parameters (all w, b, idt; embeddings first, then fitting nets). */
  readonly theta: Float64Array;
  /** Gradient accumulator, same layout as theta. */
  readonly grad: Float64Array;
  /** θ with every weight matrix transposed to [nOut, nIn] (contiguous dot products in forward passes); refreshed by forward(). */
  private readonly thetaT: Float64Array;
  readonly model: DpModel;
  readonly T: number;
  readonly M: number;
  readonly Ma: number;
  readonly nnei: number;
  private readonly emb: (NetRef | null)[];
  private readonly fit: NetRef[];
  private readonly embWidths: number[];
  private readonly fitWidths: number[];
  /** Per centre type: davg (4) and dstd (4); padding row R_pad (4). */
  private readonly davg: Float64Array;
  private readonly dstd: Float64Array;
  private readonly rpad: Float64Array;
  private readonly bias: Float64Array;

  // Per-entry caches (capacity cap entries).
  private cap = 0;
  private cR = new Float64Array(0);
  private cr = new Float64Array(0);
  private csw = new Float64Array(0);
  private cdsw = new Float64Array(0);
  private cY: Float64Array[] = [];
  private cYT: Float64Array[] = [];
  private cH: Float64Array[] = [];
  private cZT: Float64Array[] = [];
  // Padding caches (one entry).
  private readonly pY: Float64Array[];
  private readonly pYT: Float64Array[];
  private readonly pH: Float64Array[];
  private readonly pZT: Float64Array[];
  private readonly padG: Float64Array;
  private readonly padAdj: Float64Array;
  // Per-atom state.
  private grAll = new Float64Array(0);
  private forces = new Float64Array(0);
  private Rd = new Float64Array(0);
  private readonly grt: Float64Array;
  private readonly grbar: Float64Array;
  private readonly grtbar: Float64Array;
  private readonly Gbar: Float64Array;
  private readonly Gdbar: Float64Array;
  // Fitting caches: fX[l] input of layer l (fX[0] = D), fX[L] = output.
  private readonly fX: Float64Array[];
  private readonly fXT: Float64Array[];
  private readonly fH: Float64Array[];
  private readonly fZT: Float64Array[];
  // Reverse scratch (max width).
  private ybar: Float64Array;
  private ydbar: Float64Array;
  private xbar: Float64Array;
  private xdbar: Float64Array;
  private readonly zbar: Float64Array;
  private readonly zdbar: Float64Array;
  private readonly e4 = new Float64Array(4);
  private readonly sw2 = new Float64Array(2);
  private readonly g3 = new Float64Array(3);
  private onWarning: (m: string) => void;
  private warnedTruncation = false;

  constructor(model: DpModel, opts: { onWarning?: (m: string) => void } = {}) {
    this.onWarning = opts.onWarning ?? ((m) => console.warn(`warning: ${m}`));
    const d = model.descriptor;
    if (d.excludeTypes.length || model.pairExcludeTypes.length || model.atomExcludeTypes.length) {
      throw new Error('trainer: models with exclude_types / pair_exclude_types / atom_exclude_types are not supported');
    }
    if (model.fitting.mixedTypes) throw new Error('trainer: mixed_types fitting is not supported');
    this.model = cloneDpModel(model);
    this.T = model.ntypes;
    this.M = embeddingWidth(d);
    this.Ma = d.axisNeuron;
    this.nnei = d.nnei;
    const T = this.T;
    this.davg = new Float64Array(4 * T);
    this.dstd = new Float64Array(4 * T);
    this.rpad = new Float64Array(4 * T);
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < 4; k++) {
        const a0 = d.davg[t * d.nnei * 4 + k], s0 = d.dstd[t * d.nnei * 4 + k];
        for (let j = 1; j < d.nnei; j++) {
          if (d.davg[(t * d.nnei + j) * 4 + k] !== a0 || d.dstd[(t * d.nnei + j) * 4 + k] !== s0) {
            throw new Error('trainer: davg/dstd must be constant over neighbour slots (as DeePMD statistics are)');
          }
        }
        this.davg[4 * t + k] = a0;
        this.dstd[4 * t + k] = s0;
        this.rpad[4 * t + k] = -a0 / s0;
      }
    }
    this.bias = new Float64Array(T);
    for (let t = 0; t < T; t++) this.bias[t] = model.fitting.biasAtomE[t] + model.outBias[t];

    const next = { off: 0 };
    this.emb = d.embeddings.networks.map((n) => {
      if (!n) return null;
      const layers: LayerRef[] = [];
      packNet(n, next, layers);
      if (layers.some((l) => !l.tanh)) throw new Error('trainer: embedding layers must use tanh');
      if (layers[0].nIn !== 1) throw new Error('trainer: embedding input width must be 1');
      return { layers };
    });
    this.fit = model.fitting.nets.networks.map((n, i) => {
      if (!n) throw new Error(`trainer: fitting network ${i} is missing`);
      const layers: LayerRef[] = [];
      packNet(n, next, layers);
      return { layers };
    });
    this.theta = new Float64Array(next.off);
    this.grad = new Float64Array(next.off);
    this.thetaT = new Float64Array(next.off);
    this.readParams(model);

    const firstEmb = this.emb.find((n) => n !== null);
    if (!firstEmb) throw new Error('trainer: no embedding network');
    this.embWidths = firstEmb.layers.map((l) => l.nOut);
    this.fitWidths = this.fit[0].layers.map((l) => l.nOut);
    this.pY = this.embWidths.map((w) => new Float64Array(w));
    this.pYT = this.embWidths.map((w) => new Float64Array(w));
    this.pH = this.embWidths.map((w) => new Float64Array(w));
    this.pZT = this.embWidths.map((w) => new Float64Array(w));
    const M = this.M;
    this.padG = new Float64Array(T * T * M);
    this.padAdj = new Float64Array(T * T * M);
    this.grt = new Float64Array(4 * M);
    this.grbar = new Float64Array(4 * M);
    this.grtbar = new Float64Array(4 * M);
    this.Gbar = new Float64Array(M);
    this.Gdbar = new Float64Array(M);
    const dim = M * this.Ma;
    const fw = [dim, ...this.fitWidths];
    this.fX = fw.map((w) => new Float64Array(w));
    this.fXT = fw.map((w) => new Float64Array(w));
    this.fH = this.fitWidths.map((w) => new Float64Array(w));
    this.fZT = this.fitWidths.map((w) => new Float64Array(w));
    const maxW = Math.max(dim, ...this.embWidths, ...this.fitWidths, 1);
    this.ybar = new Float64Array(maxW);
    this.ydbar = new Float64Array(maxW);
    this.xbar = new Float64Array(maxW);
    this.xdbar = new Float64Array(maxW);
    this.zbar = new Float64Array(maxW);
    this.zdbar = new Float64Array(maxW);
  }

  /** Number of trainable parameters. */
  get size(): number {
    return this.theta.length;
  }

  /** Copy a model's weights (same architecture) into θ. */
  readParams(model: DpModel): void {
    const nets = [...model.descriptor.embeddings.networks, ...model.fitting.nets.networks];
    const refs = [...this.emb, ...this.fit];
    nets.forEach((n, k) => {
      const r = refs[k];
      if (!n || !r) return;
      n.layers.forEach((l, li) => {
        const L = r.layers[li];
        this.theta.set(l.w, L.w);
        if (l.b && L.b >= 0) this.theta.set(l.b, L.b);
        if (l.idt && L.idt >= 0) this.theta.set(l.idt, L.idt);
      });
    });
  }

  /** A new DpModel (fresh arrays) holding the current θ. */
  toModel(): DpModel {
    const m = cloneDpModel(this.model);
    const nets = [...m.descriptor.embeddings.networks, ...m.fitting.nets.networks];
    const refs = [...this.emb, ...this.fit];
    nets.forEach((n, k) => {
      const r = refs[k];
      if (!n || !r) return;
      n.layers.forEach((l, li) => {
        const L = r.layers[li];
        l.w.set(this.theta.subarray(L.w, L.w + L.nIn * L.nOut));
        if (l.b && L.b >= 0) l.b.set(this.theta.subarray(L.b, L.b + L.nOut));
        if (l.idt && L.idt >= 0) l.idt.set(this.theta.subarray(L.idt, L.idt + L.nOut));
      });
    });
    return m;
  }

  /** Copy θ's weight matrices transposed into thetaT. */
  private refreshTransposed(): void {
    const th = this.theta, tt = this.thetaT;
    for (const net of [...this.emb, ...this.fit]) {
      if (!net) continue;
      for (const L of net.layers) {
        const { nIn, nOut, w } = L;
        for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) tt[w + o * nIn + i] = th[w + i * nOut + o];
      }
    }
  }

  /** Neighbour slots and padding counts of a labeled frame (positions Å, energy eV, forces eV/Å). */
  prepare(lf: LabeledFrame): PreparedFrame {
    const n = lf.frame.symbols.length;
    if (lf.forces.length !== 3 * n) throw new Error(`labeled frame: forces has ${lf.forces.length} numbers, expected 3×${n}`);
    if (!Number.isFinite(lf.energy)) throw new Error(`labeled frame: energy is not a finite number (${lf.energy})`);
    const types = mapSpeciesToTypes(this.model, lf.frame.symbols);
    const slots = buildSeASlots(lf.frame, types, this.model);
    if (slots.truncatedAtoms > 0 && !this.warnedTruncation) {
      this.warnedTruncation = true;
      this.onWarning(`${slots.truncatedAtoms} atom(s) of a training frame have more neighbours within rcut than sel allows (max per type [${slots.maxPerType.join(', ')}] vs sel [${this.model.descriptor.sel.join(', ')}]); the nearest are kept as DeePMD-kit v3 does`);
    }
    const T = this.T, d = this.model.descriptor;
    const npad = new Int32Array(n * T);
    let maxEntries = 0;
    for (let i = 0; i < n; i++) {
      for (let t = 0; t < T; t++) npad[i * T + t] = d.sel[t] - slots.fill[i * T + t];
      maxEntries = Math.max(maxEntries, slots.offsets[i + 1] - slots.offsets[i]);
    }
    const virial = lf.virial ?? null;
    if (virial && (virial.length !== 9 || !virial.every(Number.isFinite))) throw new Error(`labeled frame: virial must be 9 finite numbers (eV, row-major 3×3), got ${virial.length}`);
    if (virial && !lf.frame.pbc?.some(Boolean)) throw new Error('labeled frame: a virial label needs a periodic cell (the frame has no periodic direction)');
    return { natoms: n, types, slots, energy: lf.energy, forces: lf.forces, virial, npad, maxEntries };
  }

  private ensureCapacity(entries: number, atoms: number, maxEntries: number): void {
    if (entries > this.cap) {
      const cap = Math.ceil(entries * 1.25) + 16;
      this.cap = cap;
      this.cR = new Float64Array(4 * cap);
      this.cr = new Float64Array(cap);
      this.csw = new Float64Array(cap);
      this.cdsw = new Float64Array(cap);
      this.cY = this.embWidths.map((w) => new Float64Array(cap * w));
      this.cYT = this.embWidths.map((w) => new Float64Array(cap * w));
      this.cH = this.embWidths.map((w) => new Float64Array(cap * w));
      this.cZT = this.embWidths.map((w) => new Float64Array(cap * w));
    }
    if (this.grAll.length < atoms * 4 * this.M) this.grAll = new Float64Array(atoms * 4 * this.M);
    if (this.forces.length < 3 * atoms) this.forces = new Float64Array(3 * atoms);
    if (this.Rd.length < 4 * maxEntries) this.Rd = new Float64Array(4 * Math.max(1, maxEntries));
  }

  // --- networks ------------------------------------------------------------------------------

  /** Embedding forward at scalar s with unit s-tangents; caches at entry q of (Y, YT, H, ZT). */
  private embForward(net: NetRef, s: number, Y: Float64Array[], YT: Float64Array[], H: Float64Array[], ZT: Float64Array[], q: number): void {
    const th = this.theta;
    const layers = net.layers;
    for (let l = 0; l < layers.length; l++) {
      const L = layers[l];
      const nIn = L.nIn, nOut = L.nOut;
      const yo = q * nOut;
      const Hl = H[l], ZTl = ZT[l], Yl = Y[l], YTl = YT[l];
      if (l === 0) {
        for (let o = 0; o < nOut; o++) {
          const w = th[L.w + o];
          Hl[yo + o] = (L.b >= 0 ? th[L.b + o] : 0) + s * w;
          ZTl[yo + o] = w;
        }
      } else {
        const X = Y[l - 1], XT = YT[l - 1], xo = q * nIn;
        const tt = this.thetaT;
        for (let o = 0; o < nOut; o++) {
          const row = L.w + o * nIn;
          let z0 = 0, z1 = 0, t0 = 0, t1 = 0;
          let i = 0;
          for (; i + 1 < nIn; i += 2) {
            const w0 = tt[row + i], w1 = tt[row + i + 1];
            z0 += X[xo + i] * w0;
            z1 += X[xo + i + 1] * w1;
            t0 += XT[xo + i] * w0;
            t1 += XT[xo + i + 1] * w1;
          }
          if (i < nIn) {
            const w0 = tt[row + i];
            z0 += X[xo + i] * w0;
            t0 += XT[xo + i] * w0;
          }
          Hl[yo + o] = (L.b >= 0 ? th[L.b + o] : 0) + (z0 + z1);
          ZTl[yo + o] = t0 + t1;
        }
      }
      for (let o = 0; o < nOut; o++) {
        const h = Math.tanh(Hl[yo + o]);
        Hl[yo + o] = h;
        const idt = L.idt >= 0 ? th[L.idt + o] : 1;
        Yl[yo + o] = h * idt;
        YTl[yo + o] = (1 - h * h) * ZTl[yo + o] * idt;
      }
      if (L.skip !== 0) {
        if (l === 0) {
          for (let o = 0; o < nOut; o++) {
            Yl[yo + o] += s;
            YTl[yo + o] += 1;
          }
        } else {
          const X = Y[l - 1], XT = YT[l - 1], xo = q * nIn;
          for (let o = 0; o < nOut; o++) {
            Yl[yo + o] += X[xo + (o % nIn)];
            YTl[yo + o] += XT[xo + (o % nIn)];
          }
        }
      }
    }
  }

  /**
   * Reverse of embForward with output seeds gbar = ∂L/∂G and gdbar = ∂L/∂Ġ, where the actual
   * tangents are sdot × the cached unit tangents. Accumulates ∂L/∂θ of the net into this.grad.
   */
  private embReverse(net: NetRef, s: number, sdot: number, Y: Float64Array[], YT: Float64Array[], H: Float64Array[], ZT: Float64Array[], q: number, gbar: Float64Array, gdbar: Float64Array): void {
    const th = this.theta, g = this.grad;
    const layers = net.layers;
    let yb = this.ybar, ydb = this.ydbar, xb = this.xbar, xdb = this.xdbar;
    const zb = this.zbar, zdb = this.zdbar;
    const M = layers[layers.length - 1].nOut;
    for (let a = 0; a < M; a++) {
      yb[a] = gbar[a];
      ydb[a] = gdbar[a];
    }
    for (let l = layers.length - 1; l >= 0; l--) {
      const L = layers[l];
      const nIn = L.nIn, nOut = L.nOut;
      const yo = q * nOut;
      const Hl = H[l], ZTl = ZT[l];
      for (let o = 0; o < nOut; o++) {
        const h = Hl[yo + o];
        const d1 = 1 - h * h;
        const zd = sdot * ZTl[yo + o];
        const idt = L.idt >= 0 ? th[L.idt + o] : 1;
        if (L.idt >= 0) g[L.idt + o] += yb[o] * h + ydb[o] * d1 * zd;
        const hb = yb[o] * idt, hdb = ydb[o] * idt;
        zb[o] = d1 * hb - 2 * h * d1 * zd * hdb;
        zdb[o] = d1 * hdb;
        if (L.b >= 0) g[L.b + o] += zb[o];
      }
      if (l === 0) {
        for (let o = 0; o < nOut; o++) g[L.w + o] += s * zb[o] + sdot * zdb[o];
        break;
      }
      const X = Y[l - 1], XT = YT[l - 1], xo = q * nIn;
      for (let i = 0; i < nIn; i++) {
        const xi = X[xo + i], xdi = sdot * XT[xo + i];
        const row = L.w + i * nOut;
        let sb = 0, sd = 0;
        for (let o = 0; o < nOut; o++) {
          const w = th[row + o];
          g[row + o] += xi * zb[o] + xdi * zdb[o];
          sb += w * zb[o];
          sd += w * zdb[o];
        }
        xb[i] = sb;
        xdb[i] = sd;
      }
      if (L.skip !== 0) {
        for (let o = 0; o < nOut; o++) {
          xb[o % nIn] += yb[o];
          xdb[o % nIn] += ydb[o];
        }
      }
      let t = yb;
      yb = xb;
      xb = t;
      t = ydb;
      ydb = xdb;
      xdb = t;
    }
    this.ybar = yb;
    this.ydbar = ydb;
    this.xbar = xb;
    this.xdbar = xdb;
  }

  /** Fitting forward of type ti from this.fX[0] (= D) and, when tangent, this.fXT[0] (= Ḋ). Returns the net output (eV). */
  private fitForward(ti: number, tangent: boolean): number {
    const th = this.theta;
    const layers = this.fit[ti].layers;
    for (let l = 0; l < layers.length; l++) {
      const L = layers[l];
      const nIn = L.nIn, nOut = L.nOut;
      const X = this.fX[l], XT = this.fXT[l], Y = this.fX[l + 1], YT = this.fXT[l + 1];
      const Hl = this.fH[l], ZTl = this.fZT[l];
      const tt = this.thetaT;
      for (let o = 0; o < nOut; o++) {
        const row = L.w + o * nIn;
        let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
        let i = 0;
        if (tangent) {
          for (; i + 1 < nIn; i += 2) {
            const w0 = tt[row + i], w1 = tt[row + i + 1];
            z0 += X[i] * w0;
            z1 += X[i + 1] * w1;
            z2 += XT[i] * w0;
            z3 += XT[i + 1] * w1;
          }
          if (i < nIn) {
            z0 += X[i] * tt[row + i];
            z2 += XT[i] * tt[row + i];
          }
          Hl[o] = (L.b >= 0 ? th[L.b + o] : 0) + (z0 + z1);
          ZTl[o] = z2 + z3;
        } else {
          for (; i + 3 < nIn; i += 4) {
            z0 += X[i] * tt[row + i];
            z1 += X[i + 1] * tt[row + i + 1];
            z2 += X[i + 2] * tt[row + i + 2];
            z3 += X[i + 3] * tt[row + i + 3];
          }
          for (; i < nIn; i++) z0 += X[i] * tt[row + i];
          Hl[o] = (L.b >= 0 ? th[L.b + o] : 0) + (z0 + z1 + (z2 + z3));
          ZTl[o] = 0;
        }
      }
      for (let o = 0; o < nOut; o++) {
        const h = L.tanh ? Math.tanh(Hl[o]) : Hl[o];
        Hl[o] = h;
        const d1 = L.tanh ? 1 - h * h : 1;
        const idt = L.idt >= 0 ? th[L.idt + o] : 1;
        Y[o] = h * idt;
        YT[o] = tangent ? d1 * ZTl[o] * idt : 0;
      }
      if (L.skip !== 0) {
        for (let o = 0; o < nOut; o++) {
          Y[o] += X[o % nIn];
          if (tangent) YT[o] += XT[o % nIn];
        }
      }
    }
    return this.fX[layers.length][0];
  }

  /**
   * Reverse of fitForward with seeds ȳ = eBar, ẏ̄ = phiBar on the scalar output. With `params`,
   * accumulates ∂/∂θ into this.grad. Leaves D̄ in this.xbar and Ḋ̄ in this.xdbar (length dim).
   */
  private fitReverse(ti: number, eBar: number, phiBar: number, params: boolean): void {
    const th = this.theta, g = this.grad;
    const layers = this.fit[ti].layers;
    let yb = this.ybar, ydb = this.ydbar, xb = this.xbar, xdb = this.xdbar;
    const zb = this.zbar, zdb = this.zdbar;
    yb[0] = eBar;
    ydb[0] = phiBar;
    for (let l = layers.length - 1; l >= 0; l--) {
      const L = layers[l];
      const nIn = L.nIn, nOut = L.nOut;
      const Hl = this.fH[l], ZTl = this.fZT[l];
      const X = this.fX[l], XT = this.fXT[l];
      for (let o = 0; o < nOut; o++) {
        const h = Hl[o];
        const d1 = L.tanh ? 1 - h * h : 1;
        const zd = ZTl[o];
        const idt = L.idt >= 0 ? th[L.idt + o] : 1;
        if (params && L.idt >= 0) g[L.idt + o] += yb[o] * h + ydb[o] * d1 * zd;
        const hb = yb[o] * idt, hdb = ydb[o] * idt;
        zb[o] = L.tanh ? d1 * hb - 2 * h * d1 * zd * hdb : hb;
        zdb[o] = d1 * hdb;
        if (params && L.b >= 0) g[L.b + o] += zb[o];
      }
      for (let i = 0; i < nIn; i++) {
        const row = L.w + i * nOut;
        let sb = 0, sd = 0;
        if (params) {
          const xi = X[i], xdi = XT[i];
          for (let o = 0; o < nOut; o++) {
            const w = th[row + o];
            g[row + o] += xi * zb[o] + xdi * zdb[o];
            sb += w * zb[o];
            sd += w * zdb[o];
          }
        } else {
          for (let o = 0; o < nOut; o++) sb += th[row + o] * zb[o];
        }
        xb[i] = sb;
        xdb[i] = sd;
      }
      if (L.skip !== 0) {
        for (let o = 0; o < nOut; o++) {
          xb[o % nIn] += yb[o];
          xdb[o % nIn] += ydb[o];
        }
      }
      let t = yb;
      yb = xb;
      xb = t;
      t = ydb;
      ydb = xdb;
      xdb = t;
    }
    // After the loop the input adjoints are in yb/ydb; expose them as xbar/xdbar.
    this.xbar = yb;
    this.xdbar = ydb;
    this.ybar = xb;
    this.ydbar = xdb;
  }

  // --- passes --------------------------------------------------------------------------------

  /** D[a·Ma + b] = Σ_k gr[a,k] gr[b,k] into fX[0]; with grt also Ḋ into fXT[0]. */
  private descriptorFromGr(gr: Float64Array, go: number, grt: Float64Array | null): void {
    const { M, Ma } = this;
    const D = this.fX[0], Dt = this.fXT[0];
    for (let a = 0; a < M; a++) {
      const a0 = gr[go + 4 * a], a1 = gr[go + 4 * a + 1], a2 = gr[go + 4 * a + 2], a3 = gr[go + 4 * a + 3];
      for (let b = 0; b < Ma; b++) {
        D[a * Ma + b] = a0 * gr[go + 4 * b] + a1 * gr[go + 4 * b + 1] + a2 * gr[go + 4 * b + 2] + a3 * gr[go + 4 * b + 3];
      }
      if (grt) {
        const t0 = grt[4 * a], t1 = grt[4 * a + 1], t2 = grt[4 * a + 2], t3 = grt[4 * a + 3];
        for (let b = 0; b < Ma; b++) {
          Dt[a * Ma + b] =
            t0 * gr[go + 4 * b] + t1 * gr[go + 4 * b + 1] + t2 * gr[go + 4 * b + 2] + t3 * gr[go + 4 * b + 3] +
            a0 * grt[4 * b] + a1 * grt[4 * b + 1] + a2 * grt[4 * b + 2] + a3 * grt[4 * b + 3];
        }
      }
    }
  }

  /**
   * Pass A: energy (eV) and, when wanted, forces (eV/Å, a view valid until the next call) with
   * the current θ; fills the caches pass B needs.
   */
  forward(pf: PreparedFrame, wantForces: boolean): { energy: number; forces: Float64Array; virial: Float64Array; atomicEnergies: Float64Array } {
    const d = this.model.descriptor;
    const { T, M, Ma, nnei } = this;
    const s = pf.slots;
    const n = pf.natoms;
    this.ensureCapacity(s.offsets[n], n, pf.maxEntries);
    this.refreshTransposed();
    const Lm1 = this.embWidths.length - 1;
    // Padding embedding outputs per (centre type, neighbour type).
    for (let ti = 0; ti < T; ti++) {
      for (let t = 0; t < T; t++) {
        const net = this.emb[embeddingIndex(d, T, ti, t)];
        if (!net) continue;
        this.embForward(net, this.rpad[4 * ti], this.pY, this.pYT, this.pH, this.pZT, 0);
        this.padG.set(this.pY[Lm1].subarray(0, M), (ti * T + t) * M);
      }
    }
    const forces = this.forces.subarray(0, 3 * n);
    forces.fill(0);
    const atomicEnergies = new Float64Array(n);
    const virial = new Float64Array(9);
    const e4 = this.e4, sw2 = this.sw2, g3 = this.g3;
    const inv = 1 / nnei;
    const cY = this.cY[Lm1], cYT = this.cYT[Lm1];
    let energy = 0;
    for (let i = 0; i < n; i++) {
      const ti = pf.types[i];
      const go = i * 4 * M;
      const gr = this.grAll;
      gr.fill(0, go, go + 4 * M);
      const q0 = s.offsets[i], q1 = s.offsets[i + 1];
      for (let q = q0; q < q1; q++) {
        const r = envRow(s.vec[3 * q], s.vec[3 * q + 1], s.vec[3 * q + 2], d.rcutSmth, d.rcut, d.envProtection, e4, sw2);
        if (r === 0) throw new Error(`atoms ${i} and ${s.atom[q]} (or its periodic image) are at the same position`);
        this.cr[q] = r;
        this.csw[q] = sw2[0];
        this.cdsw[q] = sw2[1];
        for (let k = 0; k < 4; k++) this.cR[4 * q + k] = (e4[k] - this.davg[4 * ti + k]) / this.dstd[4 * ti + k];
        const net = this.emb[embeddingIndex(d, T, ti, pf.types[s.atom[q]])]!;
        this.embForward(net, this.cR[4 * q], this.cY, this.cYT, this.cH, this.cZT, q);
        const R0 = this.cR[4 * q], R1 = this.cR[4 * q + 1], R2 = this.cR[4 * q + 2], R3 = this.cR[4 * q + 3];
        const Go = q * M;
        for (let a = 0; a < M; a++) {
          const ga = cY[Go + a];
          gr[go + 4 * a] += ga * R0;
          gr[go + 4 * a + 1] += ga * R1;
          gr[go + 4 * a + 2] += ga * R2;
          gr[go + 4 * a + 3] += ga * R3;
        }
      }
      for (let t = 0; t < T; t++) {
        const np = pf.npad[i * T + t];
        if (np === 0) continue;
        const po = (ti * T + t) * M;
        const P0 = np * this.rpad[4 * ti], P1 = np * this.rpad[4 * ti + 1], P2 = np * this.rpad[4 * ti + 2], P3 = np * this.rpad[4 * ti + 3];
        for (let a = 0; a < M; a++) {
          const ga = this.padG[po + a];
          gr[go + 4 * a] += ga * P0;
          gr[go + 4 * a + 1] += ga * P1;
          gr[go + 4 * a + 2] += ga * P2;
          gr[go + 4 * a + 3] += ga * P3;
        }
      }
      for (let m = 0; m < 4 * M; m++) gr[go + m] *= inv;
      this.descriptorFromGr(gr, go, null);
      const ei = this.fitForward(ti, false) + this.bias[ti];
      atomicEnergies[i] = ei;
      energy += ei;
      if (!wantForces) continue;
      this.fitReverse(ti, 1, 0, false);
      const dD = this.xbar;
      const dgr = this.grbar;
      for (let c = 0; c < M; c++) {
        for (let k = 0; k < 4; k++) {
          let acc = 0;
          for (let b = 0; b < Ma; b++) acc += dD[c * Ma + b] * gr[go + 4 * b + k];
          if (c < Ma) for (let a = 0; a < M; a++) acc += dD[a * Ma + c] * gr[go + 4 * a + k];
          dgr[4 * c + k] = acc * inv;
        }
      }
      for (let q = q0; q < q1; q++) {
        const R0 = this.cR[4 * q], R1 = this.cR[4 * q + 1], R2 = this.cR[4 * q + 2], R3 = this.cR[4 * q + 3];
        let dR0 = 0, dR1 = 0, dR2 = 0, dR3 = 0, ds = 0;
        const Go = q * M;
        for (let a = 0; a < M; a++) {
          const ga = cY[Go + a];
          const d0 = dgr[4 * a], d1 = dgr[4 * a + 1], d2 = dgr[4 * a + 2], d3 = dgr[4 * a + 3];
          dR0 += d0 * ga;
          dR1 += d1 * ga;
          dR2 += d2 * ga;
          dR3 += d3 * ga;
          ds += (d0 * R0 + d1 * R1 + d2 * R2 + d3 * R3) * cYT[Go + a];
        }
        dR0 += ds;
        const x = s.vec[3 * q], y = s.vec[3 * q + 1], z = s.vec[3 * q + 2];
        envRowBackward(x, y, z, this.cr[q], this.csw[q], this.cdsw[q], d.envProtection,
          dR0 / this.dstd[4 * ti], dR1 / this.dstd[4 * ti + 1], dR2 / this.dstd[4 * ti + 2], dR3 / this.dstd[4 * ti + 3], g3);
        const aj = s.atom[q];
        forces[3 * aj] -= g3[0];
        forces[3 * aj + 1] -= g3[1];
        forces[3 * aj + 2] -= g3[2];
        forces[3 * i] += g3[0];
        forces[3 * i + 1] += g3[1];
        forces[3 * i + 2] += g3[2];
        // W_kc −= g_k d_c (DeePMD's virial: W = −Σ_pairs ∂E/∂d ⊗ d)
        for (let k = 0; k < 3; k++) {
          virial[3 * k] -= g3[k] * x;
          virial[3 * k + 1] -= g3[k] * y;
          virial[3 * k + 2] -= g3[k] * z;
        }
      }
    }
    return { energy, forces, virial, atomicEnergies };
  }

  /**
   * Pass B after forward(pf, true): adds a·∂E/∂θ + ∂χ/∂θ to this.grad, where χ = Σ_pairs
   * ∂E/∂d_q · ḋ_q is the derivative of E when every pair vector d_q = r_j − r_i moves by
   * ḋ_q = v_j − v_i + U·d_q (v: any fixed 3N vector, eV/Å-scaled; U: a fixed 3×3 row-major
   * homogeneous strain rate or null). Returns χ from the tangent pass.
   */
  private reverseParams(pf: PreparedFrame, v: Float64Array, aE: number, U: Float64Array | null): number {
    const d = this.model.descriptor;
    const { T, M, Ma, nnei } = this;
    const s = pf.slots;
    const n = pf.natoms;
    const inv = 1 / nnei;
    const Lm1 = this.embWidths.length - 1;
    const cY = this.cY[Lm1], cYT = this.cYT[Lm1];
    const p = d.envProtection;
    const grt = this.grt, grbar = this.grbar, grtbar = this.grtbar, Rd = this.Rd;
    const Gbar = this.Gbar, Gdbar = this.Gdbar;
    this.padAdj.fill(0);
    let phi = 0;
    for (let i = 0; i < n; i++) {
      const ti = pf.types[i];
      const go = i * 4 * M;
      const gr = this.grAll;
      grt.fill(0);
      const q0 = s.offsets[i], q1 = s.offsets[i + 1];
      const vix = v[3 * i], viy = v[3 * i + 1], viz = v[3 * i + 2];
      const is0 = 1 / this.dstd[4 * ti], is1 = 1 / this.dstd[4 * ti + 1], is2 = 1 / this.dstd[4 * ti + 2], is3 = 1 / this.dstd[4 * ti + 3];
      for (let q = q0; q < q1; q++) {
        const aj = s.atom[q];
        const x = s.vec[3 * q], y = s.vec[3 * q + 1], z = s.vec[3 * q + 2];
        let dx = v[3 * aj] - vix, dy = v[3 * aj + 1] - viy, dz = v[3 * aj + 2] - viz;
        if (U) {
          dx += U[0] * x + U[1] * y + U[2] * z;
          dy += U[3] * x + U[4] * y + U[5] * z;
          dz += U[6] * x + U[7] * y + U[8] * z;
        }
        const r = this.cr[q], w = this.csw[q], dw = this.cdsw[q];
        const rdot = (x * dx + y * dy + z * dz) / r;
        const rinv = 1 / (r + p);
        const rinv2 = rinv * rinv, rinv3 = rinv2 * rinv;
        const wdot = dw * rdot;
        const common = wdot * rinv2 - 2 * w * rdot * rinv3;
        const l = 4 * (q - q0);
        const Rd0 = (Rd[l] = (wdot * rinv - w * rdot * rinv2) * is0);
        const Rd1 = (Rd[l + 1] = (common * x + w * dx * rinv2) * is1);
        const Rd2 = (Rd[l + 2] = (common * y + w * dy * rinv2) * is2);
        const Rd3 = (Rd[l + 3] = (common * z + w * dz * rinv2) * is3);
        const R0 = this.cR[4 * q], R1 = this.cR[4 * q + 1], R2 = this.cR[4 * q + 2], R3 = this.cR[4 * q + 3];
        const Go = q * M;
        for (let a = 0; a < M; a++) {
          const gt = Rd0 * cYT[Go + a], ga = cY[Go + a];
          grt[4 * a] += gt * R0 + ga * Rd0;
          grt[4 * a + 1] += gt * R1 + ga * Rd1;
          grt[4 * a + 2] += gt * R2 + ga * Rd2;
          grt[4 * a + 3] += gt * R3 + ga * Rd3;
        }
      }
      for (let m = 0; m < 4 * M; m++) grt[m] *= inv;
      this.descriptorFromGr(gr, go, grt);
      this.fitForward(ti, true);
      phi += this.fXT[this.fit[ti].layers.length][0];
      this.fitReverse(ti, aE, 1, true);
      const Db = this.xbar, Dtb = this.xdbar;
      for (let c = 0; c < M; c++) {
        for (let k = 0; k < 4; k++) {
          let acc = 0, accd = 0;
          for (let b = 0; b < Ma; b++) {
            const db = Db[c * Ma + b], dtb = Dtb[c * Ma + b];
            acc += db * gr[go + 4 * b + k] + dtb * grt[4 * b + k];
            accd += dtb * gr[go + 4 * b + k];
          }
          if (c < Ma) {
            for (let a = 0; a < M; a++) {
              const db = Db[a * Ma + c], dtb = Dtb[a * Ma + c];
              acc += db * gr[go + 4 * a + k] + dtb * grt[4 * a + k];
              accd += dtb * gr[go + 4 * a + k];
            }
          }
          grbar[4 * c + k] = acc * inv;
          grtbar[4 * c + k] = accd * inv;
        }
      }
      for (let t = 0; t < T; t++) {
        const np = pf.npad[i * T + t];
        if (np === 0) continue;
        const po = (ti * T + t) * M;
        const P0 = this.rpad[4 * ti], P1 = this.rpad[4 * ti + 1], P2 = this.rpad[4 * ti + 2], P3 = this.rpad[4 * ti + 3];
        for (let a = 0; a < M; a++) {
          this.padAdj[po + a] += np * (grbar[4 * a] * P0 + grbar[4 * a + 1] * P1 + grbar[4 * a + 2] * P2 + grbar[4 * a + 3] * P3);
        }
      }
      for (let q = q0; q < q1; q++) {
        const l = 4 * (q - q0);
        const R0 = this.cR[4 * q], R1 = this.cR[4 * q + 1], R2 = this.cR[4 * q + 2], R3 = this.cR[4 * q + 3];
        const Rd0 = Rd[l], Rd1 = Rd[l + 1], Rd2 = Rd[l + 2], Rd3 = Rd[l + 3];
        for (let a = 0; a < M; a++) {
          const t0 = grtbar[4 * a], t1 = grtbar[4 * a + 1], t2 = grtbar[4 * a + 2], t3 = grtbar[4 * a + 3];
          Gbar[a] = grbar[4 * a] * R0 + grbar[4 * a + 1] * R1 + grbar[4 * a + 2] * R2 + grbar[4 * a + 3] * R3 +
            t0 * Rd0 + t1 * Rd1 + t2 * Rd2 + t3 * Rd3;
          Gdbar[a] = t0 * R0 + t1 * R1 + t2 * R2 + t3 * R3;
        }
        const net = this.emb[embeddingIndex(d, T, ti, pf.types[s.atom[q]])]!;
        this.embReverse(net, R0, Rd0, this.cY, this.cYT, this.cH, this.cZT, q, Gbar, Gdbar);
      }
    }
    Gdbar.fill(0);
    for (let ti = 0; ti < T; ti++) {
      for (let t = 0; t < T; t++) {
        const po = (ti * T + t) * M;
        let any = false;
        for (let a = 0; a < M; a++) if (this.padAdj[po + a] !== 0) any = true;
        if (!any) continue;
        const net = this.emb[embeddingIndex(d, T, ti, t)];
        if (!net) continue;
        this.embForward(net, this.rpad[4 * ti], this.pY, this.pYT, this.pH, this.pZT, 0);
        this.embReverse(net, this.rpad[4 * ti], 0, this.pY, this.pYT, this.pH, this.pZT, 0, this.padAdj.subarray(po, po + M), Gdbar);
      }
    }
    return phi;
  }

  /**
   * Loss of one frame with prefactors prefE (energy), prefF (force) and prefV (virial), and `scale`·∂L/∂θ
   * added to this.grad (scale = 1/batch size). Prefactor 0 drops a term (as DeePMD's has_e/has_f/has_v);
   * the virial term needs the frame's virial label (find_virial):
   *   L = prefE·ΔE²/N + prefF·Σ ΔF²/(3N) + prefV·Σ_kc ΔW_kc²/(9N).
   * Gradient: ∂L/∂θ = a·∂E/∂θ + ∂χ/∂θ with χ = b·Σ v·∂E/∂R + c·Σ u:W, v = ΔF, u = ΔW held fixed,
   * a = 2prefE·ΔE/N, b = −2prefF/(3N), c = 2prefV/(9N); since W = −Σ_pairs ∂E/∂d ⊗ d, the virial part is
   * the derivative of E under the homogeneous strain rate U = −c·u of every pair vector.
   */
  lossAndGradient(pf: PreparedFrame, prefE: number, prefF: number, scale: number, prefV = 0): FrameLoss {
    const n = pf.natoms;
    const { energy, forces, virial } = this.forward(pf, true);
    const dE = energy - pf.energy;
    const b = (-scale * 2 * prefF) / (3 * n);
    const v = new Float64Array(3 * n);
    let sumSqF = 0, chiForces = 0;
    for (let c = 0; c < 3 * n; c++) {
      const dF = forces[c] - pf.forces[c];
      sumSqF += dF * dF;
      v[c] = b * dF;
      chiForces -= v[c] * forces[c];
    }
    let loss = (prefE * dE * dE) / n + (prefF * sumSqF) / (3 * n);
    let sumSqV: number | null = null;
    let U: Float64Array | null = null;
    if (pf.virial) {
      sumSqV = 0;
      const cV = (scale * 2 * prefV) / (9 * n);
      U = new Float64Array(9);
      for (let c = 0; c < 9; c++) {
        const dW = virial[c] - pf.virial[c];
        sumSqV += dW * dW;
        U[c] = -cV * dW;
        chiForces -= U[c] * virial[c];
      }
      loss += (prefV * sumSqV) / (9 * n);
      if (prefV === 0) U = null;
    }
    const aE = (scale * 2 * prefE * dE) / n;
    const tangent = this.reverseParams(pf, v, aE, U);
    return { loss, dE, sumSqF, sumSqV, natoms: n, tangent, tangentFromForces: chiForces };
  }

  /** ∂E/∂θ only (into this.grad, scaled), returns E (eV). For tests and energy-only uses. */
  energyGradient(pf: PreparedFrame, scale = 1): number {
    const { energy } = this.forward(pf, false);
    this.reverseParams(pf, new Float64Array(3 * pf.natoms), scale, null);
    return energy;
  }
}
