/**
 * Load and validate a DeePMD-kit v3 se_e2_a / ener model (docs/dp-se.md §2) into a DpModel.
 * Everything that cannot be evaluated exactly is rejected with a message naming the problem:
 * unsupported model/descriptor/fitting type or @version, fparam/aparam/case embedding, spin,
 * atom_ener, missing arrays, wrong shapes, non-finite weights, zero dstd, unknown activation
 * or precision.
 */
import { z } from 'zod';
import type {
  DpDescriptorSeA, DpFittingEner, DpLayer, DpModel, DpNetwork, DpNetworkCollection, JsonObject, JsonValue,
} from './model.ts';
import { resolveActivation } from './activation.ts';
import { decodeModelBytes, decodeJsonModel, decodeYamlModel, NdArray, ndArrayToJson, type RawObject, type RawTree } from './format.ts';

export interface DpLoadOptions {
  /** Called with non-fatal remarks (ignored `compress` tables, float32 models evaluated in float64). Default: console.warn. */
  onWarning?: (message: string) => void;
}

const PRECISIONS: Record<string, string> = {
  float64: 'float64', double: 'float64', default: 'float64',
  float32: 'float32', single: 'float32', float: 'float32',
  float16: 'float16', half: 'float16', bfloat16: 'bfloat16',
};

class ModelError extends Error {}

function isObject(t: RawTree | undefined): t is RawObject {
  return t !== null && t !== undefined && typeof t === 'object' && !Array.isArray(t) && !(t instanceof NdArray);
}

/** Convert a raw subtree to plain JSON (arrays become v3 array dicts). */
export function rawToJson(t: RawTree): JsonValue {
  if (t instanceof NdArray) return ndArrayToJson(t);
  if (Array.isArray(t)) return t.map(rawToJson);
  if (t !== null && typeof t === 'object') {
    const o: JsonObject = {};
    for (const [k, v] of Object.entries(t)) o[k] = rawToJson(v);
    return o;
  }
  return t;
}

function obj(t: RawTree | undefined, where: string): RawObject {
  if (!isObject(t)) throw new ModelError(`${where} is missing or not a dict`);
  return t;
}

/** Keys of `o` not in `known`, as JSON. */
function extraOf(o: RawObject, known: string[]): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (!known.includes(k)) out[k] = rawToJson(v);
  return out;
}

function checkVersion(o: RawObject, where: string, min: number, max: number): void {
  const v = o['@version'] ?? 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ModelError(`${where}: unsupported @version ${JSON.stringify(v)} (supported ${min}${max > min ? `..${max}` : ''})`);
  }
}

function zparse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const path = first.path.length ? `${where}.${first.path.map(String).join('.')}` : where;
  throw new ModelError(`${path}: ${first.message}`);
}

function precisionOf(p: unknown, where: string): string {
  if (p === undefined || p === null) return 'float64';
  if (typeof p !== 'string' || !(p.toLowerCase() in PRECISIONS)) throw new ModelError(`${where}: unknown precision ${JSON.stringify(p)}`);
  return PRECISIONS[p.toLowerCase()];
}

/** Fetch a required array, check its shape (−1 = any) and finiteness. */
function array(vars: RawObject, key: string, where: string, shape: number[] | null, opts: { nullable?: boolean } = {}): NdArray | null {
  const a = vars[key];
  if (a === null || a === undefined) {
    if (opts.nullable) return null;
    throw new ModelError(`${where}.@variables.${key}: required array is missing`);
  }
  if (!(a instanceof NdArray)) throw new ModelError(`${where}.@variables.${key}: expected an array`);
  if (shape) {
    const ok = a.shape.length === shape.length && shape.every((s, i) => s < 0 || s === a.shape[i]);
    if (!ok) throw new ModelError(`${where}.@variables.${key}: wrong shape [${a.shape.join(', ')}], expected [${shape.map((s) => (s < 0 ? '*' : s)).join(', ')}]`);
  }
  for (let i = 0; i < a.data.length; i++) {
    if (!Number.isFinite(a.data[i])) throw new ModelError(`${where}.@variables.${key}: non-finite weight ${a.data[i]} at flat index ${i}`);
  }
  return a;
}

