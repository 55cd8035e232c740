/** Node-only helper: read a DeePMD model file from disk (the browser passes bytes to loadDpModel). */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { DpModel } from './model.ts';
import { loadDpModel, type DpLoadOptions } from './load.ts';

/** Load a `.dp` / `.yaml` / `.yml` / `.json` model file. */
export async function readDpModelFile(path: string, opts: DpLoadOptions = {}): Promise<DpModel> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new Error(`cannot read model file '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return await loadDpModel(bytes, basename(path), opts);
  } catch (e) {
    throw new Error(`${(e as Error).message.startsWith(basename(path)) ? path + (e as Error).message.slice(basename(path).length) : `${path}: ${(e as Error).message}`}`);
  }
}
