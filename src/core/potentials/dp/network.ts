/**
 * Float64 evaluation of DeePMD-kit networks (docs/dp-se.md §2.6):
 *   z = x @ w + b;  y = act(z);  y *= idt (if any);  y += x (n_out = n_in) or concat(x, x) (n_out = 2 n_in) when resnet.
 * Two evaluation modes:
 *  - forward with a tangent for scalar-input embedding nets (G(s) and dG/ds together), and
 *  - forward with a cache plus reverse-mode backward for fitting nets (∂out/∂x).
 * Networks are "prepared" once (activations resolved, workspaces allocated) and reused;
 * a prepared network is not re-entrant (one evaluation at a time).
 */
import type { DpLayer, DpNetwork } from './model.ts';
import { applyActivation, resolveActivation, type Activation } from './activation.ts';

/** Skip connection actually applied by a layer. */
export type SkipKind = 'none' | 'same' | 'double';

/** The skip a layer applies: flags from the file, active only for equal or doubled widths. */
export function layerSkip(l: Pick<DpLayer, 'resnet' | 'nIn' | 'nOut'>): SkipKind {
  if (!l.resnet) return 'none';
  if (l.nOut === l.nIn) return 'same';
  if (l.nOut === 2 * l.nIn) return 'double';
  return 'none';
}

function transpose(w: Float64Array, nIn: number, nOut: number): Float64Array {
  const t = new Float64Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) t[o * nIn + i] = w[i * nOut + o];
  return t;
}

/** Dot product of x[0..n) with a[off..off+n) (four partial sums: faster in V8). */
function dot(x: Float64Array, a: Float64Array, off: number, n: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += x[i] * a[off + i];
    s1 += x[i + 1] * a[off + i + 1];
    s2 += x[i + 2] * a[off + i + 2];
    s3 += x[i + 3] * a[off + i + 3];
  }
  for (; i < n; i++) s0 += x[i] * a[off + i];
  return s0 + s1 + (s2 + s3);
}

interface PreparedLayer {
  nIn: number;
  nOut: number;
  w: Float64Array;
  /** Transposed weights [nOut, nIn] (contiguous dot products in the forward pass). */
  wT: Float64Array;
  b: Float64Array | null;
  idt: Float64Array | null;
  act: Activation;
  skip: SkipKind;
  /** Workspaces: layer input copy (for backward), z, y, act'(z), tangent. */
  x: Float64Array;
  z: Float64Array;
  y: Float64Array;
  dact: Float64Array;
  ty: Float64Array;
}

export class PreparedNetwork {
  readonly inDim: number;
  readonly outDim: number;
  private readonly layers: PreparedLayer[];
  private readonly gradBuf: Float64Array[];

  constructor(net: DpNetwork) {
    this.inDim = net.inDim;
    this.outDim = net.outDim;
    this.layers = net.layers.map((l) => ({
      nIn: l.nIn,
      nOut: l.nOut,
      w: l.w,
      wT: transpose(l.w, l.nIn, l.nOut),
      b: l.b,
      idt: l.idt,
      act: resolveActivation(l.activation),
      skip: layerSkip(l),
      x: new Float64Array(l.nIn),
      z: new Float64Array(l.nOut),
      y: new Float64Array(l.nOut),
      dact: new Float64Array(l.nOut),
      ty: new Float64Array(l.nOut),
    }));
    const widths = [net.inDim, ...net.layers.map((l) => l.nOut)];
    this.gradBuf = widths.map((w) => new Float64Array(w));
  }

  /** Output of the layer before the last one after the most recent forward() (the "fit_ll" of DeePMD tests). */
  lastHidden(): Float64Array {
    const L = this.layers.length;
    return L >= 2 ? this.layers[L - 2].y : this.layers[0].x;
  }

