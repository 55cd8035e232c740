/**
 * Write a CP2K Quickstep ENERGY_FORCE input for one frame (positions Å, cell Å). Clusters (no
 * periodic direction) are centred in a cubic periodic box with `vacuum` Å around them; periodic
 * frames keep their cell (a slab's cell must already contain its vacuum).
 */
import type { Frame } from '../../core/atoms.ts';
import type { Cp2kSettings } from './cp2k-settings.ts';

export interface Cp2kInputData {
  /** Folder of the data files (dftd3.dat). */
  dataDir: string;
  /** Basis files to list (absolute paths). */
  basisFiles: string[];
  /** GTH_POTENTIALS path. */
  potentialFile: string;
  /** Valence electrons per element symbol for the chosen pseudopotential. */
  valence: Record<string, number>;
}

export interface Cp2kInput {
  text: string;
  /** Total valence electron count (after the charge). */
  electrons: number;
  multiplicity: number;
  /** Cell used, rows Å. */
  cell: Float64Array;
}

/** Cubic box (rows, Å) and centred positions (Å) for a cluster with `vacuum` Å of space. */
export function clusterBox(positions: Float64Array, vacuum: number): { cell: Float64Array; positions: Float64Array } {
  const n = positions.length / 3;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) {
    lo[k] = Math.min(lo[k], positions[3 * i + k]);
    hi[k] = Math.max(hi[k], positions[3 * i + k]);
  }
  const edge = Math.max(hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]) + vacuum;
  const out = new Float64Array(positions.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) out[3 * i + k] = positions[3 * i + k] - (lo[k] + hi[k]) / 2 + edge / 2;
  return { cell: Float64Array.from([edge, 0, 0, 0, edge, 0, 0, 0, edge]), positions: out };
}

const f = (x: number): string => x.toFixed(10);

/** Input text for a frame. Throws if an element has no valence entry. */
export function cp2kInput(frame: Frame, s: Cp2kSettings, data: Cp2kInputData, project = 'label'): Cp2kInput {
  const open = !frame.pbc.some(Boolean) || !frame.cell;
  const { cell, positions } = open ? clusterBox(frame.positions, s.vacuum) : { cell: frame.cell!, positions: frame.positions };
  const kinds = [...new Set(frame.symbols)];
  let electrons = -s.charge;
  for (const sym of frame.symbols) {
    const v = data.valence[sym];
    if (v === undefined) throw new Error(`no ${s.potential} pseudopotential for element ${sym}`);
    electrons += v;
  }
  const multiplicity = s.multiplicity ?? (electrons % 2 === 1 ? 2 : 1);
  const uks = multiplicity !== 1 || electrons % 2 === 1;
  const occupied = Math.ceil(electrons / 2);
  const addedMos = s.addedMos ?? Math.max(10, Math.ceil(0.3 * occupied));
  const L: string[] = [];
  const p = (depth: number, line: string): void => { L.push('  '.repeat(depth) + line); };
  p(0, '&GLOBAL');
  p(1, `PROJECT ${project}`);
  p(1, 'RUN_TYPE ENERGY_FORCE');
  p(1, 'PRINT_LEVEL LOW');
  p(0, '&END GLOBAL');
  p(0, '&FORCE_EVAL');
  p(1, 'METHOD QUICKSTEP');
  // Periodic cells: the analytical stress tensor (GPa, printed below) gives the label's virial.
  if (!open) p(1, 'STRESS_TENSOR ANALYTICAL');
  p(1, '&DFT');
  for (const b of data.basisFiles) p(2, `BASIS_SET_FILE_NAME ${b}`);
  p(2, `POTENTIAL_FILE_NAME ${data.potentialFile}`);
  p(2, `CHARGE ${s.charge}`);
  p(2, `MULTIPLICITY ${multiplicity}`);
  if (uks) p(2, 'UKS .TRUE.');
  p(2, '&MGRID');
  p(3, `CUTOFF ${s.cutoff}`);
  p(3, `REL_CUTOFF ${s.relCutoff}`);
  p(2, '&END MGRID');
  p(2, '&QS');
  p(3, 'EPS_DEFAULT 1.0E-12');
  p(2, '&END QS');
  p(2, '&SCF');
  p(3, `EPS_SCF ${s.epsScf.toExponential()}`);
  p(3, `MAX_SCF ${s.maxScf}`);
  p(3, 'SCF_GUESS ATOMIC');
  p(3, `ADDED_MOS ${addedMos}`);
  p(3, '&DIAGONALIZATION');
  p(4, 'ALGORITHM STANDARD');
  p(3, '&END DIAGONALIZATION');
  if (s.smearingK > 0) {
    p(3, '&SMEAR ON');
    p(4, 'METHOD FERMI_DIRAC');
    p(4, `ELECTRONIC_TEMPERATURE [K] ${s.smearingK}`);
    p(3, '&END SMEAR');
  }
  p(3, '&MIXING');
  p(4, 'METHOD BROYDEN_MIXING');
  p(4, `ALPHA ${s.mixingAlpha}`);
  p(4, `NBROYDEN ${s.nBroyden}`);
  p(3, '&END MIXING');
  p(2, '&END SCF');
  p(2, '&XC');
  p(3, `&XC_FUNCTIONAL ${s.xc}`);
  p(3, '&END XC_FUNCTIONAL');
  if (s.d3) {
    p(3, '&VDW_POTENTIAL');
    p(4, 'POTENTIAL_TYPE PAIR_POTENTIAL');
    p(4, '&PAIR_POTENTIAL');
    p(5, 'TYPE DFTD3');
    p(5, `PARAMETER_FILE_NAME ${data.dataDir}/dftd3.dat`);
    p(5, `REFERENCE_FUNCTIONAL ${s.xc}`);
    p(4, '&END PAIR_POTENTIAL');
    p(3, '&END VDW_POTENTIAL');
  }
  p(2, '&END XC');
  p(1, '&END DFT');
  p(1, '&SUBSYS');
  p(2, '&CELL');
  p(3, `A ${f(cell[0])} ${f(cell[1])} ${f(cell[2])}`);
  p(3, `B ${f(cell[3])} ${f(cell[4])} ${f(cell[5])}`);
  p(3, `C ${f(cell[6])} ${f(cell[7])} ${f(cell[8])}`);
  p(3, 'PERIODIC XYZ');
  p(2, '&END CELL');
  p(2, '&COORD');
  for (let i = 0; i < frame.symbols.length; i++) p(3, `${frame.symbols[i]} ${f(positions[3 * i])} ${f(positions[3 * i + 1])} ${f(positions[3 * i + 2])}`);
  p(2, '&END COORD');
  for (const k of kinds) {
    p(2, `&KIND ${k}`);
    p(3, `BASIS_SET ${s.basis}`);
    p(3, `POTENTIAL ${s.potential}`);
    p(2, '&END KIND');
  }
  p(1, '&END SUBSYS');
  p(1, '&PRINT');
  p(2, '&FORCES ON');
  p(2, '&END FORCES');
  if (!open) {
    p(2, '&STRESS_TENSOR ON');
    p(2, '&END STRESS_TENSOR');
  }
  p(1, '&END PRINT');
  p(0, '&END FORCE_EVAL');
  return { text: L.join('\n') + '\n', electrons, multiplicity, cell };
}
