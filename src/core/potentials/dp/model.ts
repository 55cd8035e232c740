/**
 * The DpModel value: one DeePMD-kit v3 "standard" energy model with an `se_e2_a` descriptor and
 * an `ener` fitting, as plain data (numbers, strings, Float64Array weights). It is what the
 * loader (`load.ts`) produces from `.dp`/`.yaml`/`.json`, what the float64 CPU evaluator reads,
 * and what a GPU engine uploads. It round-trips: `deserializeDpModel(serializeDpModel(m))`
 * equals `m` (see load.ts). Spec: docs/dp-se.md §2.
 *
 * Array layout: row-major, shapes stated per field. Units: lengths Å (rcut, rcutSmth,
 * envProtection), energies eV (biases); normalization arrays are in the env-matrix units
 * (1/Å for the radial column, dimensionless otherwise).
 */

/** Any JSON value (used for metadata that is kept only to serialize it back). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** One dense layer `y = act(x @ w + b) [* idt] [+ x | + concat(x, x)]` (docs/dp-se.md §2.6). */
export interface DpLayer {
  /** Input width n_in. */
  nIn: number;
  /** Output width n_out. */
  nOut: number;
  /** Weights, shape [nIn, nOut] row-major: w[i * nOut + o]. */
  w: Float64Array;
  /** Bias, shape [nOut], or null (no bias). */
  b: Float64Array | null;
  /** Timestep ("idt") multiplier of the activated branch, shape [nOut], or null. */
  idt: Float64Array | null;
  /** Activation name as in the file (lower-cased), e.g. "tanh", "none", "gelu", "silut:3.0". */
  activation: string;
  /** Residual skip flag from the file; active only when nOut == nIn or nOut == 2 nIn. */
  resnet: boolean;
  /** numpy dtype name of the stored weights ("float64", "float32", …). */
  precision: string;
  /** Keys of the serialized layer not modelled above (kept for serialization). */
  extra: JsonObject;
}

/** An EmbeddingNetwork or FittingNetwork: a chain of layers (docs/dp-se.md §2.6). */
export interface DpNetwork {
  /** "EmbeddingNetwork" or "FittingNetwork" (the serialized @class). */
  kind: 'EmbeddingNetwork' | 'FittingNetwork';
  inDim: number;
  /** Output width of the last layer. */
  outDim: number;
  layers: DpLayer[];
  /** Other serialized keys (neuron, activation_function, resnet_dt, precision, bias/bias_out, @version). */
  extra: JsonObject;
}

/** A NetworkCollection: networks indexed by type tuples, idx = Σ_m k_m·T^m (docs/dp-se.md §2.5). */
export interface DpNetworkCollection {
  ndim: 0 | 1 | 2;
  ntypes: number;
  networkType: 'embedding_network' | 'fitting_network';
  /** null = excluded pair (embedding with descriptor exclude_types). */
  networks: (DpNetwork | null)[];
  extra: JsonObject;
}

/** The se_e2_a descriptor (docs/dp-se.md §2.4, §3). */
export interface DpDescriptorSeA {
  type: 'se_e2_a';
  /** Cutoff radius rc, Å. */
  rcut: number;
  /** Smoothing start rs, Å. */
  rcutSmth: number;
  /** Max neighbours kept per neighbour type. */
  sel: number[];
  /** nnei = Σ sel (the normalization constant N of §3.6). */
  nnei: number;
  /** sec[t] = first slot of the type-t block; length T+1, sec[T] = nnei. */
  sec: number[];
  /** Embedding widths; M = neuron[neuron.length-1]. */
  neuron: number[];
  /** M< (number of "axis" columns). */
  axisNeuron: number;
  typeOneSide: boolean;
  /** Symmetric list of excluded (center type, neighbour type) pairs. */
  excludeTypes: [number, number][];
  /** env protection p, Å (enters only 1/(r+p)). */
  envProtection: number;
  /** Descriptor precision (numpy dtype name). The CPU evaluator always computes in float64. */
  precision: string;
  /** Normalization mean, shape [T, nnei, 4] row-major: davg[(t * nnei + j) * 4 + k]. */
  davg: Float64Array;
  /** Normalization std (divided by), shape [T, nnei, 4]. */
  dstd: Float64Array;
  /** Embedding nets: ndim 1 → networks[tj] (type_one_side), ndim 2 → networks[ti + T·tj]. */
  embeddings: DpNetworkCollection;
  /** Other serialized keys (resnet_dt, activation_function, set_davg_zero, trainable, spin, env_mat, type_map, @version). */
  extra: JsonObject;
}

