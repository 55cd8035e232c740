/**
 * Export labeled frames as extended XYZ: energy (eV), virial (eV) and stress (eV/Å³, ASE's sign:
 * stress = −virial/V) in the comment line, forces (eV/Å) as a column.
 */
import { writeExtxyz } from '../../core/io/extxyz.ts';
import { cellVolume } from '../../core/atoms.ts';
import type { LabeledFrameRecord } from './labeled-frame.ts';

export function labeledExtxyz(frames: LabeledFrameRecord[]): string {
  return writeExtxyz(frames.map((f) => {
    const info: Record<string, string | number | boolean> = { ...(f.frame.info ?? {}), frame_id: f.id, energy: f.energy, calculator: f.calculator };
    if (f.virial) {
      const volume = cellVolume(f.frame);
      info.virial = Array.from(f.virial, (x) => x.toPrecision(12)).join(' ');
      info.stress = Array.from(f.virial, (x) => (-x / volume).toPrecision(12)).join(' ');
    }
    return { ...f.frame, info, arrays: { forces: f.forces } };
  }));
}
