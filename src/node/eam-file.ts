/**
 * Node-side loader for EAM files (the browser passes file text to `Eam.fromText` instead).
 * A bare name that is not an existing path is looked up among the bundled potentials in
 * public/potentials/ (Cu_u3.eam, Cu_mishin1.eam.alloy).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eam } from '../core/potentials/eam.ts';

/** Folder of the bundled potentials. */
export const BUNDLED_POTENTIALS_DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../public/potentials');

/** Resolve an EAM file argument: an existing path, else a bundled potential of that name. */
export function resolveEamPath(path: string): string {
  if (existsSync(path)) return path;
  const bundled = resolve(BUNDLED_POTENTIALS_DIR, basename(path));
  if (existsSync(bundled)) return bundled;
  throw new Error(`EAM file '${path}' not found (bundled potentials: Cu_u3.eam, Cu_mishin1.eam.alloy)`);
}

/** Read a LAMMPS funcfl (.eam) or setfl (.eam.alloy) file into an EAM calculator. */
export async function loadEamFile(path: string, form?: 'funcfl' | 'setfl'): Promise<Eam> {
  const p = resolveEamPath(path);
  const text = await readFile(p, 'utf8');
  return Eam.fromText(text, basename(p), form);
}