// --- networks -------------------------------------------------------------------------------

const layerFields = z.looseObject({
  activation_function: z.string().nullable().optional(),
  resnet: z.boolean().optional(),
  precision: z.string().optional(),
});

function parseLayer(t: RawTree | undefined, where: string): DpLayer {
  const o = obj(t, where);
  if (o['@class'] !== undefined && o['@class'] !== 'Layer') throw new ModelError(`${where}: unsupported layer class ${JSON.stringify(o['@class'])} (only Layer)`);
  checkVersion(o, where, 1, 2);
  const f = zparse(layerFields, rawToJson(o), where);
  const vars = obj(o['@variables'], `${where}.@variables`);
  const w = array(vars, 'w', where, [-1, -1])!;
  const [nIn, nOut] = w.shape;
  const b = array(vars, 'b', where, null, { nullable: true });
  const idt = array(vars, 'idt', where, null, { nullable: true });
  if (b && b.size !== nOut) throw new ModelError(`${where}.@variables.b: wrong shape [${b.shape.join(', ')}], expected [${nOut}]`);
  if (idt && idt.size !== nOut) throw new ModelError(`${where}.@variables.idt: wrong shape [${idt.shape.join(', ')}], expected [${nOut}]`);
  const activation = f.activation_function ?? 'none';
  try {
    resolveActivation(activation);
  } catch (e) {
    throw new ModelError(`${where}: ${(e as Error).message}`);
  }
  return {
    nIn, nOut,
    w: w.data, b: b ? b.data : null, idt: idt ? idt.data : null,
    activation, resnet: f.resnet ?? false,
    precision: precisionOf(f.precision, `${where}.precision`),
    extra: extraOf(o, ['@variables', 'activation_function', 'resnet', 'precision']),
  };
}

function parseNetwork(t: RawTree | undefined, where: string, kind: DpNetwork['kind']): DpNetwork {
  const o = obj(t, where);
  if (o['@class'] !== kind) throw new ModelError(`${where}: expected @class ${kind}, got ${JSON.stringify(o['@class'])}`);
  checkVersion(o, where, 1, kind === 'EmbeddingNetwork' ? 2 : 1);
  const ls = o.layers;
  if (!Array.isArray(ls) || ls.length === 0) throw new ModelError(`${where}.layers: missing or empty`);
  const layers = ls.map((l, i) => parseLayer(l, `${where}.layers[${i}]`));
  const inDim = typeof o.in_dim === 'number' ? o.in_dim : layers[0].nIn;
  let width = inDim;
  layers.forEach((l, i) => {
    if (l.nIn !== width) throw new ModelError(`${where}.layers[${i}].@variables.w: wrong shape [${l.nIn}, ${l.nOut}], expected [${width}, *] (input width)`);
    width = l.nOut;
  });
  return { kind, inDim, outDim: width, layers, extra: extraOf(o, ['layers']) };
}

function parseCollection(t: RawTree | undefined, where: string, ntypes: number, type: DpNetworkCollection['networkType'], kind: DpNetwork['kind']): DpNetworkCollection {
  const o = obj(t, where);
  if (o['@class'] !== undefined && o['@class'] !== 'NetworkCollection') throw new ModelError(`${where}: expected @class NetworkCollection`);
  checkVersion(o, where, 1, 1);
  const ndim = o.ndim;
  if (ndim !== 0 && ndim !== 1 && ndim !== 2) throw new ModelError(`${where}.ndim: must be 0, 1 or 2, got ${JSON.stringify(ndim)}`);
  if (o.ntypes !== undefined && o.ntypes !== ntypes) throw new ModelError(`${where}.ntypes: ${JSON.stringify(o.ntypes)} does not match type_map length ${ntypes}`);
  if (o.network_type !== undefined && o.network_type !== type) throw new ModelError(`${where}.network_type: expected ${type}, got ${JSON.stringify(o.network_type)}`);
  const nets = o.networks;
  const expected = ntypes ** ndim;
  if (!Array.isArray(nets) || nets.length !== expected) {
    throw new ModelError(`${where}.networks: expected ${expected} networks (ntypes^ndim), got ${Array.isArray(nets) ? nets.length : 'none'}`);
  }
  return {
    ndim, ntypes, networkType: type,
    networks: nets.map((n, i) => (n === null ? null : parseNetwork(n, `${where}.networks[${i}]`, kind))),
    extra: extraOf(o, ['ndim', 'ntypes', 'network_type', 'networks']),
  };
}

