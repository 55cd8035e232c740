/** A frame with its reference label, the unit of every export. */
import type { LabeledFrame } from '../../core/train/types.ts';
import type { Store } from '../store/store.ts';

/** The core's labeled frame (energy eV, forces eV/Å) as stored: with its frame id and the calculator that labeled it. */
export interface LabeledFrameRecord extends LabeledFrame {
  id: number;
  /** eV, row-major 3×3; null without one and for frames with no periodic direction (a virial is a property of a cell, as DeePMD's nopbc systems have none). */
  virial: Float64Array | null;
  calculator: string;
}

/**
 * Frames of a data set with their newest successful label, in frame order. Frames without a
 * successful label (unlabeled, or only failed labels) are not exported; their count is returned.
 */
export function labeledFrames(store: Store, datasetId: number): { frames: LabeledFrameRecord[]; skipped: number } {
  const labels = store.labels.latestOk(datasetId);
  const frames: LabeledFrameRecord[] = [];
  let skipped = 0;
  for (const f of store.frames.list(datasetId)) {
    const l = labels.get(f.id);
    if (!l || l.energy === null || !l.forces) { skipped++; continue; }
    const periodic = f.frame.pbc.some(Boolean) && f.frame.cell !== undefined && f.frame.cell !== null;
    frames.push({ id: f.id, frame: f.frame, energy: l.energy, forces: l.forces, virial: periodic ? l.virial : null, calculator: l.calculator });
  }
  return { frames, skipped };
}
