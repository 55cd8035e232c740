/**
 * How the descriptor map colours its points: by source (one class per data set / run /
 * reference), or by the per-atom force deviation ε_f,i of the frame the atom came from, on the
 * studio's trust levels (good < lo ≤ decent < hi ≤ poor, eV/Å; atoms of frames without a
 * recorded deviation, e.g. references and data sets, are a class of their own).
 */
import type { SourceFrame } from './sources.ts';
import { classifyMaxDevi, trustLevelError } from '../frames/trust.ts';
import { CLASS_COLOURS, NO_CLASS_COLOUR } from '../colors.ts';
import type { FrameClass } from '../../worker/frames.ts';

export type MapColouring = 'source' | 'deviation';

export interface MapClasses {
  /** Class names, in legend order. */
  names: string[];
  colours: string[];
  /** Class of each map row. */
  cls: Int32Array;
}

const SOURCE_COLOURS = ['#e8a15a', '#5ab0e8', '#8fd18f', '#c38fe8', '#e85a7a', '#e8e05a'];
/** Deviation classes in legend order (then 'no deviation recorded'). */
const CLASSES: FrameClass[] = ['good', 'decent', 'poor'];

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
  const bad = trustLevelError(trust.lo, trust.hi);
  if (bad) throw new Error(`colouring by deviation: ${bad}`);
  for (let r = 0; r < n; r++) {
    const dev = frames[rows.group[r]]?.[rows.frame[r]]?.deviation;
    const e = dev ? dev[rows.atom[r]] : undefined;
    // The studio's one rule (the timeline's): [lo, hi) decent, NaN poor.
    cls[r] = e === undefined ? CLASSES.length : CLASSES.indexOf(classifyMaxDevi(e, trust.lo, trust.hi));
  }
  return {
    names: [`ε_f < ${trust.lo} eV/Å (good)`, `${trust.lo} ≤ ε_f < ${trust.hi} (decent)`, `ε_f ≥ ${trust.hi} (poor)`, 'no deviation recorded'],
    colours: [...CLASSES.map((c) => CLASS_COLOURS[c]), NO_CLASS_COLOUR],
    cls,
  };
}