// --- descriptor -----------------------------------------------------------------------------

const descriptorFields = z.looseObject({
  type: z.string(),
  rcut: z.number().positive(),
  rcut_smth: z.number().min(0),
  sel: z.array(z.number().int().nonnegative()).min(1),
  neuron: z.array(z.number().int().positive()).min(1),
  axis_neuron: z.number().int().positive(),
  type_one_side: z.boolean().optional(),
  exclude_types: z.array(z.tuple([z.number().int(), z.number().int()])).optional(),
  env_protection: z.number().min(0).optional(),
  precision: z.string().optional(),
  spin: z.null().optional(),
  type_map: z.array(z.string()).nullable().optional(),
  env_mat: z.looseObject({ use_exp_switch: z.boolean().optional(), protection: z.number().min(0).optional() }).optional(),
});

function symmetricPairs(pairs: [number, number][], ntypes: number, where: string): [number, number][] {
  const set = new Set<string>();
  const out: [number, number][] = [];
  for (const [a, b] of pairs) {
    if (a < 0 || b < 0 || a >= ntypes || b >= ntypes) throw new ModelError(`${where}: type pair [${a}, ${b}] is out of range 0..${ntypes - 1}`);
    for (const p of [[a, b], [b, a]] as [number, number][]) {
      const k = `${p[0]},${p[1]}`;
      if (!set.has(k)) {
        set.add(k);
        out.push(p);
      }
    }
  }
  return out;
}

