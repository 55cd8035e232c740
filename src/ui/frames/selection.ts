/**
 * Which decent frames of a run go to labeling: the ones the user chose by hand, then up to a
 * cap per run filled automatically, either by largest max force deviation or, with diversity
 * thinning, by farthest-point sampling on the sorted coordination-number histogram
 * (core/analysis/farthest-point.ts), starting from the frame with the largest deviation.
 */
import { makeFrame } from '../../core/atoms.ts';
import { nearestNeighborDistance } from '../../core/elements.ts';
import { cnHistogramDescriptor, farthestPointSelect } from '../../core/analysis/farthest-point.ts';
import type { StoredFrame } from './frame-store.ts';

export interface SelectionPolicy {
  /** Most frames selected per run (hand-picked ones count). */
  capPerRun: number;
  /** Farthest-point thinning on the CN histogram instead of "largest deviation first". */
  thinning: boolean;
}

export const DEFAULT_POLICY: SelectionPolicy = { capPerRun: 20, thinning: false };

/** Coordination cutoff (Å) for the CN histogram: 1.2 × the element's nearest-neighbour distance (between the 1st and 2nd fcc shells), 3.0 Å if unknown. */
export function cnCutoff(symbol: string): number {
  try {
    return 1.2 * nearestNeighborDistance(symbol);
  } catch {
    return 3.0;
  }
}

type SendFlags = Pick<StoredFrame, 'selected' | 'frameClass' | 'sentDatasetId' | 'labeledJobId'>;

/** Already sent to a data set (or to a label job): its selection flag is history, not a choice. */
export function isSent(f: Pick<StoredFrame, 'sentDatasetId' | 'labeledJobId'>): boolean {
  return f.sentDatasetId !== undefined || f.labeledJobId !== undefined;
}

/**
 * Goes to labeling with the next "send": selected, decent under the trust levels in use, and
 * not sent yet. The one rule for the frame store's query and the inspector's count.
 */
export function isSendable(f: SendFlags): boolean {
  return f.selected && f.frameClass === 'decent' && !isSent(f);
}

/** Decent frames, largest max force deviation first (ties: earlier frame first). */
export function decentByDeviation<F extends Pick<StoredFrame, 'frameClass' | 'maxDeviF' | 'id'>>(frames: F[]): F[] {
  return frames.filter((f) => f.frameClass === 'decent').sort((a, b) => b.maxDeviF - a.maxDeviF || a.id - b.id);
}

/**
 * The selection of one run's frames under `policy`: a map frame id → selected, for every frame.
 * Frames sent to a data set keep their flag; hand-picked frames keep the user's choice (a
 * non-decent one is not counted and not sent); non-decent frames are never selected
 * automatically; the remaining slots up to the cap are filled automatically.
 */
export function selectionFor(frames: StoredFrame[], policy: SelectionPolicy): Map<number, boolean> {
  const out = new Map<number, boolean>();
  // Sent frames and hand choices keep their flag whatever the class: a trust-level change that
  // makes a hand-picked frame good or poor for a while must not erase the user's choice (only
  // decent frames are counted here and sent: isSendable).
  for (const f of frames) out.set(f.id, isSent(f) || f.manual ? f.selected : false);
  const decent = decentByDeviation(frames.filter((f) => !isSent(f)));
  let slots = Math.max(0, Math.floor(policy.capPerRun));
  for (const f of decent) {
    if (f.manual && f.selected) {
      out.set(f.id, true);
      slots--;
    }
  }
  const pool = decent.filter((f) => !f.manual);
  if (slots <= 0 || !pool.length) return out;
  let chosen: StoredFrame[];
  if (!policy.thinning || pool.length <= slots) {
    chosen = pool.slice(0, slots);
  } else {
    const cutoff = cnCutoff(pool[0].symbols[0]);
    const descriptors = pool.map((f) => cnHistogramDescriptor(makeFrame(f.symbols, f.positions, f.cell ?? null, f.pbc ?? [false, false, false]), cutoff));
    chosen = farthestPointSelect(descriptors, slots, 0).map((k) => pool[k]);
  }
  for (const f of chosen) out.set(f.id, true);
  return out;
}
