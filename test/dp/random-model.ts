/**
 * Random se_e2_a models in DeePMD-kit v3's serialized layout (as `dp convert-backend` writes
 * them), for testing every supported variant: type_one_side true/false, resnet with equal and
 * doubled widths, idt timesteps, all activations, exclusions, biases, env_protection, sel.
 * Per-slot davg/dstd vary (to catch slot-order mistakes). Not physical models.
 */
import type { JsonObject, JsonValue } from '../../src/core/potentials/dp/model.ts';

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 4294967296);
}

function nd(shape: number[], f: () => number): JsonValue {
  const build = (d: number): JsonValue => (d === shape.length ? f() : Array.from({ length: shape[d] }, () => build(d + 1)));
  return { '@class': 'np.ndarray', '@is_variable': true, '@version': 1, dtype: 'float64', value: build(0) };
}

export interface RandomModelSpec {
  typeMap: string[];
  sel: number[];
  rcut: number;
  rcutSmth: number;
  neuron: number[];
  axis: number;
  fitting: number[];
  typeOneSide?: boolean;
  activation?: string;
  resnetDt?: boolean;
  fittingResnetDt?: boolean;
  excludeTypes?: [number, number][];
  atomExcludeTypes?: number[];
  pairExcludeTypes?: [number, number][];
  envProtection?: number;
  outBias?: number[];
  biasAtomE?: number[];
  /**
   * davg/dstd layout: 'uniform' (one value per centre type, as every trained DeePMD model),
   * 'per-block' (default: differs per centre type and neighbour-type block) or 'per-slot'
   * (differs per slot: the energy then depends on the order of equidistant neighbours, so only
   * use it on clusters without ties).
   */
  stats?: 'uniform' | 'per-block' | 'per-slot';
  /** One fitting net shared by all types (fitting mixed_types, NetworkCollection ndim 0). */
  mixedTypes?: boolean;
  seed?: number;
}

function layer(nIn: number, nOut: number, act: string, resnet: boolean, useIdt: boolean, rnd: () => number): JsonObject {
  const scale = 1 / Math.sqrt(nIn + nOut);
  const g = () => (rnd() * 2 - 1) * 1.7 * scale;
  const skip = resnet && (nOut === nIn || nOut === 2 * nIn);
  return {
    '@class': 'Layer', '@version': 1, activation_function: act, bias: true, precision: 'float64', resnet,
    use_timestep: useIdt && skip,
    '@variables': { w: nd([nIn, nOut], g), b: nd([nOut], g), idt: useIdt && skip ? nd([nOut], () => 0.1 + 0.2 * rnd()) : null },
  };
}