function parseDescriptor(t: RawTree | undefined, ntypes: number, typeMap: string[], warn: (m: string) => void): DpDescriptorSeA {
  const where = 'model.descriptor';
  const o = obj(t, where);
  const f = zparse(descriptorFields, rawToJson(o), where);
  if (f.type !== 'se_e2_a' && f.type !== 'se_a') {
    throw new ModelError(`${where}.type: unsupported descriptor type '${f.type}' (nanostudio evaluates se_e2_a only)`);
  }
  checkVersion(o, where, 1, 3);
  if (f.sel.length !== ntypes) throw new ModelError(`${where}.sel: has ${f.sel.length} entries, type_map has ${ntypes} types`);
  if (!(f.rcut > f.rcut_smth)) throw new ModelError(`${where}: rcut_smth (${f.rcut_smth}) must be smaller than rcut (${f.rcut})`);
  if (f.env_mat?.use_exp_switch) throw new ModelError(`${where}.env_mat.use_exp_switch: the exponential switch is not supported`);
  if (f.type_map && f.type_map.join(' ') !== typeMap.join(' ')) throw new ModelError(`${where}.type_map [${f.type_map}] differs from model.type_map [${typeMap}]`);
  const M = f.neuron[f.neuron.length - 1];
  if (f.axis_neuron > M) throw new ModelError(`${where}.axis_neuron: ${f.axis_neuron} exceeds the embedding width ${M}`);
  if (o.compress !== undefined && o.compress !== null) warn(`${where}: 'compress' tables are ignored; the exact embedding networks are evaluated`);
  const typeOneSide = f.type_one_side ?? true;
  const nnei = f.sel.reduce((a, b) => a + b, 0);
  const sec = [0];
  for (const s of f.sel) sec.push(sec[sec.length - 1] + s);
  const vars = obj(o['@variables'], `${where}.@variables`);
  const davg = array(vars, 'davg', where, [ntypes, nnei, 4])!;
  const dstd = array(vars, 'dstd', where, [ntypes, nnei, 4])!;
  const zero = dstd.data.findIndex((x) => x === 0);
  if (zero >= 0) throw new ModelError(`${where}.@variables.dstd: zero standard deviation at flat index ${zero}`);
  const embeddings = parseCollection(o.embeddings, `${where}.embeddings`, ntypes, 'embedding_network', 'EmbeddingNetwork');
  const wantNdim = typeOneSide ? 1 : 2;
  if (embeddings.ndim !== wantNdim) throw new ModelError(`${where}.embeddings.ndim: ${embeddings.ndim} but type_one_side=${typeOneSide} needs ${wantNdim}`);
  const excludeTypes = symmetricPairs(f.exclude_types ?? [], ntypes, `${where}.exclude_types`);
  embeddings.networks.forEach((n, idx) => {
    const w = `${where}.embeddings.networks[${idx}]`;
    if (n === null) {
      const ti = idx % ntypes, tj = Math.floor(idx / ntypes);
      const excluded = wantNdim === 2 && excludeTypes.some(([a, b]) => a === ti && b === tj);
      if (!excluded) throw new ModelError(`${w}: missing embedding network (null) for a pair that is not excluded`);
      return;
    }
    if (n.inDim !== 1 || n.layers[0].nIn !== 1) throw new ModelError(`${w}: embedding input width must be 1, got ${n.layers[0].nIn}`);
    if (n.outDim !== M) throw new ModelError(`${w}: output width ${n.outDim} does not match descriptor.neuron[-1] = ${M}`);
  });
  const precision = precisionOf(f.precision, `${where}.precision`);
  return {
    type: 'se_e2_a', rcut: f.rcut, rcutSmth: f.rcut_smth, sel: [...f.sel], nnei, sec,
    neuron: [...f.neuron], axisNeuron: f.axis_neuron, typeOneSide, excludeTypes,
    envProtection: f.env_protection ?? f.env_mat?.protection ?? 0, precision,
    davg: davg.data, dstd: dstd.data, embeddings,
    extra: extraOf(o, ['type', 'rcut', 'rcut_smth', 'sel', 'neuron', 'axis_neuron', 'type_one_side', 'exclude_types', 'env_protection', 'precision', 'embeddings', '@variables']),
  };
}

// --- fitting --------------------------------------------------------------------------------

const fittingFields = z.looseObject({
  type: z.string(),
  ntypes: z.number().int().positive().optional(),
  dim_descrpt: z.number().int().positive(),
  dim_out: z.number().int().optional(),
  numb_fparam: z.number().int().nonnegative().optional(),
  numb_aparam: z.number().int().nonnegative().optional(),
  dim_case_embd: z.number().int().nonnegative().optional(),
  mixed_types: z.boolean().optional(),
  precision: z.string().optional(),
  exclude_types: z.array(z.number().int()).optional(),
  atom_ener: z.array(z.number().nullable()).nullable().optional(),
  spin: z.null().optional(),
});

