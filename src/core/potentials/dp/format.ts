/**
 * Containers of DeePMD-kit v3's backend-independent model files (docs/dp-se.md §2.1):
 *  - `.json` / `.yaml` / `.yml`: one nested dict; arrays are `{"@class": "np.ndarray", dtype, value}`;
 *  - `.dp`: HDF5 whose root attribute `json` holds the dict, with every array under an
 *    `@variables` subtree replaced by the path of a root dataset ("/variable_0000", …).
 * All three decode from bytes (browser and Node alike) into a `RawTree` whose arrays are `NdArray`
 * (float64 copies of the stored values). `.dp` needs h5wasm (loaded on demand).
 */
import { parse as parseYaml } from 'yaml';
import type { JsonValue } from './model.ts';

/** A decoded n-dimensional array (row-major, values converted to float64). */
export class NdArray {
  constructor(
    readonly dtype: string,
    readonly shape: number[],
    readonly data: Float64Array,
  ) {}
  get size(): number {
    return this.data.length;
  }
}

/** A model dict after decoding: JSON values with arrays as NdArray. */
export type RawTree = null | boolean | number | string | NdArray | RawTree[] | { [key: string]: RawTree };
export type RawObject = { [key: string]: RawTree };

export type DpEncoding = 'dp' | 'yaml' | 'json';

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Guess the encoding from the file name, else from the content (HDF5 signature, '{' for JSON). */
export function detectEncoding(bytes: Uint8Array, name = ''): DpEncoding {
  const lower = name.toLowerCase();
  if (lower.endsWith('.dp') || lower.endsWith('.h5') || lower.endsWith('.hdf5')) return 'dp';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  if (HDF5_MAGIC.every((b, i) => bytes[i] === b)) return 'dp';
  for (const b of bytes.subarray(0, 256)) {
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) continue;
    return b === 0x7b ? 'json' : 'yaml';
  }
  return 'yaml';
}

/** Flatten nested lists into (shape, data); throws on ragged or non-numeric entries. */
function nestedToArray(value: unknown, where: string): { shape: number[]; data: Float64Array } {
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe.length > 0 ? probe[0] : undefined;
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(size);
  let k = 0;
  const walk = (v: unknown, depth: number): void => {
    if (depth === shape.length) {
      const x = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
      if (typeof v !== 'number' && !(typeof v === 'string' && v.trim() !== '' && !Number.isNaN(x))) {
        throw new Error(`${where}: array entry ${JSON.stringify(v)} is not a number`);
      }
      data[k++] = x;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) throw new Error(`${where}: ragged nested list (not an array of shape [${shape.join(', ')}])`);
    for (const e of v) walk(e, depth + 1);
  };
  walk(value, 0);
  return { shape, data };
}

/** Convert `{"@class": "np.ndarray", …}` dicts of a parsed JSON/YAML tree into NdArray. */
export function reviveArrays(v: unknown, where = ''): RawTree {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((e, i) => reviveArrays(e, `${where}[${i}]`));
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o['@class'] === 'np.ndarray') {
      if (o.value === null || o.value === undefined) return null;
      const dtype = typeof o.dtype === 'string' ? o.dtype : 'float64';
      if (typeof o.value === 'number' || typeof o.value === 'string') {
        return new NdArray(dtype, [], Float64Array.of(Number(o.value)));
      }
      const { shape, data } = nestedToArray(o.value, where || '(root)');
      return new NdArray(dtype, shape, data);
    }
    const out: RawObject = {};
    for (const [k, e] of Object.entries(o)) out[k] = reviveArrays(e, where ? `${where}.${k}` : k);
    return out;
  }
  throw new Error(`${where}: unsupported value of type ${typeof v}`);
}

/** Decode a `.json` model file text. */
export function decodeJsonModel(text: string): RawObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new Error(`model file is not valid JSON: ${(e as Error).message}`);
  }
  return asRootObject(reviveArrays(parsed));
}

/** Decode a `.yaml` model file text (PyYAML safe_dump output). */
export function decodeYamlModel(text: string): RawObject {
  let parsed: unknown;
  try {
    parsed = parseYaml(text, { maxAliasCount: -1 });
  } catch (e) {
    throw new Error(`model file is not valid YAML: ${(e as Error).message}`);
  }
  return asRootObject(reviveArrays(parsed));
}

function asRootObject(t: RawTree): RawObject {
  if (t === null || typeof t !== 'object' || Array.isArray(t) || t instanceof NdArray) {
    throw new Error('model file does not contain a dict at the top level');
  }
  return t;
}

// --- HDF5 (.dp) -------------------------------------------------------------------------------

interface H5Dataset { shape: number[] | null; dtype: unknown; value: unknown }
interface H5File {
  attrs: Record<string, { value: unknown }>;
  get(path: string): unknown;
  close(): unknown;
}
interface H5Module { FS: { writeFile(path: string, data: Uint8Array): void; unlink(path: string): void } }
interface H5Lib { ready: Promise<H5Module>; File: new (path: string, mode: string) => H5File; Dataset: abstract new (...args: never[]) => unknown }

let h5Promise: Promise<{ lib: H5Lib; module: H5Module }> | null = null;
let h5Counter = 0;

async function loadH5(): Promise<{ lib: H5Lib; module: H5Module }> {
  if (!h5Promise) {
    h5Promise = (async () => {
      const mod = (await import('h5wasm')) as unknown as { default: H5Lib };
      const lib = mod.default;
      const module = await lib.ready;
      return { lib, module };
    })();
  }
  return h5Promise;
}

