/**
 * Extended XYZ in the studio: reading a user's file into a structure (with errors that name the
 * file and the reader's line/field), and writing what is on screen or a whole run (positions Å,
 * per-atom force deviation eV/Å as `devi_f`, energy eV and the frame's class as info keys).
 */
import { validateFrame, type Frame } from '../../core/atoms.ts';
import { readExtxyz, writeExtxyz } from '../../core/io/extxyz.ts';
import type { SavedFrame } from '../../worker/frames.ts';

const XYZ_NAME = /\.(ext)?xyz$/i;

/** Parse an imported file's text: its first frame, checked, and how many frames the file had. Throws errors naming the file. */
export function importStructureText(name: string, text: string): { frame: Frame; frames: number } {
  if (/\u0000/.test(text.slice(0, 4096))) {
    throw new Error(`${name} is not an extended XYZ file: it is binary (expected text: an atom count, a comment line, then one "symbol x y z" line per atom)`);
  }
  let frames;
  try {
    frames = readExtxyz(text, name);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new Error(XYZ_NAME.test(name) ? msg : `${name} is not an extended XYZ file (.xyz, .extxyz): ${msg}`);
  }
  const frame = frames[0];
  try {
    validateFrame(frame);
  } catch (e) {
    throw new Error(`${name}, frame 1: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { frame, frames: frames.length };
}

/** A stored/replayed frame as an extended XYZ frame (info: run, step, time, energies, deviation, class). */
export function savedFrameToXyz(f: SavedFrame): Frame & { arrays: Record<string, Float64Array> } {
  return {
    symbols: f.symbols,
    positions: f.positions,
    cell: f.cell ?? null,
    pbc: f.pbc ?? [false, false, false],
    info: {
      run: f.runId, step: f.step, time_fs: f.timeFs, energy: f.potentialEnergy, kinetic_energy: f.kineticEnergy,
      temperature: f.temperatureK, max_devi_f: f.maxDeviF, avg_devi_f: f.avgDeviF, class: f.frameClass,
    },
    arrays: { devi_f: Float64Array.from(f.atomicDeviF) },
  };
}

/** Extended XYZ text of stored frames. */
export function framesToExtxyz(frames: SavedFrame[]): string {
  return writeExtxyz(frames.map(savedFrameToXyz));
}

/** Extended XYZ text of a structure (title as `comment`). */
export function structureToExtxyz(frame: Frame, title: string): string {
  return writeExtxyz([{ ...frame, info: { ...(frame.info ?? {}), comment: title } }]);
}
