/**
 * A labeler turns a frame into reference energy (eV), forces (eV/Å) and optionally the virial
 * (eV), or a failure with its reason. Failures are values, never exceptions: a labeling job
 * records them so that no frame is silently dropped.
 */
import type { Frame } from '../../core/atoms.ts';
import type { LabelOutcome } from '../store/labels.ts';

export interface Labeler {
  /** Recorded with each label, e.g. "eam:Cu_u3.eam" or "cp2k:PBE-D3/DZVP-MOLOPT-SR-GTH/200Ry". */
  readonly name: string;
  /** Label one frame. `signal` aborts a running external program (the outcome is then a failure). */
  label(frame: Frame, signal?: AbortSignal): Promise<LabelOutcome>;
}

/** Run `fn` and turn a thrown error into a failed label carrying its message. */
export async function outcomeOf(fn: () => Promise<LabelOutcome> | LabelOutcome): Promise<LabelOutcome> {
  try {
    return await fn();
  } catch (e) {
    return { status: 'failed', reason: e instanceof Error ? e.message : String(e) };
  }
}
