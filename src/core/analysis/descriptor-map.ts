/**
 * The descriptor map of the paper (atomic environments projected to 2-D), computed with the DP
 * descriptor of the loaded model rather than SOAP: the per-atom se_e2_a descriptor D_i
 * (M·M< numbers, docs: the DP-SE model, §3.6) is what the model's fitting net actually sees, so
 * two environments the map puts together are ones the model cannot tell apart. Rows of all atoms
 * of all frames are stacked, with a back-reference (frame, atom) per row, then reduced by PCA.
 * The PCA fitted on a data set can be reused to place another run's atoms on the same map.
 * Units: D is dimensionless (normalised environment matrix); scores carry D's units.
 */
import type { Frame } from '../atoms.ts';
import type { DpModel } from '../potentials/dp/model.ts';
import { DpEvaluator } from '../potentials/dp/evaluator.ts';
import { pca, project, type PcaOptions, type PcaResult } from './pca.ts';

export interface DescriptorRows {
  /** n × d row-major per-atom descriptors. */
  data: Float64Array;
  n: number;
  d: number;
  /** For each row: the frame index (in the input list) and the atom index. */
  frame: Int32Array;
  atom: Int32Array;
}

/** Per-atom DP descriptors of every atom of `frames` (model-0 of an ensemble is enough: the descriptor statistics are shared). */
export function dpDescriptorRows(model: DpModel, frames: Frame[], onProgress?: (fraction: number) => void): DescriptorRows {
  const ev = new DpEvaluator(model);
  const total = frames.reduce((s, f) => s + f.symbols.length, 0);
  let d = 0;
  let data = new Float64Array(0);
  const frame = new Int32Array(total), atom = new Int32Array(total);
  let row = 0;
  frames.forEach((f, fi) => {
    const r = ev.evaluate(f, { descriptors: true, energyOnly: true });
    const desc = r.descriptors!;
    const nat = f.symbols.length;
    if (d === 0) {
      d = desc.length / nat;
      data = new Float64Array(total * d);
    }
    data.set(desc, row * d);
    for (let i = 0; i < nat; i++, row++) { frame[row] = fi; atom[row] = i; }
    onProgress?.((fi + 1) / frames.length);
  });
  return { data, n: total, d, frame, atom };
}

/** A 2-D descriptor map: PCA of the rows, scores per row, and the fit to place other rows. */
export interface DescriptorMap extends DescriptorRows {
  pca: PcaResult;
  /** n × 2 coordinates (PC1, PC2). */
  xy: Float64Array;
}

export function descriptorMap(rows: DescriptorRows, opts: PcaOptions = {}): DescriptorMap {
  const p = pca(rows.data, rows.n, rows.d, 2, opts);
  return { ...rows, pca: p, xy: p.scores };
}

/** Place other rows (same model, e.g. the current run) on an existing map: n × 2. */
export function placeOnMap(map: DescriptorMap, rows: DescriptorRows): Float64Array {
  if (rows.d !== map.d) throw new Error(`descriptor length ${rows.d} differs from the map's ${map.d}: use the same model`);
  return project(rows.data, rows.n, rows.d, map.pca.mean, map.pca.components, 2);
}
