/** EAM labeler: the in-process EAM calculator (bundled Cu_u3.eam by default, or any LAMMPS EAM file). */
import { basename } from 'node:path';
import { validateFrame, type Frame } from '../../core/atoms.ts';
import { loadEamFile } from '../../core/potentials/eam-load.ts';
import type { Calculator } from '../../core/potentials/calculator.ts';
import type { Labeler } from './labeler.ts';
import { outcomeOf } from './labeler.ts';
import type { LabelOutcome } from '../store/labels.ts';

export const DEFAULT_EAM_FILE = 'Cu_u3.eam';

export class EamLabeler implements Labeler {
  private constructor(readonly name: string, private readonly calc: Calculator) {}

  /** Load a funcfl/setfl file (a path, or the name of a bundled potential). */
  static async load(file: string = DEFAULT_EAM_FILE): Promise<EamLabeler> {
    const calc = await loadEamFile(file);
    return new EamLabeler(`eam:${basename(file)}`, calc);
  }

  /** Energy eV, forces eV/Å, virial eV of one frame. */
  label(frame: Frame): Promise<LabelOutcome> {
    return outcomeOf(() => {
      validateFrame(frame);
      const r = this.calc.compute(frame);
      if (!Number.isFinite(r.energy) || !r.forces.every(Number.isFinite)) return { status: 'failed', reason: 'EAM returned a non-finite energy or force' };
      return { status: 'ok', energy: r.energy, forces: r.forces, virial: r.virial ?? null };
    });
  }
}