/** The v3 serialization dict of a random model. */
export function randomModelDict(spec: RandomModelSpec): JsonObject {
  const rnd = seeded(spec.seed ?? 1);
  const T = spec.typeMap.length;
  const act = spec.activation ?? 'tanh';
  const tos = spec.typeOneSide ?? true;
  const M = spec.neuron[spec.neuron.length - 1];
  const dim = M * spec.axis;
  const embNet = (): JsonObject => {
    const widths = [1, ...spec.neuron];
    return {
      '@class': 'EmbeddingNetwork', '@version': 2, in_dim: 1, neuron: spec.neuron, activation_function: act,
      resnet_dt: spec.resnetDt ?? false, bias: true, precision: 'float64',
      layers: spec.neuron.map((n, l) => layer(widths[l], n, act, true, spec.resnetDt ?? false, rnd)),
    };
  };
  const fitNet = (): JsonObject => {
    const widths = [dim, ...spec.fitting];
    return {
      '@class': 'FittingNetwork', '@version': 1, in_dim: dim, out_dim: 1, neuron: spec.fitting, activation_function: act,
      resnet_dt: spec.fittingResnetDt ?? true, bias_out: true, precision: 'float64',
      layers: [
        ...spec.fitting.map((n, l) => layer(widths[l], n, act, true, spec.fittingResnetDt ?? true, rnd)),
        layer(spec.fitting[spec.fitting.length - 1], 1, 'none', false, false, rnd),
      ],
    };
  };
  const nEmb = tos ? T : T * T;
  const mode = spec.stats ?? 'per-block';
  // Values keep the rotation-invariant form of DeePMD statistics: davg = (r, 0, 0, 0), dstd = (s, a, a, a).
  const rowFor = (): [number[], number[]] => {
    const a = 0.05 + 0.1 * rnd();
    return [[0.05 + 0.1 * rnd(), 0, 0, 0], [0.1 + 0.2 * rnd(), a, a, a]];
  };
  const davg: number[][][] = [], dstd: number[][][] = [];
  for (let ti = 0; ti < T; ti++) {
    const tiRow = rowFor();
    const av: number[][] = [], sd: number[][] = [];
    for (let t = 0; t < T; t++) {
      const blockRow = rowFor();
      for (let j = 0; j < spec.sel[t]; j++) {
        const [ra, rs] = mode === 'uniform' ? tiRow : mode === 'per-block' ? blockRow : rowFor();
        av.push(ra);
        sd.push(rs);
      }
    }
    davg.push(av);
    dstd.push(sd);
  }
  const stats = (value: number[][][]): JsonValue => ({ '@class': 'np.ndarray', '@is_variable': true, '@version': 1, dtype: 'float64', value });
  return {
    backend: 'test', software: 'nanostudio-test',
    model: {
      '@class': 'Model', type: 'standard', '@version': 2, type_map: spec.typeMap,
      atom_exclude_types: spec.atomExcludeTypes ?? [], pair_exclude_types: spec.pairExcludeTypes ?? [],
      rcond: null, preset_out_bias: null,
      '@variables': {
        out_bias: { '@class': 'np.ndarray', '@is_variable': true, '@version': 1, dtype: 'float64', value: [(spec.outBias ?? spec.typeMap.map(() => 0)).map((x) => [x])] },
        out_std: { '@class': 'np.ndarray', '@is_variable': true, '@version': 1, dtype: 'float64', value: [spec.typeMap.map(() => [1])] },
      },
      descriptor: {
        '@class': 'Descriptor', type: 'se_e2_a', '@version': 2, rcut: spec.rcut, rcut_smth: spec.rcutSmth, sel: spec.sel,
        neuron: spec.neuron, axis_neuron: spec.axis, resnet_dt: spec.resnetDt ?? false, type_one_side: tos,
        activation_function: act, precision: 'float64', exclude_types: spec.excludeTypes ?? [],
        env_protection: spec.envProtection ?? 0, set_davg_zero: false, trainable: true, spin: null, type_map: spec.typeMap,
        env_mat: { rcut: spec.rcut, rcut_smth: spec.rcutSmth },
        embeddings: {
          '@class': 'NetworkCollection', '@version': 1, ndim: tos ? 1 : 2, ntypes: T, network_type: 'embedding_network',
          networks: Array.from({ length: nEmb }, embNet),
        },
        '@variables': { davg: stats(davg), dstd: stats(dstd) },
      },
      fitting: {
        '@class': 'Fitting', type: 'ener', '@version': 2, var_name: 'energy', ntypes: T, dim_descrpt: dim, dim_out: 1,
        neuron: spec.fitting, resnet_dt: spec.fittingResnetDt ?? true, numb_fparam: 0, numb_aparam: 0, mixed_types: spec.mixedTypes ?? false,
        activation_function: act, precision: 'float64', rcond: null, exclude_types: spec.atomExcludeTypes ?? [], atom_ener: null,
        tot_ener_zero: false, trainable: [true], layer_name: null, use_aparam_as_mask: false, spin: null, type_map: spec.typeMap,
        nets: {
          '@class': 'NetworkCollection', '@version': 1, ndim: spec.mixedTypes ? 0 : 1, ntypes: T, network_type: 'fitting_network',
          networks: Array.from({ length: spec.mixedTypes ? 1 : T }, fitNet),
        },
        '@variables': {
          bias_atom_e: { '@class': 'np.ndarray', '@is_variable': true, '@version': 1, dtype: 'float64', value: (spec.biasAtomE ?? spec.typeMap.map(() => -1)).map((x) => [x]) },
          fparam_avg: null, fparam_inv_std: null, aparam_avg: null, aparam_inv_std: null,
        },
      },
    },
  };
}
