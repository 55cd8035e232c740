/**
 * How the descriptor map colours its points: by source (one class per data set / run /
 * reference), or by the per-atom force deviation ε_f,i of the frame the atom came from, on the
 * studio's trust levels (good < lo ≤ decent < hi ≤ poor, eV/Å; atoms of frames without a
 * recorded deviation, e.g. references and data sets, are a class of their own).
 */
import type { SourceFrame } from './sources.ts';

export type MapColouring = 'source' | 'deviation';

export interface MapClasses {
  /** Class names, in legend order. */
  names: string[];
  colours: string[];
  /** Class of each map row. */
  cls: Int32Array;
}

const SOURCE_COLOURS = ['#e8a15a', '#5ab0e8', '#8fd18f', '#c38fe8', '#e85a7a', '#e8e05a'];
const DEVIATION_COLOURS = ['#4fc36b', '#e8c35a', '#e8483a', '#7f8ea3'];

/** Classes of the map rows (group/frame/atom back-references into `frames`). */
export function mapClasses(
  rows: { group: ArrayLike<number>; frame: ArrayLike<number>; atom: ArrayLike<number> },
  labels: string[],
  frames: SourceFrame[][],
  mode: MapColouring,
  trust: { lo: number; hi: number },
): MapClasses {
  const n = rows.group.length;
  const cls = new Int32Array(n);
  if (mode === 'source') {
    for (let r = 0; r < n; r++) cls[r] = rows.group[r];
    return { names: labels, colours: labels.map((_, k) => SOURCE_COLOURS[k % SOURCE_COLOURS.length]), cls };
  }
  if (!(trust.lo > 0 && trust.hi > trust.lo)) throw new Error(`colouring by deviation needs trust levels 0 < lo < hi (got ${trust.lo}, ${trust.hi} eV/Å)`);
  for (let r = 0; r < n; r++) {
    const dev = frames[rows.group[r]]?.[rows.frame[r]]?.deviation;
    const e = dev ? dev[rows.atom[r]] : undefined;
    cls[r] = e === undefined || !Number.isFinite(e) ? 3 : e < trust.lo ? 0 : e < trust.hi ? 1 : 2;
  }
  return {
    names: [`ε_f < ${trust.lo} eV/Å (good)`, `${trust.lo} ≤ ε_f < ${trust.hi} (decent)`, `ε_f ≥ ${trust.hi} (poor)`, 'no deviation recorded'],
    colours: DEVIATION_COLOURS,
    cls,
  };
}
