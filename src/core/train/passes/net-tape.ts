/**
 * Dense nets with forward-mode tangents and their reverse sweep, one implementation for the
 * embedding nets (one entry per neighbour, scalar input s with tangent 1) and the fitting nets
 * (one entry, input D with tangent Ḋ).
 *
 * A tape holds, per layer l and entry q (offset q·width): X[l] the input of layer l (X[L] is the
 * output), XT[l] its tangent, H[l] the activation h = act(z) and ZT[l] the tangent of z.
 * Layer l: z = x·w + b, h = act(z), y = idt ⊙ h (+ x when skip); ż = ẋ·w, ẏ = idt ⊙ act'(z) ż (+ ẋ).
 */
import type { LayerRef, NetRef } from './param-layout.ts';

export interface NetTape {
  X: Float64Array[];
  XT: Float64Array[];
  H: Float64Array[];
  ZT: Float64Array[];
}

/** A tape for `entries` inputs of a net with input width widths[0] and layer output widths widths[1..]. */
export function makeTape(widths: number[], entries: number): NetTape {
  const outs = widths.slice(1);
  return {
    X: widths.map((w) => new Float64Array(entries * w)),
    XT: widths.map((w) => new Float64Array(entries * w)),
    H: outs.map((w) => new Float64Array(entries * w)),
    ZT: outs.map((w) => new Float64Array(entries * w)),
  };
}

/** A tape for a net of scalar input (the embedding nets): input width 1, unit input tangent at every entry. */
export function makeScalarInputTape(outWidths: number[], entries: number): NetTape {
  const tape = makeTape([1, ...outWidths], entries);
  tape.XT[0].fill(1);
  return tape;
}

/** Ping-pong adjoint buffers of a reverse sweep (each at least the widest layer). */
export interface ReverseScratch {
  ybar: Float64Array;
  ydbar: Float64Array;
  xbar: Float64Array;
  xdbar: Float64Array;
  zbar: Float64Array;
  zdbar: Float64Array;
}

export function makeReverseScratch(width: number): ReverseScratch {
  const f = (): Float64Array => new Float64Array(width);
  return { ybar: f(), ydbar: f(), xbar: f(), xdbar: f(), zbar: f(), zdbar: f() };
}

/**
 * Forward of layer l at entry q. thetaT holds the weights transposed ([nOut, nIn]). Without
 * `tangent` the tangents are not computed (ẏ = 0).
 */
export function denseForward(L: LayerRef, th: Float64Array, tt: Float64Array, tape: NetTape, l: number, q: number, tangent: boolean): void {
  const nIn = L.nIn, nOut = L.nOut;
  const X = tape.X[l], XT = tape.XT[l], Y = tape.X[l + 1], YT = tape.XT[l + 1];
  const Hl = tape.H[l], ZTl = tape.ZT[l];
  const xo = q * nIn, yo = q * nOut;
  for (let o = 0; o < nOut; o++) {
    const row = L.w + o * nIn;
    let z0 = 0, z1 = 0, z2 = 0, z3 = 0;
    let i = 0;
    if (tangent) {
      for (; i + 1 < nIn; i += 2) {
        const w0 = tt[row + i], w1 = tt[row + i + 1];
        z0 += X[xo + i] * w0;
        z1 += X[xo + i + 1] * w1;
        z2 += XT[xo + i] * w0;
        z3 += XT[xo + i + 1] * w1;
      }
      if (i < nIn) {
        const w0 = tt[row + i];
        z0 += X[xo + i] * w0;
        z2 += XT[xo + i] * w0;
      }
      Hl[yo + o] = (L.b >= 0 ? th[L.b + o] : 0) + (z0 + z1);
      ZTl[yo + o] = z2 + z3;
    } else {
      for (; i + 3 < nIn; i += 4) {
        z0 += X[xo + i] * tt[row + i];
        z1 += X[xo + i + 1] * tt[row + i + 1];
        z2 += X[xo + i + 2] * tt[row + i + 2];
        z3 += X[xo + i + 3] * tt[row + i + 3];
      }
      for (; i < nIn; i++) z0 += X[xo + i] * tt[row + i];
      Hl[yo + o] = (L.b >= 0 ? th[L.b + o] : 0) + (z0 + z1 + (z2 + z3));
      ZTl[yo + o] = 0;
    }
  }
  for (let o = 0; o < nOut; o++) {
    const h = L.tanh ? Math.tanh(Hl[yo + o]) : Hl[yo + o];
    Hl[yo + o] = h;
    const d1 = L.tanh ? 1 - h * h : 1;
    const idt = L.idt >= 0 ? th[L.idt + o] : 1;
    Y[yo + o] = h * idt;
    YT[yo + o] = tangent ? d1 * ZTl[yo + o] * idt : 0;
  }
  if (L.skip !== 0) {
    for (let o = 0; o < nOut; o++) {
      Y[yo + o] += X[xo + (o % nIn)];
      if (tangent) YT[yo + o] += XT[xo + (o % nIn)];
    }
  }
}

