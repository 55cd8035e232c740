/**
 * Where every trainable parameter of a DP-SE model lives in the flat vector θ (all w, b, idt;
 * embedding nets first, then fitting nets), and the copies between θ and a DpModel.
 */
import type { DpLayer, DpModel, DpNetwork } from '../../potentials/dp/model.ts';
import { layerSkip } from '../../potentials/dp/network.ts';

/** One dense layer y = idt ⊙ act(x·w + b) (+ x when skip), as offsets into θ. */
export interface LayerRef {
  nIn: number;
  nOut: number;
  /** Offsets into θ (−1 = absent); w is [nIn, nOut] row-major. */
  w: number;
  b: number;
  idt: number;
  /** 0 none, 1 same width, 2 doubled width. */
  skip: 0 | 1 | 2;
  tanh: boolean;
}

export interface NetRef {
  layers: LayerRef[];
}

export interface ParamLayout {
  /** Embedding nets in the model's order (null where the model has none). */
  emb: (NetRef | null)[];
  /** Fitting nets, one per type. */
  fit: NetRef[];
  /** Number of trainable parameters. */
  size: number;
  /** Output widths of the embedding layers (the same for every embedding net). */
  embWidths: number[];
  /** Output widths of the fitting layers. */
  fitWidths: number[];
}

function packNet(net: DpNetwork, next: { off: number }): NetRef {
  const layers: LayerRef[] = [];
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
    layers.push(ref);
  }
  return { layers };
}

/** The layout of a model's parameters; throws a named error for what the trainer cannot train. */
export function buildParamLayout(model: DpModel): ParamLayout {
  const next = { off: 0 };
  const emb = model.descriptor.embeddings.networks.map((n) => {
    if (!n) return null;
    const net = packNet(n, next);
    if (net.layers.some((l) => !l.tanh)) throw new Error('trainer: embedding layers must use tanh');
    if (net.layers[0].nIn !== 1) throw new Error('trainer: embedding input width must be 1');
    return net;
  });
  const fit = model.fitting.nets.networks.map((n, i) => {
    if (!n) throw new Error(`trainer: fitting network ${i} is missing`);
    return packNet(n, next);
  });
  const firstEmb = emb.find((n) => n !== null);
  if (!firstEmb) throw new Error('trainer: no embedding network');
  return {
    emb, fit, size: next.off,
    embWidths: firstEmb.layers.map((l) => l.nOut),
    fitWidths: fit[0].layers.map((l) => l.nOut),
  };
}

function eachLayer(layout: ParamLayout, model: DpModel, f: (l: DpLayer, L: LayerRef) => void): void {
  const nets = [...model.descriptor.embeddings.networks, ...model.fitting.nets.networks];
  const refs = [...layout.emb, ...layout.fit];
  nets.forEach((n, k) => {
    const r = refs[k];
    if (!n || !r) return;
    n.layers.forEach((l, li) => f(l, r.layers[li]));
  });
}

/** Copy a model's weights (same architecture) into θ. */
export function readParams(layout: ParamLayout, model: DpModel, theta: Float64Array): void {
  eachLayer(layout, model, (l, L) => {
    theta.set(l.w, L.w);
    if (l.b && L.b >= 0) theta.set(l.b, L.b);
    if (l.idt && L.idt >= 0) theta.set(l.idt, L.idt);
  });
}

/** Copy θ into a model's weight arrays (same architecture). */
export function writeParams(layout: ParamLayout, theta: Float64Array, model: DpModel): void {
  eachLayer(layout, model, (l, L) => {
    l.w.set(theta.subarray(L.w, L.w + L.nIn * L.nOut));
    if (l.b && L.b >= 0) l.b.set(theta.subarray(L.b, L.b + L.nOut));
    if (l.idt && L.idt >= 0) l.idt.set(theta.subarray(L.idt, L.idt + L.nOut));
  });
}

/** θ with every weight matrix transposed to [nOut, nIn] (contiguous dot products in forward passes). */
export function transposeWeights(layout: ParamLayout, theta: Float64Array, out: Float64Array): void {
  for (const net of [...layout.emb, ...layout.fit]) {
    if (!net) continue;
    for (const L of net.layers) {
      const { nIn, nOut, w } = L;
      for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) out[w + o * nIn + i] = theta[w + i * nOut + o];
    }
  }
}