  /**
   * Forward pass of a scalar-input net: writes out[a] = G(s)[a] and dOut[a] = dG[a]/ds.
   * (Forward-mode tangent t ← idt⊙act'(z)⊙(t@w) + skip(t), t₀ = 1; docs/dp-se.md §4.2.)
   */
  forwardScalarWithTangent(s: number, out: Float64Array, dOut: Float64Array): void {
    let x: Float64Array | null = null;
    let tx: Float64Array | null = null;
    for (const L of this.layers) {
      const { nIn, nOut, w, b, idt, z, y, dact, ty } = L;
      if (x === null || tx === null) {
        // First layer: input is the scalar s with tangent 1 (nIn must be 1).
        for (let o = 0; o < nOut; o++) {
          z[o] = (b ? b[o] : 0) + s * w[o];
          ty[o] = w[o];
        }
      } else {
        // Value and tangent in one pass over the weights.
        const wT = L.wT;
        for (let o = 0; o < nOut; o++) {
          const row = o * nIn;
          let z0 = 0, z1 = 0, t0 = 0, t1 = 0;
          let i = 0;
          for (; i + 1 < nIn; i += 2) {
            const w0 = wT[row + i], w1 = wT[row + i + 1];
            z0 += x[i] * w0;
            z1 += x[i + 1] * w1;
            t0 += tx[i] * w0;
            t1 += tx[i + 1] * w1;
          }
          if (i < nIn) {
            const w0 = wT[row + i];
            z0 += x[i] * w0;
            t0 += tx[i] * w0;
          }
          z[o] = (b ? b[o] : 0) + (z0 + z1);
          ty[o] = t0 + t1;
        }
      }
      applyActivation(L.act, z, y, dact, nOut);
      for (let o = 0; o < nOut; o++) ty[o] *= dact[o];
      if (idt) {
        for (let o = 0; o < nOut; o++) {
          y[o] *= idt[o];
          ty[o] *= idt[o];
        }
      }
      if (L.skip !== 'none') {
        if (x === null || tx === null) {
          for (let o = 0; o < nOut; o++) {
            y[o] += s;
            ty[o] += 1;
          }
        } else {
          for (let o = 0; o < nOut; o++) {
            y[o] += x[o % nIn];
            ty[o] += tx[o % nIn];
          }
        }
      }
      x = y;
      tx = ty;
    }
    if (x === null || tx === null) {
      out[0] = s;
      dOut[0] = 1;
      return;
    }
    out.set(x.subarray(0, this.outDim));
    dOut.set(tx.subarray(0, this.outDim));
  }

  /** Forward pass of an input vector (length inDim); returns the output (a view, valid until the next call). */
  forward(input: ArrayLike<number>): Float64Array {
    let x: ArrayLike<number> = input;
    for (const L of this.layers) {
      const { nIn, nOut, b, idt, z, y } = L;
      L.x.set(x as Float64Array);
      const xin = L.x;
      const wT = L.wT;
      for (let o = 0; o < nOut; o++) z[o] = (b ? b[o] : 0) + dot(xin, wT, o * nIn, nIn);
      applyActivation(L.act, z, y, L.dact, nOut);
      if (idt) for (let o = 0; o < nOut; o++) y[o] *= idt[o];
      if (L.skip !== 'none') for (let o = 0; o < nOut; o++) y[o] += xin[o % nIn];
      x = y;
    }
    return x as Float64Array;
  }

  /**
   * Reverse pass after forward(): given ∂E/∂out (length outDim), returns ∂E/∂input
   * (length inDim; a view, valid until the next call).
   */
  backward(gradOut: ArrayLike<number>): Float64Array {
    const nL = this.layers.length;
    let gy = this.gradBuf[nL];
    for (let o = 0; o < this.outDim; o++) gy[o] = gradOut[o];
    for (let l = nL - 1; l >= 0; l--) {
      const { nIn, nOut, w, idt, dact } = this.layers[l];
      const gx = this.gradBuf[l];
      const gz = this.layers[l].z; // reuse z as scratch for ∂E/∂z (forward values no longer needed)
      for (let o = 0; o < nOut; o++) gz[o] = gy[o] * dact[o] * (idt ? idt[o] : 1);
      for (let i = 0; i < nIn; i++) gx[i] = dot(gz, w, i * nOut, nOut);
      if (this.layers[l].skip !== 'none') for (let o = 0; o < nOut; o++) gx[o % nIn] += gy[o];
      gy = gx;
    }
    return gy;
  }
}