/** Forward of a whole net at entry q (input already in tape.X[0], tape.XT[0]); returns the first output. */
export function netForward(net: NetRef, th: Float64Array, tt: Float64Array, tape: NetTape, q: number, tangent: boolean): number {
  const layers = net.layers;
  for (let l = 0; l < layers.length; l++) denseForward(layers[l], th, tt, tape, l, q, tangent);
  return tape.X[layers.length][q * layers[layers.length - 1].nOut];
}

/**
 * Reverse of layer l at entry q: output adjoints yb = ∂L/∂y, ydb = ∂L/∂ẏ in, input adjoints
 * into xb, xdb (unless !inputAdjoint). The actual tangents are tscale × the taped ones (the
 * embedding tapes unit s-tangents). With `g`, accumulates ∂L/∂θ of the layer into g.
 */
export function denseReverse(
  L: LayerRef, th: Float64Array, g: Float64Array | null, tape: NetTape, l: number, q: number, tscale: number,
  yb: Float64Array, ydb: Float64Array, xb: Float64Array, xdb: Float64Array, zb: Float64Array, zdb: Float64Array,
  inputAdjoint: boolean,
): void {
  const nIn = L.nIn, nOut = L.nOut;
  const yo = q * nOut, xo = q * nIn;
  const Hl = tape.H[l], ZTl = tape.ZT[l];
  const X = tape.X[l], XT = tape.XT[l];
  for (let o = 0; o < nOut; o++) {
    const h = Hl[yo + o];
    const d1 = L.tanh ? 1 - h * h : 1;
    const zd = tscale * ZTl[yo + o];
    const idt = L.idt >= 0 ? th[L.idt + o] : 1;
    if (g && L.idt >= 0) g[L.idt + o] += yb[o] * h + ydb[o] * d1 * zd;
    const hb = yb[o] * idt, hdb = ydb[o] * idt;
    zb[o] = L.tanh ? d1 * hb - 2 * h * d1 * zd * hdb : hb;
    zdb[o] = d1 * hdb;
    if (g && L.b >= 0) g[L.b + o] += zb[o];
  }
  if (!inputAdjoint) {
    if (g) {
      for (let i = 0; i < nIn; i++) {
        const xi = X[xo + i], xdi = tscale * XT[xo + i];
        const row = L.w + i * nOut;
        for (let o = 0; o < nOut; o++) g[row + o] += xi * zb[o] + xdi * zdb[o];
      }
    }
    return;
  }
  for (let i = 0; i < nIn; i++) {
    const row = L.w + i * nOut;
    let sb = 0, sd = 0;
    if (g) {
      const xi = X[xo + i], xdi = tscale * XT[xo + i];
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
}

/**
 * Reverse sweep of a net at entry q with output seeds (gbar, gdbar) = (∂L/∂y, ∂L/∂ẏ). With
 * `inputAdjoint` the adjoints of the net input are left in scratch.xbar / scratch.xdbar (valid
 * until the next sweep). See denseReverse for tscale and g.
 */
export function netReverse(
  net: NetRef, th: Float64Array, g: Float64Array | null, tape: NetTape, q: number, tscale: number,
  gbar: ArrayLike<number>, gdbar: ArrayLike<number>, sc: ReverseScratch, inputAdjoint: boolean,
): void {
  const layers = net.layers;
  let yb = sc.ybar, ydb = sc.ydbar, xb = sc.xbar, xdb = sc.xdbar;
  const nOut = layers[layers.length - 1].nOut;
  for (let a = 0; a < nOut; a++) {
    yb[a] = gbar[a];
    ydb[a] = gdbar[a];
  }
  for (let l = layers.length - 1; l >= 0; l--) {
    const needInput = inputAdjoint || l > 0;
    denseReverse(layers[l], th, g, tape, l, q, tscale, yb, ydb, xb, xdb, sc.zbar, sc.zdbar, needInput);
    if (!needInput) break;
    let t = yb;
    yb = xb;
    xb = t;
    t = ydb;
    ydb = xdb;
    xdb = t;
  }
  // The input adjoints (after the last swap) are in yb/ydb.
  sc.xbar = yb;
  sc.xdbar = ydb;
  sc.ybar = xb;
  sc.ydbar = xdb;
}