function parseFitting(t: RawTree | undefined, ntypes: number, dimDescrpt: number): DpFittingEner {
  const where = 'model.fitting';
  const o = obj(t, where);
  const f = zparse(fittingFields, rawToJson(o), where);
  if (f.type !== 'ener') throw new ModelError(`${where}.type: unsupported fitting type '${f.type}' (nanostudio evaluates ener only)`);
  checkVersion(o, where, 1, 4);
  if ((f.numb_fparam ?? 0) > 0) throw new ModelError(`${where}.numb_fparam: the model requires ${f.numb_fparam} frame parameters (fparam), which nanostudio does not provide`);
  if ((f.numb_aparam ?? 0) > 0) throw new ModelError(`${where}.numb_aparam: the model requires ${f.numb_aparam} atomic parameters (aparam), which nanostudio does not provide`);
  if ((f.dim_case_embd ?? 0) > 0) throw new ModelError(`${where}.dim_case_embd: case embeddings (multi-task models) are not supported`);
  if (f.ntypes !== undefined && f.ntypes !== ntypes) throw new ModelError(`${where}.ntypes: ${f.ntypes} does not match type_map length ${ntypes}`);
  if (f.dim_out !== undefined && f.dim_out !== 1) throw new ModelError(`${where}.dim_out: must be 1 for an energy fitting, got ${f.dim_out}`);
  if (f.dim_descrpt !== dimDescrpt) throw new ModelError(`${where}.dim_descrpt: ${f.dim_descrpt} but the descriptor produces neuron[-1]·axis_neuron = ${dimDescrpt}`);
  if (f.atom_ener && f.atom_ener.some((x) => x !== null)) throw new ModelError(`${where}.atom_ener: vacuum-energy removal (atom_ener) is not supported`);
  const mixedTypes = f.mixed_types ?? false;
  const nets = parseCollection(o.nets, `${where}.nets`, ntypes, 'fitting_network', 'FittingNetwork');
  const wantNdim = mixedTypes ? 0 : 1;
  if (nets.ndim !== wantNdim) throw new ModelError(`${where}.nets.ndim: ${nets.ndim} but mixed_types=${mixedTypes} needs ${wantNdim}`);
  nets.networks.forEach((n, i) => {
    const w = `${where}.nets.networks[${i}]`;
    if (n === null) throw new ModelError(`${w}: missing fitting network`);
    if (n.inDim !== dimDescrpt) throw new ModelError(`${w}: input width ${n.inDim} does not match dim_descrpt ${dimDescrpt}`);
    if (n.outDim !== 1) throw new ModelError(`${w}: output width ${n.outDim}, expected 1`);
  });
  const vars = obj(o['@variables'], `${where}.@variables`);
  const bias = array(vars, 'bias_atom_e', where, null)!;
  if (bias.size !== ntypes) throw new ModelError(`${where}.@variables.bias_atom_e: wrong shape [${bias.shape.join(', ')}], expected [${ntypes}, 1]`);
  const nullVariables = Object.entries(vars).filter(([k, v]) => k !== 'bias_atom_e' && v === null).map(([k]) => k);
  for (const [k, v] of Object.entries(vars)) {
    if (k !== 'bias_atom_e' && v !== null) throw new ModelError(`${where}.@variables.${k}: unsupported fitting variable (only bias_atom_e is evaluated)`);
  }
  return {
    type: 'ener', ntypes, dimDescrpt, mixedTypes,
    precision: precisionOf(f.precision, `${where}.precision`),
    nets, biasAtomE: bias.data, excludeTypes: [...(f.exclude_types ?? [])], nullVariables,
    extra: extraOf(o, ['type', 'ntypes', 'dim_descrpt', 'mixed_types', 'precision', 'exclude_types', 'nets', '@variables']),
  };
}

// --- model ----------------------------------------------------------------------------------

const modelFields = z.looseObject({
  type: z.string(),
  type_map: z.array(z.string()).min(1),
  atom_exclude_types: z.array(z.number().int()).optional(),
  pair_exclude_types: z.array(z.tuple([z.number().int(), z.number().int()])).optional(),
});

/**
 * Build a validated DpModel from a decoded model dict (the v3 serialization: the top level has
 * `model`; a bare `model` dict is accepted too). Throws an Error naming the problem.
 */
