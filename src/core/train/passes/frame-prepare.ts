/** A labeled frame turned into what the trainer's passes read: types, neighbour slots, padding counts, labels. */
import type { DpModel } from '../../potentials/dp/model.ts';
import { mapSpeciesToTypes } from '../../potentials/dp/model.ts';
import { buildSeASlots, type SeASlots } from '../../potentials/dp/nlist-slots.ts';
import type { LabeledFrame } from '../types.ts';

/** A frame with its neighbour slots, ready for the engine. */
export interface PreparedFrame {
  natoms: number;
  types: Int32Array;
  slots: SeASlots;
  /** Reference energy, eV. */
  energy: number;
  /** Reference forces, eV/Å (3N). */
  forces: Float64Array;
  /** Reference virial, eV (row-major 3×3), or null when the frame has none (DeePMD's find_virial = 0). */
  virial: Float64Array | null;
  /** Padding slots per atom and neighbour type: npad[i*T + t]. */
  npad: Int32Array;
  /** Largest number of real neighbours of one atom. */
  maxEntries: number;
}

/**
 * Neighbour slots and padding counts of a labeled frame (positions Å, energy eV, forces eV/Å,
 * virial eV); a bad label is a named error. `onTruncated(slots)` is called when some atom has
 * more neighbours within rcut than sel allows.
 */
export function prepareFrame(model: DpModel, lf: LabeledFrame, onTruncated: (slots: SeASlots) => void): PreparedFrame {
  const n = lf.frame.symbols.length;
  if (lf.forces.length !== 3 * n) throw new Error(`labeled frame: forces has ${lf.forces.length} numbers, expected 3×${n}`);
  if (!Number.isFinite(lf.energy)) throw new Error(`labeled frame: energy is not a finite number (${lf.energy})`);
  const types = mapSpeciesToTypes(model, lf.frame.symbols);
  const slots = buildSeASlots(lf.frame, types, model);
  if (slots.truncatedAtoms > 0) onTruncated(slots);
  const T = model.ntypes, d = model.descriptor;
  const npad = new Int32Array(n * T);
  let maxEntries = 0;
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < T; t++) npad[i * T + t] = d.sel[t] - slots.fill[i * T + t];
    maxEntries = Math.max(maxEntries, slots.offsets[i + 1] - slots.offsets[i]);
  }
  const virial = lf.virial ?? null;
  if (virial && (virial.length !== 9 || !virial.every(Number.isFinite))) throw new Error(`labeled frame: virial must be 9 finite numbers (eV, row-major 3×3), got ${virial.length}`);
  if (virial && !lf.frame.pbc?.some(Boolean)) throw new Error('labeled frame: a virial label needs a periodic cell (the frame has no periodic direction)');
  return { natoms: n, types, slots, energy: lf.energy, forces: lf.forces, virial, npad, maxEntries };
}
