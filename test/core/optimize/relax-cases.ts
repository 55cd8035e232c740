/** Shared starting structures for the optimizer tests (rattled clusters). */
import { readFileSync } from 'node:fs';
import { cloneFrame, makeFrame, type Frame } from '../../../src/core/atoms.ts';
import { icosahedron } from '../../../src/core/build/icosahedron.ts';
import { Rng } from '../../../src/core/random.ts';
import { Eam } from '../../../src/core/potentials/eam.ts';
import { refPath } from '../../helpers/refdata.ts';

/** Uniform displacements in ±amp (Å) of every coordinate. */
export function rattle(f: Frame, amp: number, seed: number): Frame {
  const g = cloneFrame(f);
  const rng = new Rng(seed);
  for (let k = 0; k < g.positions.length; k++) g.positions[k] += amp * (2 * rng.uniform() - 1);
  return g;
}

export function cuEam(): Eam {
  return Eam.fromText(readFileSync(refPath('eam/Cu_u3.eam'), 'utf8'), 'Cu_u3.eam');
}

/** LJ13 icosahedron scaled to the LJ pair minimum (σ = 1), rattled. */
export function lj13(seed: number): Frame {
  const ico = icosahedron('Cu', 2);
  const s = (2 ** (1 / 6)) / Math.hypot(ico.positions[3], ico.positions[4], ico.positions[5]);
  return rattle(makeFrame(ico.symbols, Array.from(ico.positions, (x) => x * s)), 0.15, seed);
}
