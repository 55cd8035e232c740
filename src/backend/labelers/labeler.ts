/**
 * A labeler is a reference calculator (the one calculator protocol, asynchronous flavour): it
 * turns a frame into energy (eV), forces (eV/Å) and optionally the virial (eV), and throws a
 * `LabelError` naming the reason when it cannot (SCF not converged, a crash, a timeout…).
 * `labelFrame` is where a labeling job turns that error into a failed label, so that no frame
 * is silently dropped.
 */
import type { Frame } from '../../core/atoms.ts';
import { CalculationError, type AsyncCalculator } from '../../core/potentials/calculator.ts';
import type { LabelOutcome } from '../store/labels.ts';

/** A reference calculator; `name` is recorded with each label, e.g. "eam:Cu_u3.eam" or "cp2k:PBE-D3/…". */
export type Labeler = AsyncCalculator;

/** A frame could not be labeled; `message` is the reason stored with the failed label. */
export class LabelError extends CalculationError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LabelError';
  }
}

/** An external program a labeler started in its own process group (see jobs/process-group.ts). */
export interface ExternalProcess {
  pid: number;
  /** Process group (= pid: the program leads its own group). */
  pgid: number;
  /** Start time of the pid, clock ticks since boot (null off Linux). */
  startTicks: number | null;
  executable: string;
  /** Its temporary working folder. */
  dir: string | null;
}

/** Told when an external program starts; returns the function to call when it has exited. */
export type ProcessWatcher = (p: ExternalProcess) => () => void;

/** A labeler that runs external programs and reports each one to a watcher (so a crash never leaves one behind). */
export interface RunsExternalPrograms {
  watchProcesses(watch: ProcessWatcher | null): void;
}

/** Whether a labeler runs external programs that can be watched. */
export function runsExternalPrograms(l: Labeler): l is Labeler & RunsExternalPrograms {
  return typeof (l as Partial<RunsExternalPrograms>).watchProcesses === 'function';
}

/**
 * Label one frame: the labeler's result as an ok label, or any error it throws (and a
 * non-finite energy or force) as a failed label carrying the reason. `signal` aborts a running
 * external program (the outcome is then a failure).
 */
export async function labelFrame(labeler: Labeler, frame: Frame, signal?: AbortSignal): Promise<LabelOutcome> {
  try {
    const r = await labeler.compute(frame, signal);
    if (!Number.isFinite(r.energy) || !r.forces.every(Number.isFinite)) {
      return { status: 'failed', reason: `${labeler.name} returned a non-finite energy or force` };
    }
    return { status: 'ok', energy: r.energy, forces: r.forces, virial: r.virial ?? null };
  } catch (e) {
    return { status: 'failed', reason: e instanceof Error ? e.message : String(e) };
  }
}
