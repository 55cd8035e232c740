/**
 * A DeePMD network (tanh / linear layers, resnet skips, no idt) with a cached forward pass and a
 * reverse pass that accumulates ∂L/∂w, ∂L/∂b (same layout as the layer arrays) for training.
 * Layer: z = x·W + b, h = act(z), y = h [+ x | + concat(x, x)] (spec §2.6; layerSkip decides).
 * The weights are the model's own Float64Arrays: an optimiser step updates the model in place.
 */
import type { DpLayer, DpNetwork } from '../../core/potentials/dp/model.ts';
import { layerSkip, type SkipKind } from '../../core/potentials/dp/network.ts';

interface GradLayer {
  nIn: number;
  nOut: number;
  w: Float64Array;
  b: Float64Array;
  tanh: boolean;
  skip: SkipKind;
  gw: Float64Array;
  gb: Float64Array;
}

/** Per-evaluation cache: the input of each layer and the activated output h of each layer. */
export interface NetCache {
  xs: Float64Array[];
  hs: Float64Array[];
}

export class GradNetwork {
  readonly layers: GradLayer[];
  readonly inDim: number;
  readonly outDim: number;

  constructor(net: DpNetwork) {
    this.layers = net.layers.map((l: DpLayer) => {
      if (l.idt) throw new Error('trainer: layers with timestep (idt) are not supported');
      if (!l.b) throw new Error('trainer: layers without bias are not supported');
      const act = l.activation.toLowerCase();
      if (act !== 'tanh' && act !== 'none' && act !== 'linear') throw new Error(`trainer: activation ${l.activation} is not supported (tanh, none)`);
      return { nIn: l.nIn, nOut: l.nOut, w: l.w, b: l.b, tanh: act === 'tanh', skip: layerSkip(l), gw: new Float64Array(l.w.length), gb: new Float64Array(l.b.length) };
    });
    this.inDim = net.inDim;
    this.outDim = this.layers[this.layers.length - 1].nOut;
  }

  makeCache(): NetCache {
    return { xs: this.layers.map((l) => new Float64Array(l.nIn)), hs: this.layers.map((l) => new Float64Array(l.nOut)) };
  }

  /** y = net(x); fills the cache; returns the output (a fresh array). */
  forward(x: ArrayLike<number>, c: NetCache): Float64Array {
    let cur: Float64Array = Float64Array.from(x);
    this.layers.forEach((L, k) => {
      c.xs[k].set(cur);
      const h = c.hs[k];
      for (let o = 0; o < L.nOut; o++) h[o] = L.b[o];
      for (let i = 0; i < L.nIn; i++) {
        const xi = cur[i];
        if (xi === 0) continue;
        const row = i * L.nOut;
        for (let o = 0; o < L.nOut; o++) h[o] += xi * L.w[row + o];
      }
      if (L.tanh) for (let o = 0; o < L.nOut; o++) h[o] = Math.tanh(h[o]);
      const y = Float64Array.from(h);
      if (L.skip === 'same') for (let o = 0; o < L.nOut; o++) y[o] += cur[o];
      else if (L.skip === 'double') for (let o = 0; o < L.nOut; o++) y[o] += cur[o % L.nIn];
      cur = y;
    });
    return cur;
  }

  /** Given dy = ∂L/∂y of the cached evaluation, accumulate gradients and return ∂L/∂x (if wanted). */
  backward(c: NetCache, dy: Float64Array, wantDx = true): Float64Array | null {
    let g = dy;
    for (let k = this.layers.length - 1; k >= 0; k--) {
      const L = this.layers[k];
      const x = c.xs[k], h = c.hs[k];
      const dz = new Float64Array(L.nOut);
      for (let o = 0; o < L.nOut; o++) dz[o] = L.tanh ? g[o] * (1 - h[o] * h[o]) : g[o];
      for (let o = 0; o < L.nOut; o++) L.gb[o] += dz[o];
      for (let i = 0; i < L.nIn; i++) {
        const xi = x[i];
        if (xi === 0) continue;
        const row = i * L.nOut;
        for (let o = 0; o < L.nOut; o++) L.gw[row + o] += xi * dz[o];
      }
      if (k === 0 && !wantDx) return null;
      const dx = new Float64Array(L.nIn);
      for (let i = 0; i < L.nIn; i++) {
        const row = i * L.nOut;
        let s = 0;
        for (let o = 0; o < L.nOut; o++) s += L.w[row + o] * dz[o];
        dx[i] = s;
      }
      if (L.skip === 'same') for (let i = 0; i < L.nIn; i++) dx[i] += g[i];
      else if (L.skip === 'double') for (let o = 0; o < L.nOut; o++) dx[o % L.nIn] += g[o];
      g = dx;
    }
    return g;
  }

  /** Every (parameter, gradient) pair, for the optimiser. */
  params(): Array<{ p: Float64Array; g: Float64Array }> {
    return this.layers.flatMap((L) => [{ p: L.w, g: L.gw }, { p: L.b, g: L.gb }]);
  }
}
