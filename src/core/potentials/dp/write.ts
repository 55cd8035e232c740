/**
 * Writers of the DeePMD-kit v3 model encodings, so that models made in nanostudio (e.g. by the
 * backend trainer) load in DeePMD-kit (`dp convert-backend`, `DeepPot`) and back here:
 *  - `.yaml`: block-style YAML with flow-style arrays; every float of an array is written with a
 *    decimal point (PyYAML's YAML 1.1 resolver reads `1e-05` as a string, docs/dp-se.md §2.1);
 *  - `.dp`: HDF5 with the root attribute `json` and one dataset `/variable_NNNN` per array under an
 *    `@variables` subtree (traversal order), as deepmd/dpmodel/utils/serialization.py writes it.
 * Input is the dict of `serializeDpModel` (or any v3 model dict).
 */
import type { DpModel, JsonObject, JsonValue } from './model.ts';
import { serializeDpModel } from './serialize.ts';

function isScalar(v: JsonValue): v is string | number | boolean | null {
  return v === null || typeof v !== 'object';
}
function isFlowList(v: JsonValue): v is JsonValue[] {
  return Array.isArray(v) && v.every((e) => isScalar(e) || isFlowList(e));
}

/** A float as PyYAML (YAML 1.1) reads back a float: always with a '.' in the mantissa. */
function yamlFloat(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (!Number.isFinite(x)) return x > 0 ? '.inf' : '-.inf';
  const s = String(x);
  if (s.includes('e')) {
    const [m, e] = s.split('e');
    return `${m.includes('.') ? m : `${m}.0`}e${e}`;
  }
  return s.includes('.') ? s : `${s}.0`;
}

function inline(v: JsonValue, floats: boolean): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return floats ? yamlFloat(v) : Number.isFinite(v) ? String(v) : yamlFloat(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((e) => inline(e, floats)).join(', ')}]`;
  if (Object.keys(v).length === 0) return '{}';
  throw new Error('inline: a non-empty dict');
}

function emitDict(o: JsonObject, indent: number, floats: boolean, out: string[]): void {
  const pad = ' '.repeat(indent);
  for (const [k, v] of Object.entries(o)) {
    const key = JSON.stringify(k);
    // Values of an np.ndarray dict are written as floats (np.asarray(value, dtype) either way).
    const arrayValue = k === 'value' && o['@class'] === 'np.ndarray';
    if (isScalar(v) || isFlowList(v) || (typeof v === 'object' && Object.keys(v).length === 0)) {
      out.push(`${pad}${key}: ${inline(v, floats || arrayValue)}`);
    } else if (Array.isArray(v)) {
      out.push(`${pad}${key}:`);
      for (const item of v) {
        if (isScalar(item) || isFlowList(item)) out.push(`${pad}  - ${inline(item, floats)}`);
        else if (Array.isArray(item)) throw new Error('YAML writer: nested non-scalar lists are not used by model files');
        else if (Object.keys(item).length === 0) out.push(`${pad}  - {}`);
        else {
          const sub: string[] = [];
          emitDict(item, indent + 4, floats, sub);
          sub[0] = `${pad}  - ${sub[0].slice(indent + 4)}`;
          out.push(...sub);
        }
      }
    } else {
      out.push(`${pad}${key}:`);
      emitDict(v, indent + 2, floats, out);
    }
  }
}

/** YAML text of a v3 model dict (or a DpModel). */
export function encodeDpModelYaml(model: DpModel | JsonObject): string {
  const dict = 'descriptor' in model && 'fitting' in model && 'typeMap' in model ? serializeDpModel(model as DpModel) : (model as JsonObject);
  const out: string[] = [];
  emitDict(dict, 0, false, out);
  return out.join('\n') + '\n';
}

interface H5WriteFile {
  create_attribute(name: string, data: string): void;
  create_dataset(args: { name: string; data: Float64Array | Float32Array; shape: number[]; dtype: string }): unknown;
  close(): unknown;
}
interface H5WriteLib {
  ready: Promise<{ FS: { readFile(path: string): Uint8Array; unlink(path: string): void } }>;
  File: new (path: string, mode: string) => H5WriteFile;
}

let counter = 0;

/** `.dp` (HDF5) bytes of a v3 model dict (or a DpModel). Needs h5wasm (loaded on demand). */
export async function encodeDpModelH5(model: DpModel | JsonObject): Promise<Uint8Array> {
  const dict = 'descriptor' in model && 'fitting' in model && 'typeMap' in model ? serializeDpModel(model as DpModel) : (model as JsonObject);
  const lib = ((await import('h5wasm')) as unknown as { default: H5WriteLib }).default;
  const { FS } = await lib.ready;
  const path = `/nanostudio-dp-write-${++counter}.h5`;
  const file = new lib.File(path, 'w');
  try {
    let k = 0;
    const arrays: { name: string; data: Float64Array | Float32Array; shape: number[]; dtype: string }[] = [];
    const walk = (v: JsonValue, under: boolean): JsonValue => {
      if (v === null || typeof v !== 'object') return v;
      if (Array.isArray(v)) return v.map((e) => walk(e, under));
      if (v['@class'] === 'np.ndarray' && under) {
        const flat: number[] = [];
        const shape: number[] = [];
        let probe: JsonValue = v.value;
        while (Array.isArray(probe)) {
          shape.push(probe.length);
          probe = probe[0] ?? null;
        }
        const flatten = (x: JsonValue): void => {
          if (Array.isArray(x)) x.forEach(flatten);
          else flat.push(Number(x));
        };
        flatten(v.value);
        const f32 = v.dtype === 'float32';
        const name = `variable_${String(k++).padStart(4, '0')}`;
        arrays.push({ name, data: f32 ? Float32Array.from(flat) : Float64Array.from(flat), shape, dtype: f32 ? '<f' : '<d' });
        return `/${name}`;
      }
      const o: JsonObject = {};
      for (const [key, e] of Object.entries(v)) o[key] = walk(e, under || key === '@variables');
      return o;
    };
    const meta = walk(dict, false) as JsonObject;
    const full: JsonObject = { software: 'deepmd-kit', version: 'nanostudio', time: new Date().toISOString(), ...meta };
    file.create_attribute('json', JSON.stringify(full));
    for (const a of arrays) file.create_dataset(a);
    file.close();
    return new Uint8Array(FS.readFile(path));
  } finally {
    try {
      FS.unlink(path);
    } catch {
      /* not created */
    }
  }
}
