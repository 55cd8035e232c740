/** Locate the cp2k executable and its data files (basis sets, GTH pseudopotentials, D3 parameters). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../node/which.ts';

const EXECUTABLES = ['cp2k', 'cp2k.psmp', 'cp2k.ssmp', 'cp2k.sopt', 'cp2k.popt'];
export const BASIS_FILES = ['BASIS_MOLOPT', 'BASIS_MOLOPT_UCL', 'GTH_BASIS_SETS'];

/** The cp2k binary to run: an explicit path/name, else the first of cp2k, cp2k.psmp, cp2k.ssmp… on PATH. */
export function findCp2k(explicit: string | null = null): string | null {
  if (explicit) return explicit.includes('/') ? (existsSync(explicit) ? explicit : null) : which(explicit);
  for (const n of EXECUTABLES) {
    const p = which(n);
    if (p) return p;
  }
  return null;
}

/** Folder holding BASIS_MOLOPT and GTH_POTENTIALS. */
export function findCp2kDataDir(explicit: string | null = null): string | null {
  const candidates = [explicit, process.env.CP2K_DATA_DIR, '/usr/share/cp2k', '/usr/local/share/cp2k', '/opt/cp2k/data'];
  for (const c of candidates) if (c && existsSync(join(c, 'GTH_POTENTIALS'))) return c;
  return null;
}

/**
 * Valence electron count of `element` with pseudopotential `name` (or alias, e.g. GTH-PBE) in a
 * CP2K GTH_POTENTIALS file: the sum of the electron counts on the line after the header.
 */
export function gthValence(potentialsText: string, element: string, name: string): number | null {
  const lines = potentialsText.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const t = lines[i].trim().split(/\s+/);
    if (t[0] !== element || !t.slice(1).includes(name)) continue;
    const counts = lines[i + 1].trim().split(/\s+/).map(Number);
    if (counts.length === 0 || !counts.every(Number.isInteger)) return null;
    return counts.reduce((a, b) => a + b, 0);
  }
  return null;
}

/** Whether a basis set `name` exists for `element` in one of the basis files of `dataDir`; returns the file or null. */
export function findBasisFile(dataDir: string, element: string, name: string): string | null {
  for (const f of BASIS_FILES) {
    const p = join(dataDir, f);
    if (!existsSync(p)) continue;
    for (const line of readFileSync(p, 'utf8').split('\n')) {
      const t = line.trim().split(/\s+/);
      if (t[0] === element && t.slice(1).includes(name)) return p;
    }
  }
  return null;
}
