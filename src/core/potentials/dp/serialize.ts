/**
 * DpModel → DeePMD-kit v3 serialization dict (the tree `dp convert-backend` writes as `.json`/`.yaml`,
 * docs/dp-se.md §2), the inverse of `deserializeDpModel`: `deserializeDpModel(reviveArrays(serializeDpModel(m)))`
 * reproduces `m`. Arrays become `{"@class": "np.ndarray", "@is_variable": true, "@version": 1, dtype, value}`.
 */
import type { DpDescriptorSeA, DpFittingEner, DpLayer, DpModel, DpNetwork, DpNetworkCollection, JsonObject, JsonValue } from './model.ts';
import { NdArray, ndArrayToJson } from './format.ts';

function arr(dtype: string, shape: number[], data: Float64Array): JsonValue {
  return ndArrayToJson(new NdArray(dtype, shape, data));
}

function layerToDict(l: DpLayer): JsonObject {
  return {
    '@class': 'Layer',
    ...l.extra,
    activation_function: l.activation,
    resnet: l.resnet,
    precision: l.precision,
    '@variables': {
      w: arr(l.precision, [l.nIn, l.nOut], l.w),
      b: l.b ? arr(l.precision, [l.nOut], l.b) : null,
      idt: l.idt ? arr(l.precision, [l.nOut], l.idt) : null,
    },
  };
}

function networkToDict(n: DpNetwork): JsonObject {
  return { '@class': n.kind, ...n.extra, in_dim: n.inDim, layers: n.layers.map(layerToDict) };
}

function collectionToDict(c: DpNetworkCollection): JsonObject {
  return {
    '@class': 'NetworkCollection',
    '@version': 1,
    ...c.extra,
    ndim: c.ndim,
    ntypes: c.ntypes,
    network_type: c.networkType,
    networks: c.networks.map((n) => (n ? networkToDict(n) : null)),
  };
}

/** Pairs as written by DeePMD-kit: each unordered pair once (a ≤ b). */
function pairsToJson(pairs: [number, number][]): JsonValue {
  return pairs.filter(([a, b]) => a <= b).map(([a, b]) => [a, b]);
}

function descriptorToDict(d: DpDescriptorSeA, ntypes: number): JsonObject {
  return {
    '@class': 'Descriptor',
    type: d.type,
    ...d.extra,
    rcut: d.rcut,
    rcut_smth: d.rcutSmth,
    sel: [...d.sel],
    neuron: [...d.neuron],
    axis_neuron: d.axisNeuron,
    type_one_side: d.typeOneSide,
    exclude_types: pairsToJson(d.excludeTypes),
    env_protection: d.envProtection,
    precision: d.precision,
    embeddings: collectionToDict(d.embeddings),
    '@variables': {
      davg: arr(d.precision, [ntypes, d.nnei, 4], d.davg),
      dstd: arr(d.precision, [ntypes, d.nnei, 4], d.dstd),
    },
  };
}

function fittingToDict(f: DpFittingEner): JsonObject {
  const vars: JsonObject = {};
  for (const k of f.nullVariables) vars[k] = null;
  vars.bias_atom_e = arr(f.precision, [f.ntypes, 1], f.biasAtomE);
  return {
    '@class': 'Fitting',
    type: 'ener',
    ...f.extra,
    ntypes: f.ntypes,
    dim_descrpt: f.dimDescrpt,
    mixed_types: f.mixedTypes,
    precision: f.precision,
    exclude_types: [...f.excludeTypes],
    nets: collectionToDict(f.nets),
    '@variables': vars,
  };
}

/** The v3 serialization dict of a model (top level with `model`, metadata kept from the source file). */
export function serializeDpModel(m: DpModel): JsonObject {
  return {
    '@variables': {},
    ...m.meta,
    model: {
      '@class': 'Model',
      type: 'standard',
      '@version': 2,
      ...m.modelExtra,
      type_map: [...m.typeMap],
      atom_exclude_types: [...m.atomExcludeTypes],
      pair_exclude_types: pairsToJson(m.pairExcludeTypes),
      descriptor: descriptorToDict(m.descriptor, m.ntypes),
      fitting: fittingToDict(m.fitting),
      '@variables': {
        out_bias: arr('float64', [1, m.ntypes, 1], m.outBias),
        out_std: arr('float64', [1, m.ntypes, 1], m.outStd),
      },
    },
  };
}

/** The model as `.json` text (DeePMD-kit reads it with `dp convert-backend` / `DeepPot`). */
export function encodeDpModelJson(m: DpModel): string {
  return JSON.stringify(serializeDpModel(m));
}