/** The `ener` fitting (docs/dp-se.md §2.7, §3.7). */
export interface DpFittingEner {
  type: 'ener';
  ntypes: number;
  /** Descriptor width M·M< (fitting input width; fparam/aparam are rejected by the loader). */
  dimDescrpt: number;
  mixedTypes: boolean;
  precision: string;
  /** Per-type fitting nets (ndim 1): nets.networks[ti]. */
  nets: DpNetworkCollection;
  /** Per-type energy shift added after the net, eV, shape [T, 1] (flat length T). */
  biasAtomE: Float64Array;
  /** Types whose atomic energy is 0 (the file's own list; the model level list is what counts). */
  excludeTypes: number[];
  /** Other serialized keys (and null @variables like fparam_avg). */
  extra: JsonObject;
  /** Keys of the fitting @variables that were null (serialized back as null). */
  nullVariables: string[];
}

/** The whole model (docs/dp-se.md §2.2–2.3). */
export interface DpModel {
  /** Element symbol per type index. */
  typeMap: string[];
  /** T = typeMap.length. */
  ntypes: number;
  descriptor: DpDescriptorSeA;
  fitting: DpFittingEner;
  /** model.@variables.out_bias[0, t, 0], eV, added to the atomic energy; flat length T. */
  outBias: Float64Array;
  /** model.@variables.out_std[0, t, 0]; not used for energies; flat length T. */
  outStd: Float64Array;
  /** Types whose atomic energy is forced to 0. */
  atomExcludeTypes: number[];
  /** Symmetric list of type pairs removed from the neighbour list (become padding). */
  pairExcludeTypes: [number, number][];
  /** Other keys of `model` (rcond, preset_out_bias, @version, …). */
  modelExtra: JsonObject;
  /** Top-level keys other than `model` (backend, software, version, time, model_def_script, …). */
  meta: JsonObject;
}

/** Embedding width M (last embedding layer). */
export function embeddingWidth(d: DpDescriptorSeA): number {
  return d.neuron[d.neuron.length - 1];
}

/** Index of the embedding network for a (center type ti, neighbour type tj) pair (docs/dp-se.md §2.5, pitfall 4). */
export function embeddingIndex(d: DpDescriptorSeA, ntypes: number, ti: number, tj: number): number {
  return d.embeddings.ndim === 2 ? ti + ntypes * tj : d.embeddings.ndim === 1 ? tj : 0;
}

/** Type index of each symbol in the model's type_map; throws naming the first unknown species. */
export function mapSpeciesToTypes(model: Pick<DpModel, 'typeMap'>, symbols: readonly string[]): Int32Array {
  const index = new Map(model.typeMap.map((s, i) => [s, i] as const));
  const types = new Int32Array(symbols.length);
  for (let i = 0; i < symbols.length; i++) {
    const t = index.get(symbols[i]);
    if (t === undefined) {
      throw new Error(`species '${symbols[i]}' (atom ${i}) is not in the model's type_map [${model.typeMap.join(', ')}]`);
    }
    types[i] = t;
  }
  return types;
}

/** davg/dstd of (center type ti, slot j): 4 values each (davg in env-matrix units; dstd is divided by). */
export function slotStats(d: DpDescriptorSeA, ti: number, slot: number): { avg: Float64Array; std: Float64Array } {
  const o = (ti * d.nnei + slot) * 4;
  return { avg: d.davg.slice(o, o + 4), std: d.dstd.slice(o, o + 4) };
}

/**
 * True when davg/dstd are constant over the slots of every (center type, neighbour-type block) —
 * the case for every model DeePMD-kit trains — so a GPU engine may upload T×T×4 values instead of
 * T×nnei×4 and treat padding slots of a block as identical.
 */
export function statsUniformPerBlock(d: DpDescriptorSeA, ntypes: number): boolean {
  for (let ti = 0; ti < ntypes; ti++) {
    for (let t = 0; t < ntypes; t++) {
      const first = (ti * d.nnei + d.sec[t]) * 4;
      for (let j = d.sec[t] + 1; j < d.sec[t + 1]; j++) {
        const o = (ti * d.nnei + j) * 4;
        for (let k = 0; k < 4; k++) if (d.davg[o + k] !== d.davg[first + k] || d.dstd[o + k] !== d.dstd[first + k]) return false;
      }
    }
  }
  return true;
}

/** Normalized row of a padding slot, R_pad = −davg/dstd (docs/dp-se.md §3.4, pitfall 1): fed through the embedding net too. */
export function paddingRow(d: DpDescriptorSeA, ti: number, slot: number): Float64Array {
  const o = (ti * d.nnei + slot) * 4;
  return Float64Array.from([0, 1, 2, 3], (k) => -d.davg[o + k] / d.dstd[o + k]);
}
