/**
 * The trainer's fixed model data (parameters, statistics, layout) and its reusable scratch.
 * Every pass reads a TrainCore and writes only into a TrainWorkspace (and the gradient).
 */
import type { DpModel } from '../../potentials/dp/model.ts';
import { embeddingWidth } from '../../potentials/dp/model.ts';
import { buildParamLayout, readParams, type ParamLayout } from './param-layout.ts';
import { makeReverseScratch, makeScalarInputTape, makeTape, type NetTape, type ReverseScratch } from './net-tape.ts';

export interface TrainCore {
  model: DpModel;
  layout: ParamLayout;
  T: number;
  /** Embedding width, axis neurons, slots per atom. */
  M: number;
  Ma: number;
  nnei: number;
  /** Per centre type: davg (4) and dstd (4); padding row R_pad = −davg/dstd (4). */
  davg: Float64Array;
  dstd: Float64Array;
  rpad: Float64Array;
  /** bias_atom_e + out_bias per type (eV). */
  bias: Float64Array;
  /** Flat trainable parameters, their transposed-weights copy (refreshed by each forward pass) and the gradient accumulator. */
  theta: Float64Array;
  thetaT: Float64Array;
  grad: Float64Array;
}

/** The core of a model (taken as is: the caller clones it); throws a named error for what the trainer cannot train. */
export function makeTrainCore(model: DpModel): TrainCore {
  const d = model.descriptor;
  if (d.excludeTypes.length || model.pairExcludeTypes.length || model.atomExcludeTypes.length) {
    throw new Error('trainer: models with exclude_types / pair_exclude_types / atom_exclude_types are not supported');
  }
  if (model.fitting.mixedTypes) throw new Error('trainer: mixed_types fitting is not supported');
  const T = model.ntypes;
  const davg = new Float64Array(4 * T), dstd = new Float64Array(4 * T), rpad = new Float64Array(4 * T);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < 4; k++) {
      const a0 = d.davg[t * d.nnei * 4 + k], s0 = d.dstd[t * d.nnei * 4 + k];
      for (let j = 1; j < d.nnei; j++) {
        if (d.davg[(t * d.nnei + j) * 4 + k] !== a0 || d.dstd[(t * d.nnei + j) * 4 + k] !== s0) {
          throw new Error('trainer: davg/dstd must be constant over neighbour slots (as DeePMD statistics are)');
        }
      }
      davg[4 * t + k] = a0;
      dstd[4 * t + k] = s0;
      rpad[4 * t + k] = -a0 / s0;
    }
  }
  const bias = new Float64Array(T);
  for (let t = 0; t < T; t++) bias[t] = model.fitting.biasAtomE[t] + model.outBias[t];
  const layout = buildParamLayout(model);
  const theta = new Float64Array(layout.size);
  readParams(layout, model, theta);
  return {
    model, layout, T, M: embeddingWidth(d), Ma: d.axisNeuron, nnei: d.nnei, davg, dstd, rpad, bias,
    theta, thetaT: new Float64Array(layout.size), grad: new Float64Array(layout.size),
  };
}

export interface TrainWorkspace {
  /** Capacity (neighbour entries) of the per-entry caches. */
  cap: number;
  /** Per entry q: normalised env row R (4), r, sw, dsw/dr. */
  cR: Float64Array;
  cr: Float64Array;
  csw: Float64Array;
  cdsw: Float64Array;
  /** Embedding tape, one entry per neighbour entry (input s = R_0 with unit tangent). */
  emb: NetTape;
  /** Embedding tape of one padding row. */
  pad: NetTape;
  /** Padding embedding outputs and their adjoints per (centre type, neighbour type): [(ti·T + t)·M]. */
  padG: Float64Array;
  padAdj: Float64Array;
  /** gr of every atom (M × 4 each), forces (3N), env-row tangents Ṙ of one atom (4 per entry). */
  grAll: Float64Array;
  forces: Float64Array;
  Rd: Float64Array;
  /** ġr, ḡr, ġr̄ (M × 4) and the embedding output seeds Ḡ, Ġ̄ (M) of one atom. */
  grt: Float64Array;
  grbar: Float64Array;
  grtbar: Float64Array;
  Gbar: Float64Array;
  Gdbar: Float64Array;
  /** Fitting tape (one entry; X[0] = D, XT[0] = Ḋ). */
  fit: NetTape;
  rev: ReverseScratch;
  e4: Float64Array;
  sw2: Float64Array;
  g3: Float64Array;
}

export function makeWorkspace(core: TrainCore): TrainWorkspace {
  const { T, M, Ma } = core;
  const { embWidths, fitWidths } = core.layout;
  const dim = M * Ma;
  return {
    cap: 0, cR: new Float64Array(0), cr: new Float64Array(0), csw: new Float64Array(0), cdsw: new Float64Array(0),
    emb: makeScalarInputTape(embWidths, 0), pad: makeScalarInputTape(embWidths, 1),
    padG: new Float64Array(T * T * M), padAdj: new Float64Array(T * T * M),
    grAll: new Float64Array(0), forces: new Float64Array(0), Rd: new Float64Array(0),
    grt: new Float64Array(4 * M), grbar: new Float64Array(4 * M), grtbar: new Float64Array(4 * M),
    Gbar: new Float64Array(M), Gdbar: new Float64Array(M),
    fit: makeTape([dim, ...fitWidths], 1),
    rev: makeReverseScratch(Math.max(dim, ...embWidths, ...fitWidths, 1)),
    e4: new Float64Array(4), sw2: new Float64Array(2), g3: new Float64Array(3),
  };
}

/** Grow the caches for a frame with `entries` neighbour entries, `atoms` atoms and at most `maxEntries` per atom. */
export function ensureCapacity(core: TrainCore, ws: TrainWorkspace, entries: number, atoms: number, maxEntries: number): void {
  if (entries > ws.cap) {
    const cap = Math.ceil(entries * 1.25) + 16;
    ws.cap = cap;
    ws.cR = new Float64Array(4 * cap);
    ws.cr = new Float64Array(cap);
    ws.csw = new Float64Array(cap);
    ws.cdsw = new Float64Array(cap);
    ws.emb = makeScalarInputTape(core.layout.embWidths, cap);
  }
  if (ws.grAll.length < atoms * 4 * core.M) ws.grAll = new Float64Array(atoms * 4 * core.M);
  if (ws.forces.length < 3 * atoms) ws.forces = new Float64Array(3 * atoms);
  if (ws.Rd.length < 4 * maxEntries) ws.Rd = new Float64Array(4 * Math.max(1, maxEntries));
}
