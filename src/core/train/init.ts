/**
 * A freshly initialised se_e2_a + ener DpModel, laid out exactly as DeePMD-kit v3 (PyTorch
 * backend) serializes a model it trained, so it round-trips through serializeDpModel →
 * deserializeDpModel / loadDpModel.
 *
 * Initialisation as DeePMD-kit's MLPLayer (deepmd/pt/model/network/mlp.py, read, not copied):
 *   w ~ N(0, 1/√(n_in + n_out)),  b ~ N(0, 1),  idt ~ N(0.1, 0.001)
 * with idt present only when resnet_dt is set and the skip is active (n_out = n_in or 2 n_in).
 * Every embedding layer and hidden fitting layer has resnet = true; the last fitting layer is
 * linear (1 output, no skip). The per-type energy shift goes to model out_bias (as the v3 PyTorch
 * backend does); bias_atom_e stays 0. davg = 0 and dstd = 1 until statistics are set.
 */
import { Rng } from '../random.ts';
import type { DpLayer, DpModel, DpNetwork, JsonObject } from '../potentials/dp/model.ts';
import type { DpArchitecture } from './types.ts';

/** An architecture whose sel is numeric. */
export type ResolvedArchitecture = DpArchitecture & { sel: number[] };

function checkArch(a: DpArchitecture): asserts a is ResolvedArchitecture {
  const T = a.typeMap.length;
  if (T < 1) throw new Error('architecture: typeMap is empty');
  if (!Array.isArray(a.sel)) throw new Error(`architecture: sel '${a.sel}' must be resolved to numbers first (resolveAutoSel)`);
  if (a.sel.length !== T) throw new Error(`architecture: sel has ${a.sel.length} entries, typeMap has ${T}`);
  if (a.sel.some((s) => !Number.isInteger(s) || s < 0)) throw new Error('architecture: sel entries must be non-negative integers');
  if (!(a.rcut > 0) || !(a.rcutSmth >= 0) || !(a.rcutSmth < a.rcut)) throw new Error(`architecture: need 0 ≤ rcutSmth < rcut, got ${a.rcutSmth}, ${a.rcut}`);
  if (a.embedding.length === 0 || a.embedding.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('architecture: embedding widths must be positive integers');
  if (a.fitting.length === 0 || a.fitting.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('architecture: fitting widths must be positive integers');
  const M = a.embedding[a.embedding.length - 1];
  if (!Number.isInteger(a.axisNeuron) || a.axisNeuron < 1 || a.axisNeuron > M) throw new Error(`architecture: axisNeuron must be in 1..${M}, got ${a.axisNeuron}`);
  if ((a.activation ?? 'tanh') !== 'tanh') throw new Error(`architecture: activation '${a.activation}' is not supported by the trainer (tanh only)`);
}

function layer(rng: Rng, nIn: number, nOut: number, activation: string, resnet: boolean, resnetDt: boolean): DpLayer {
  const skip = resnet && (nOut === nIn || nOut === 2 * nIn);
  const useIdt = resnetDt && skip;
  const sw = 1 / Math.sqrt(nIn + nOut);
  const w = new Float64Array(nIn * nOut);
  for (let i = 0; i < w.length; i++) w[i] = rng.normal() * sw;
  const b = new Float64Array(nOut);
  for (let i = 0; i < nOut; i++) b[i] = rng.normal();
  let idt: Float64Array | null = null;
  if (useIdt) {
    idt = new Float64Array(nOut);
    for (let i = 0; i < nOut; i++) idt[i] = 0.1 + 0.001 * rng.normal();
  }
  return {
    nIn, nOut, w, b, idt, activation, resnet, precision: 'float64',
    extra: { '@version': 1, bias: true, use_timestep: useIdt },
  };
}

function embeddingNet(rng: Rng, a: ResolvedArchitecture): DpNetwork {
  const widths = [1, ...a.embedding];
  const resnetDt = a.embeddingResnetDt ?? false;
  return {
    kind: 'EmbeddingNetwork', inDim: 1, outDim: a.embedding[a.embedding.length - 1],
    layers: a.embedding.map((n, l) => layer(rng, widths[l], n, 'tanh', true, resnetDt)),
    extra: { '@version': 2, neuron: [...a.embedding], activation_function: 'tanh', resnet_dt: resnetDt, bias: true, precision: 'float64' },
  };
}

function fittingNet(rng: Rng, a: ResolvedArchitecture, dim: number): DpNetwork {
  const widths = [dim, ...a.fitting];
  const resnetDt = a.fittingResnetDt ?? true;
  return {
    kind: 'FittingNetwork', inDim: dim, outDim: 1,
    layers: [
      ...a.fitting.map((n, l) => layer(rng, widths[l], n, 'tanh', true, resnetDt)),
      layer(rng, a.fitting[a.fitting.length - 1], 1, 'none', false, false),
    ],
    extra: {
      '@version': 1, out_dim: 1, neuron: [...a.fitting], activation_function: 'tanh', resnet_dt: resnetDt,
      bias_out: true, precision: 'float64',
    },
  };
}

/** The DeePMD-kit input (`model` section) of an architecture, kept as model_def_script. */
export function modelDefScript(a: DpArchitecture): JsonObject {
  return {
    type_map: [...a.typeMap],
    descriptor: {
      type: 'se_e2_a', rcut: a.rcut, rcut_smth: a.rcutSmth, sel: Array.isArray(a.sel) ? [...a.sel] : a.sel, neuron: [...a.embedding],
      axis_neuron: a.axisNeuron, resnet_dt: a.embeddingResnetDt ?? false, type_one_side: a.typeOneSide ?? false,
      activation_function: 'tanh', precision: 'float64',
    },
    fitting_net: { type: 'ener', neuron: [...a.fitting], resnet_dt: a.fittingResnetDt ?? true, activation_function: 'tanh', precision: 'float64' },
  };
}

/**
 * A new model with random weights for an architecture (seeded: same seed ⇒ same weights).
 * Statistics are neutral (davg 0, dstd 1, out_bias 0) until `setEnvStats` / `setEnergyBias`.
 * Lengths Å, energies eV.
 */
export function initDpModel(a: DpArchitecture, seed: number): DpModel {
  checkArch(a);
  const rng = new Rng(seed);
  const T = a.typeMap.length;
  const tos = a.typeOneSide ?? false;
  const M = a.embedding[a.embedding.length - 1];
  const dim = M * a.axisNeuron;
  const nnei = a.sel.reduce((x, y) => x + y, 0);
  const sec = [0];
  for (const s of a.sel) sec.push(sec[sec.length - 1] + s);
  const nEmb = tos ? T : T * T;
  const embeddings = Array.from({ length: nEmb }, () => embeddingNet(rng, a));
  const fits = Array.from({ length: T }, () => fittingNet(rng, a, dim));
  const dstd = new Float64Array(T * nnei * 4).fill(1);
  const typeMap = [...a.typeMap];
  return {
    typeMap, ntypes: T,
    descriptor: {
      type: 'se_e2_a', rcut: a.rcut, rcutSmth: a.rcutSmth, sel: [...a.sel], nnei, sec,
      neuron: [...a.embedding], axisNeuron: a.axisNeuron, typeOneSide: tos, excludeTypes: [], envProtection: 0,
      precision: 'float64', davg: new Float64Array(T * nnei * 4), dstd,
      embeddings: { ndim: tos ? 1 : 2, ntypes: T, networkType: 'embedding_network', networks: embeddings, extra: {} },
      extra: {
        '@version': 2, resnet_dt: a.embeddingResnetDt ?? false, activation_function: 'tanh', set_davg_zero: false,
        trainable: true, spin: null, type_map: [...typeMap], env_mat: { rcut: a.rcut, rcut_smth: a.rcutSmth },
      },
    },
    fitting: {
      type: 'ener', ntypes: T, dimDescrpt: dim, mixedTypes: false, precision: 'float64',
      nets: { ndim: 1, ntypes: T, networkType: 'fitting_network', networks: fits, extra: {} },
      biasAtomE: new Float64Array(T), excludeTypes: [],
      nullVariables: ['fparam_avg', 'fparam_inv_std', 'aparam_avg', 'aparam_inv_std'],
      extra: {
        '@version': 2, var_name: 'energy', dim_out: 1, neuron: [...a.fitting], resnet_dt: a.fittingResnetDt ?? true,
        numb_fparam: 0, numb_aparam: 0, activation_function: 'tanh', rcond: null, tot_ener_zero: false,
        trainable: Array.from({ length: a.fitting.length + 1 }, () => true), layer_name: null,
        use_aparam_as_mask: false, spin: null, atom_ener: [], type_map: [...typeMap],
      },
    },
    outBias: new Float64Array(T), outStd: new Float64Array(T).fill(1),
    atomExcludeTypes: [], pairExcludeTypes: [],
    modelExtra: { rcond: null, preset_out_bias: null },
    meta: {
      backend: 'nanostudio', software: 'nanostudio', version: '0.1.0',
      model_def_script: modelDefScript(a),
    },
  };
}

/** Deep copy of a model (fresh arrays; metadata cloned). */
export function cloneDpModel(m: DpModel): DpModel {
  const cloneNet = (n: DpNetwork | null): DpNetwork | null => n && {
    ...n,
    layers: n.layers.map((l) => ({ ...l, w: l.w.slice(), b: l.b ? l.b.slice() : null, idt: l.idt ? l.idt.slice() : null, extra: structuredClone(l.extra) })),
    extra: structuredClone(n.extra),
  };
  const d = m.descriptor, f = m.fitting;
  return {
    ...m,
    typeMap: [...m.typeMap],
    descriptor: {
      ...d, sel: [...d.sel], sec: [...d.sec], neuron: [...d.neuron], excludeTypes: d.excludeTypes.map(([a, b]) => [a, b]),
      davg: d.davg.slice(), dstd: d.dstd.slice(),
      embeddings: { ...d.embeddings, networks: d.embeddings.networks.map(cloneNet), extra: structuredClone(d.embeddings.extra) },
      extra: structuredClone(d.extra),
    },
    fitting: {
      ...f, nets: { ...f.nets, networks: f.nets.networks.map(cloneNet), extra: structuredClone(f.nets.extra) },
      biasAtomE: f.biasAtomE.slice(), excludeTypes: [...f.excludeTypes], nullVariables: [...f.nullVariables], extra: structuredClone(f.extra),
    },
    outBias: m.outBias.slice(), outStd: m.outStd.slice(),
    atomExcludeTypes: [...m.atomExcludeTypes], pairExcludeTypes: m.pairExcludeTypes.map(([a, b]) => [a, b]),
    modelExtra: structuredClone(m.modelExtra), meta: structuredClone(m.meta),
  };
}