function datasetToArray(ds: H5Dataset, where: string): NdArray {
  const shape = ds.shape ?? [];
  const v = ds.value;
  let data: Float64Array;
  if (typeof v === 'number') data = Float64Array.of(v);
  else if (typeof v === 'bigint') data = Float64Array.of(Number(v));
  else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const arr = v as unknown as ArrayLike<number | bigint>;
    data = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) data[i] = Number(arr[i]);
  } else throw new Error(`${where}: HDF5 dataset is not numeric`);
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) throw new Error(`${where}: HDF5 dataset has ${data.length} values for shape [${shape.join(', ')}]`);
  const dt = String(ds.dtype);
  const dtype = /f8|<d|>d|float64/.test(dt) ? 'float64' : /f4|<f|>f|float32/.test(dt) ? 'float32' : dt;
  return new NdArray(dtype, [...shape], data);
}

/**
 * The end-of-file address an HDF5 superblock (at offset 0) records, in bytes from the start of the
 * file, or null when the superblock is too short or of an unknown version to say. Superblock
 * versions 0/1 keep it after the base and free-space addresses (from byte 24, v1 from 28), versions
 * 2/3 after the base and extension addresses (from byte 12); addresses are little-endian.
 */
export function hdf5StoredEnd(bytes: Uint8Array): number | null {
  const version = bytes[8];
  const size = version >= 2 ? bytes[9] : bytes[13];
  const start = version === 0 ? 24 : version === 1 ? 28 : version <= 3 ? 12 : -1;
  if (start < 0 || (size !== 4 && size !== 8) || bytes.length < start + 3 * size) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const addr = (at: number) => (size === 8 ? Number(view.getBigUint64(at, true)) : view.getUint32(at, true));
  return addr(start) + addr(start + 2 * size);
}

/** Decode a `.dp` (HDF5) model file from its bytes. */
export async function decodeDpModel(bytes: Uint8Array): Promise<RawObject> {
  if (!HDF5_MAGIC.every((b, i) => bytes[i] === b)) throw new Error('model file is not an HDF5 (.dp) file: missing HDF5 signature');
  const end = hdf5StoredEnd(bytes);
  if (end === null) throw new Error(`model file is cut short or damaged: its HDF5 superblock is unreadable (${bytes.length} bytes)`);
  if (bytes.length < end) throw new Error(`model file is cut short: ${bytes.length} bytes, its HDF5 superblock says ${end}`);
  const { lib, module } = await loadH5();
  const path = `/nanostudio-dp-model-${++h5Counter}.h5`;
  module.FS.writeFile(path, bytes);
  let file: H5File | null = null;
  try {
    file = new lib.File(path, 'r');
    const attr = file.attrs['json'];
    if (!attr) throw new Error(".dp file has no root attribute 'json' (not a DeePMD-kit v3 model)");
    const text = attr.value;
    if (typeof text !== 'string') throw new Error(".dp file: root attribute 'json' is not a string");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`.dp file: attribute 'json' is not valid JSON: ${(e as Error).message}`);
    }
    const f = file;
    const resolve = (v: unknown, underVariables: boolean, where: string): RawTree => {
      if (v === null || v === undefined) return null;
      if (typeof v === 'string') {
        if (underVariables && v.startsWith('/')) {
          const ds = f.get(v.slice(1)) as H5Dataset | null | undefined;
          if (!ds || !('value' in (ds as object))) throw new Error(`${where}: dataset '${v}' is missing from the .dp file`);
          return datasetToArray(ds, where);
        }
        return v;
      }
      if (typeof v === 'number' || typeof v === 'boolean') return v;
      if (Array.isArray(v)) return v.map((e, i) => resolve(e, underVariables, `${where}[${i}]`));
      if (typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o['@class'] === 'np.ndarray') return reviveArrays(o, where);
        const out: RawObject = {};
        for (const [k, e] of Object.entries(o)) out[k] = resolve(e, underVariables || k === '@variables', where ? `${where}.${k}` : k);
        return out;
      }
      throw new Error(`${where}: unsupported value`);
    };
    return asRootObject(resolve(parsed, false, ''));
  } finally {
    try {
      file?.close();
    } catch {
      /* already closed */
    }
    module.FS.unlink(path);
  }
}

/** Decode a model file of any of the three encodings from its bytes. */
export async function decodeModelBytes(bytes: Uint8Array, name = ''): Promise<RawObject> {
  const enc = detectEncoding(bytes, name);
  if (enc === 'dp') return decodeDpModel(bytes);
  const text = new TextDecoder('utf-8').decode(bytes);
  return enc === 'json' ? decodeJsonModel(text) : decodeYamlModel(text);
}

/** Convert an NdArray back to the v3 JSON array dict. */
export function ndArrayToJson(a: NdArray): JsonValue {
  const nest = (offset: number, dim: number): JsonValue => {
    if (dim === a.shape.length) return a.data[offset];
    const stride = a.shape.slice(dim + 1).reduce((x, y) => x * y, 1);
    const out: JsonValue[] = [];
    for (let i = 0; i < a.shape[dim]; i++) out.push(nest(offset + i * stride, dim + 1));
    return out;
  };
  return { '@class': 'np.ndarray', '@is_variable': true, '@version': 1, dtype: a.dtype, value: nest(0, 0) };
}
