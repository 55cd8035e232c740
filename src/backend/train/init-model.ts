/**
 * A fresh DP-SE (se_e2_a + ener) model in DeePMD-kit v3's serialized layout: tanh networks,
 * resnet skips where widths allow (DeePMD's embedding/fitting convention), no timestep (idt),
 * weights drawn from N(0, 1/(n_in + n_out)) with a seeded generator, statistics and biases filled
 * in by the caller (stats.ts). Lengths Å, energies eV.
 */
import { Rng } from '../../core/random.ts';
import type { DpModel, JsonObject, JsonValue } from '../../core/potentials/dp/model.ts';
import { decodeJsonModel } from '../../core/potentials/dp/format.ts';
import { deserializeDpModel } from '../../core/potentials/dp/load.ts';

export interface DpSeArchitecture {
  typeMap: string[];
  /** Max neighbours per neighbour type. */
  sel: number[];
  /** Cutoff and smoothing start, Å. */
  rcut: number;
  rcutSmth: number;
  /** Embedding widths, e.g. [25, 50, 100]. */
  embedding: number[];
  /** Fitting hidden widths, e.g. [240, 240, 240]. */
  fitting: number[];
  axisNeuron: number;
}

const arr = (value: JsonValue): JsonValue => ({ '@class': 'np.ndarray', '@is_variable': true, '@version': 1, dtype: 'float64', value });

function nested(shape: number[], f: () => number): JsonValue {
  const build = (d: number): JsonValue => (d === shape.length ? f() : Array.from({ length: shape[d] }, () => build(d + 1)));
  return build(0);
}

function layer(nIn: number, nOut: number, act: string, resnet: boolean, rng: Rng): JsonObject {
  const sd = 1 / Math.sqrt(nIn + nOut);
  return {
    '@class': 'Layer', '@version': 1, activation_function: act, bias: true, precision: 'float64', resnet, use_timestep: false,
    '@variables': { w: arr(nested([nIn, nOut], () => sd * rng.normal())), b: arr(nested([nOut], () => rng.normal())), idt: null },
  };
}

/** The v3 serialization dict of a freshly initialised model (davg 0, dstd 1, biases 0). */
export function initialModelDict(a: DpSeArchitecture, seed: number): JsonObject {
  const rng = new Rng(seed);
  const T = a.typeMap.length;
  const M = a.embedding[a.embedding.length - 1];
  const dim = M * a.axisNeuron;
  const nnei = a.sel.reduce((x, y) => x + y, 0);
  const embNet = (): JsonObject => {
    const widths = [1, ...a.embedding];
    return {
      '@class': 'EmbeddingNetwork', '@version': 2, in_dim: 1, neuron: a.embedding, activation_function: 'tanh',
      resnet_dt: false, bias: true, precision: 'float64',
      layers: a.embedding.map((n, l) => layer(widths[l], n, 'tanh', true, rng)),
    };
  };
  const fitNet = (): JsonObject => {
    const widths = [dim, ...a.fitting];
    return {
      '@class': 'FittingNetwork', '@version': 1, in_dim: dim, out_dim: 1, neuron: a.fitting, activation_function: 'tanh',
      resnet_dt: false, bias_out: true, precision: 'float64',
      layers: [...a.fitting.map((n, l) => layer(widths[l], n, 'tanh', true, rng)), layer(a.fitting[a.fitting.length - 1], 1, 'none', false, rng)],
    };
  };
  const stats = (v: number[]): JsonValue => arr(Array.from({ length: T }, () => Array.from({ length: nnei }, () => [...v])));
  return {
    backend: 'nanostudio', software: 'nanostudio', version: '0.1.0', time: new Date().toISOString(),
    model_def_script: { type_map: a.typeMap, descriptor: { type: 'se_e2_a', sel: a.sel, rcut: a.rcut, rcut_smth: a.rcutSmth, neuron: a.embedding, axis_neuron: a.axisNeuron }, fitting_net: { neuron: a.fitting } },
    model: {
      '@class': 'Model', type: 'standard', '@version': 2, type_map: a.typeMap, atom_exclude_types: [], pair_exclude_types: [],
      rcond: null, preset_out_bias: null,
      '@variables': { out_bias: arr([a.typeMap.map(() => [0])]), out_std: arr([a.typeMap.map(() => [1])]) },
      descriptor: {
        '@class': 'Descriptor', type: 'se_e2_a', '@version': 2, rcut: a.rcut, rcut_smth: a.rcutSmth, sel: a.sel, neuron: a.embedding,
        axis_neuron: a.axisNeuron, resnet_dt: false, type_one_side: false, activation_function: 'tanh', precision: 'float64',
        exclude_types: [], env_protection: 0, set_davg_zero: false, trainable: true, spin: null, type_map: a.typeMap,
        env_mat: { rcut: a.rcut, rcut_smth: a.rcutSmth },
        embeddings: { '@class': 'NetworkCollection', '@version': 1, ndim: 2, ntypes: T, network_type: 'embedding_network', networks: Array.from({ length: T * T }, embNet) },
        '@variables': { davg: stats([0, 0, 0, 0]), dstd: stats([1, 1, 1, 1]) },
      },
      fitting: {
        '@class': 'Fitting', type: 'ener', '@version': 2, var_name: 'energy', ntypes: T, dim_descrpt: dim, dim_out: 1, neuron: a.fitting,
        resnet_dt: false, numb_fparam: 0, numb_aparam: 0, mixed_types: false, activation_function: 'tanh', precision: 'float64', rcond: null,
        exclude_types: [], atom_ener: null, tot_ener_zero: false, trainable: [true], layer_name: null, use_aparam_as_mask: false, spin: null,
        type_map: a.typeMap,
        nets: { '@class': 'NetworkCollection', '@version': 1, ndim: 1, ntypes: T, network_type: 'fitting_network', networks: Array.from({ length: T }, fitNet) },
        '@variables': { bias_atom_e: arr(a.typeMap.map(() => [0])), fparam_avg: null, fparam_inv_std: null, aparam_avg: null, aparam_inv_std: null },
      },
    },
  };
}

/** Initialised DpModel value (parsed and validated by the DP loader). */
export function initialModel(a: DpSeArchitecture, seed: number): DpModel {
  return deserializeDpModel(decodeJsonModel(JSON.stringify(initialModelDict(a, seed))), { onWarning: () => {} });
}
