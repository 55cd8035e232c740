/**
 * Training samples: for every atom of a labeled frame the raw se_e2_a environment rows of all
 * nnei slots (e = sw·(1/r, x/r², y/r², z/r²), 1/Å; padding slots are 0), computed once with
 * the evaluator's own neighbour slots (nlist-slots.ts) and env-matrix row (env-mat.ts), so
 * training and evaluation see the same inputs. Energies eV.
 */
import type { DpModel } from '../../core/potentials/dp/model.ts';
import { mapSpeciesToTypes } from '../../core/potentials/dp/model.ts';
import { buildSeASlots } from '../../core/potentials/dp/nlist-slots.ts';
import { envRow } from '../../core/potentials/dp/env-mat.ts';
import type { LabeledFrame } from '../export/labeled-frame.ts';

export interface Sample {
  frameId: number;
  natoms: number;
  types: Int32Array;
  /** Raw env rows, [natoms, nnei, 4] row-major. */
  env: Float64Array;
  /** Reference energy, eV. */
  energy: number;
  /** Reference forces, eV/Å (for metrics). */
  forces: Float64Array;
  frame: LabeledFrame['frame'];
}

/** Neighbour count within rcut per neighbour type, max over all atoms and frames. */
export function maxNeighbours(frames: LabeledFrame[], model: DpModel): number[] {
  const max = new Array<number>(model.ntypes).fill(0);
  for (const f of frames) {
    const s = buildSeASlots(f.frame, mapSpeciesToTypes(model, f.frame.symbols), model);
    s.maxPerType.forEach((v, t) => { max[t] = Math.max(max[t], v); });
  }
  return max;
}

/** DeePMD-kit's automatic sel: ceil(1.1 × max neighbours), rounded up to a multiple of 4 (at least 4). */
export function autoSel(maxPerType: number[], ratio = 1.1): number[] {
  return maxPerType.map((m) => Math.max(4, Math.ceil(Math.ceil(m * ratio) / 4) * 4));
}

export function makeSamples(frames: LabeledFrame[], model: DpModel): Sample[] {
  const d = model.descriptor;
  const e4 = new Float64Array(4);
  return frames.map((f) => {
    const types = mapSpeciesToTypes(model, f.frame.symbols);
    const s = buildSeASlots(f.frame, types, model);
    if (s.truncatedAtoms > 0) throw new Error(`frame ${f.id}: ${s.truncatedAtoms} atoms have more neighbours than sel [${d.sel.join(', ')}]`);
    const n = types.length;
    const env = new Float64Array(n * d.nnei * 4);
    for (let i = 0; i < n; i++) {
      for (let q = s.offsets[i]; q < s.offsets[i + 1]; q++) {
        envRow(s.vec[3 * q], s.vec[3 * q + 1], s.vec[3 * q + 2], d.rcutSmth, d.rcut, d.envProtection, e4);
        env.set(e4, (i * d.nnei + s.slot[q]) * 4);
      }
    }
    return { frameId: f.id, natoms: n, types, env, energy: f.energy, forces: f.forces, frame: f.frame };
  });
}
