/** Periodic fcc test cells from the core's builder (src/core/build/bulk.ts). */
import type { Frame } from '../../src/core/atoms.ts';
import { bulk, repeatFrame } from '../../src/core/build/bulk.ts';

/** k×k×k conventional fcc cells of lattice constant a (Å), periodic in x, y, z. */
export function fccCube(k: number, a: number, element = 'Cu'): Frame {
  return repeatFrame(bulk(element, 'fcc', { a, cubic: true }), [k, k, k]);
}

/** The same frame with every coordinate moved by jitter(): a new frame, the input is not changed. */
export function jittered(f: Frame, jitter: () => number): Frame {
  const out = repeatFrame(f, [1, 1, 1]);
  for (let i = 0; i < out.positions.length; i++) out.positions[i] += jitter();
  return out;
}
