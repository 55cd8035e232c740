/**
 * Parse the `--potential` option shared by eval, relax, md, bhmc and label:
 *   eam:FILE                         LAMMPS EAM (funcfl .eam or setfl .eam.alloy)
 *   lj:epsilon=E,sigma=S[,rc=R]      Lennard-Jones (eV, Å)
 *   dp:MODEL[,MODEL...]              DeePMD-kit DP-SE model(s) (.dp/.yaml/.json); several = ensemble
 * Each scheme's loader lives with its potential; this file only dispatches.
 */
import type { Calculator } from '../core/potentials/calculator.ts';
import { loadEamFile } from '../node/eam-file.ts';
import { loadLennardJones } from '../core/potentials/lj.ts';
import { loadDpPotential } from '../node/dp-file.ts';

export interface PotentialSpec {
  scheme: 'eam' | 'lj' | 'dp';
  /** The text after `scheme:`. */
  arg: string;
}

/** Split `scheme:arg`, with a clear error for anything else. */
export function parsePotentialSpec(spec: string): PotentialSpec {
  const m = /^(eam|lj|dp):(.+)$/.exec(spec.trim());
  if (!m) throw new Error(`--potential must be eam:FILE, lj:epsilon=E,sigma=S[,rc=R] or dp:MODEL[,MODEL...]; got '${spec}'`);
  return { scheme: m[1] as PotentialSpec['scheme'], arg: m[2] };
}

type Loader = (arg: string) => Promise<Calculator>;

/**
 * Loaders by scheme: each entry is one line calling the loader exported by the potential's
 * own module (e.g. `eam: (arg) => loadEamFile(arg)`).
 */
const loaders: Partial<Record<PotentialSpec['scheme'], Loader>> = {
  eam: (arg) => loadEamFile(arg),
  lj: (arg) => loadLennardJones(arg),
  dp: (arg) => loadDpPotential(arg),
};

/** Load the calculator named by a `--potential` value. */
export async function loadPotential(spec: string): Promise<Calculator> {
  const p = parsePotentialSpec(spec);
  const load = loaders[p.scheme];
  if (!load) throw new Error(`potential scheme '${p.scheme}:' is not available in this build`);
  return load(p.arg);
}