export function deserializeDpModel(root: RawObject, opts: DpLoadOptions = {}): DpModel {
  const warn = opts.onWarning ?? ((m: string) => console.warn(`warning: ${m}`));
  try {
    const hasWrapper = isObject(root.model);
    const m = hasWrapper ? obj(root.model, 'model') : root;
    if (m['@class'] !== undefined && m['@class'] !== 'Model') throw new ModelError(`model.@class: expected Model, got ${JSON.stringify(m['@class'])}`);
    const f = zparse(modelFields, rawToJson(extraOf(m, ['descriptor', 'fitting', '@variables']) as RawObject), 'model');
    if (f.type !== 'standard') throw new ModelError(`model.type: unsupported model type '${f.type}' (only 'standard' DP models)`);
    checkVersion(m, 'model', 2, 2);
    const typeMap = f.type_map;
    const T = typeMap.length;
    const descriptor = parseDescriptor(m.descriptor, T, typeMap, warn);
    const dimDescrpt = descriptor.neuron[descriptor.neuron.length - 1] * descriptor.axisNeuron;
    const fitting = parseFitting(m.fitting, T, dimDescrpt);
    const vars = isObject(m['@variables']) ? m['@variables'] : {};
    const ob = array(vars, 'out_bias', 'model', null, { nullable: true });
    const os = array(vars, 'out_std', 'model', null, { nullable: true });
    // out_bias/out_std have shape [n_out=1, T, 1]; only the energy output exists here.
    if (ob && ob.size !== T) throw new ModelError(`model.@variables.out_bias: wrong shape [${ob.shape.join(', ')}], expected [1, ${T}, 1]`);
    if (os && os.size !== T) throw new ModelError(`model.@variables.out_std: wrong shape [${os.shape.join(', ')}], expected [1, ${T}, 1]`);
    const atomExcludeTypes = [...(f.atom_exclude_types ?? [])];
    for (const t of atomExcludeTypes) if (t < 0 || t >= T) throw new ModelError(`model.atom_exclude_types: type ${t} is out of range 0..${T - 1}`);
    if (precisionNeedsWarning(descriptor.precision) || precisionNeedsWarning(fitting.precision)) {
      warn(`model precision is ${descriptor.precision}/${fitting.precision}; the CPU reference evaluates in float64 (results differ from DeePMD-kit by the ${descriptor.precision} round-off)`);
    }
    // Top-level keys other than `model` (incl. `@variables`, e.g. min_nbor_dist) are kept for serialization only.
    const meta: JsonObject = hasWrapper ? extraOf(root, ['model']) : {};
    return {
      typeMap: [...typeMap], ntypes: T, descriptor, fitting,
      outBias: ob ? ob.data : new Float64Array(T),
      outStd: os ? os.data : new Float64Array(T).fill(1),
      atomExcludeTypes,
      pairExcludeTypes: symmetricPairs(f.pair_exclude_types ?? [], T, 'model.pair_exclude_types'),
      modelExtra: extraOf(m, ['type_map', 'atom_exclude_types', 'pair_exclude_types', 'descriptor', 'fitting', '@variables']),
      meta,
    };
  } catch (e) {
    if (e instanceof ModelError) throw new Error(`invalid DeePMD model: ${e.message}`);
    throw e;
  }
}

function precisionNeedsWarning(p: string): boolean {
  return p !== 'float64';
}

/** Load a model from file bytes (`.dp`, `.yaml`/`.yml`, `.json`; detected from `name`, else the content). */
export async function loadDpModel(bytes: Uint8Array, name = '', opts: DpLoadOptions = {}): Promise<DpModel> {
  let raw: RawObject;
  try {
    raw = await decodeModelBytes(bytes, name);
  } catch (e) {
    throw new Error(`cannot read DeePMD model${name ? ` '${name}'` : ''}: ${(e as Error).message}`);
  }
  try {
    return deserializeDpModel(raw, opts);
  } catch (e) {
    throw new Error(`${name ? `${name}: ` : ''}${(e as Error).message}`);
  }
}

/** Parse a model from JSON or YAML text (synchronous; no HDF5). */
export function parseDpModelText(text: string, encoding: 'json' | 'yaml', opts: DpLoadOptions = {}): DpModel {
  return deserializeDpModel(encoding === 'json' ? decodeJsonModel(text) : decodeYamlModel(text), opts);
}
