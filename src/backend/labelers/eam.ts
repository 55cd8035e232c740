/** EAM labeler: the in-process EAM calculator (bundled Cu_u3.eam by default, or any LAMMPS EAM file). */
import { basename } from 'node:path';
import { validateFrame, type Frame } from '../../core/atoms.ts';
import { loadEamFile } from '../../node/eam-file.ts';
import type { CalcResult, Calculator } from '../../core/potentials/calculator.ts';
import type { Labeler } from './labeler.ts';

export const DEFAULT_EAM_FILE = 'Cu_u3.eam';

export class EamLabeler implements Labeler {
  readonly implementedProperties: Calculator['implementedProperties'];

  private constructor(readonly name: string, private readonly calc: Calculator) {
    this.implementedProperties = calc.implementedProperties;
  }

  /** Load a funcfl/setfl file (a path, or the name of a bundled potential). */
  static async load(file: string = DEFAULT_EAM_FILE): Promise<EamLabeler> {
    const calc = await loadEamFile(file);
    return new EamLabeler(`eam:${basename(file)}`, calc);
  }

  /** Energy eV, forces eV/Å, virial eV of one frame; throws for an invalid frame. */
  async compute(frame: Frame): Promise<CalcResult> {
    validateFrame(frame);
    return this.calc.compute(frame);
  }
}
