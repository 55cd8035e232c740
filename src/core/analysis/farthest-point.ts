/**
 * Diversity thinning of candidate frames: a cheap structural descriptor per frame (the
 * coordination-number histogram, which is invariant to atom order, rotation and translation)
 * and greedy farthest-point sampling over descriptors. Used by `nanostudio loop` to thin the
 * decent frames of an iteration and by the studio's decent inspector.
 * Units: cutoffs in Å; descriptors are dimensionless fractions of atoms.
 */
import type { Frame } from '../atoms.ts';
import { coordinationNumbers } from './coordination.ts';

/** Default largest coordination number with its own bin (fcc bulk is 12; compressed/hot frames reach 13–14). */
export const DEFAULT_MAX_CN = 16;

/**
 * Normalised coordination-number histogram of a frame: entry k (0 ≤ k ≤ maxCn) is the fraction
 * of atoms with CN = k (CN counted with a strict distance cutoff `cutoffA`, Å, periodic images
 * included); atoms with CN > maxCn count in the last bin. Length maxCn + 1, sums to 1.
 */
export function cnHistogramDescriptor(frame: Frame, cutoffA: number, maxCn: number = DEFAULT_MAX_CN): Float64Array {
  if (!Number.isInteger(maxCn) || maxCn < 1) throw new Error(`maxCn must be a positive integer, got ${maxCn}`);
  const n = frame.symbols.length;
  if (n === 0) throw new Error('cnHistogramDescriptor: the frame has no atoms');
  const cn = coordinationNumbers(frame, cutoffA);
  const h = new Float64Array(maxCn + 1);
  for (let i = 0; i < n; i++) h[Math.min(cn[i], maxCn)] += 1 / n;
  return h;
}

function distance2(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) {
    const d = a[k] - b[k];
    s += d * d;
  }
  return s;
}

/**
 * Greedy farthest-point sampling: start from descriptor `first` (default 0), then repeatedly add
 * the descriptor whose Euclidean distance to the nearest already chosen one is largest (ties →
 * the lowest index). Returns min(k, n) indices in the order chosen; deterministic. Descriptors
 * must all have the same length and finite entries.
 */
export function farthestPointSelect(descriptors: Float64Array[], k: number, first = 0): number[] {
  const n = descriptors.length;
  if (!Number.isInteger(k) || k < 0) throw new Error(`farthestPointSelect: k must be a non-negative integer, got ${k}`);
  if (n === 0 || k === 0) return [];
  if (!Number.isInteger(first) || first < 0 || first >= n) throw new Error(`farthestPointSelect: first must be an index in [0, ${n}), got ${first}`);
  const dim = descriptors[0].length;
  descriptors.forEach((d, i) => {
    if (d.length !== dim) throw new Error(`farthestPointSelect: descriptor ${i} has length ${d.length}, expected ${dim}`);
    if (!d.every(Number.isFinite)) throw new Error(`farthestPointSelect: descriptor ${i} has a non-finite entry`);
  });
  const want = Math.min(k, n);
  const chosen = [first];
  const taken = new Uint8Array(n);
  taken[first] = 1;
  const nearest = new Float64Array(n).fill(Infinity);
  let last = first;
  while (chosen.length < want) {
    let best = -1;
    let bestD = -1;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const d = distance2(descriptors[i], descriptors[last]);
      if (d < nearest[i]) nearest[i] = d;
      if (nearest[i] > bestD) {
        bestD = nearest[i];
        best = i;
      }
    }
    taken[best] = 1;
    chosen.push(best);
    last = best;
  }
  return chosen;
}
