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

/** Options of the CPU potentials: `tabulate: false` (`--no-tabulate`) evaluates DP embedding nets exactly. */
export interface PotentialOptions {
  tabulate?: boolean;
}

type Loader = (arg: string, opts: PotentialOptions) => Promise<Calculator>;

/**
 * Loaders by scheme: each entry is one line calling the loader exported by the potential's
 * own module (e.g. `eam: (arg) => loadEamFile(arg)`).
 */
const loaders: Partial<Record<PotentialSpec['scheme'], Loader>> = {
  eam: (arg) => loadEamFile(arg),
  lj: (arg) => loadLennardJones(arg),
  dp: (arg, opts) => loadDpPotential(arg, { tabulate: opts.tabulate === false ? false : {} }),
};

/** Load the calculator named by a `--potential` value (DP: tabulated embedding unless opts.tabulate is false). */
export async function loadPotential(spec: string, opts: PotentialOptions = {}): Promise<Calculator> {
  const p = parsePotentialSpec(spec);
  const load = loaders[p.scheme];
  if (!load) throw new Error(`potential scheme '${p.scheme}:' is not available in this build`);
  return load(p.arg, opts);
}

/** The usage lines of `--no-tabulate` (md, relax, bhmc, eval), the text starting at column `col`. */
export function noTabulateUsage(col: number): string[] {
  return [
    '  --no-tabulate'.padEnd(col) + 'dp: evaluate the embedding nets exactly on the CPU (default: quintic tables',
    ' '.repeat(col) + 'as `dp compress`, within 1e-8 eV and eV/Å of them; pairs closer than 1 Å use the exact net)',
  ];
}
