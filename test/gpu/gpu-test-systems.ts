/** Test systems shared by the GPU tests (not a test file itself). */
import { makeFrame, type Frame } from '../../src/core/atoms.ts';
import { icosahedron } from '../../src/core/build/icosahedron.ts';
import { fccCube, jittered } from '../helpers/fcc.ts';

/** Deterministic uniform random numbers in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 4294967296);
}

/** Icosahedral Cu cluster (shells 3 → 55, 4 → 147, …) with positions jittered by ±amp Å. */
export function jitteredIcosahedron(shells: number, amp: number, seed = 1): Frame {
  const f = icosahedron('Cu', shells);
  const r = rng(seed);
  for (let k = 0; k < f.positions.length; k++) f.positions[k] += amp * (2 * r() - 1);
  return f;
}

/** Periodic fcc Cu, n×n×n conventional cells (a = 3.615 Å), jittered by ±amp Å. */
export function fccBulk(n: number, amp: number, seed = 2, a = 3.615): Frame {
  const r = rng(seed);
  return jittered(fccCube(n, a), () => amp * (2 * r() - 1));
}

/** A small triclinic periodic cell (face distances < 2·rc): images of atoms and of the centre are neighbours. */
export function smallTriclinic(seed = 3): Frame {
  const cell = [4.3, 0, 0, 0.7, 4.1, 0, 0.4, -0.5, 4.0];
  const r = rng(seed);
  const frac = [[0.1, 0.1, 0.1], [0.6, 0.55, 0.15], [0.15, 0.6, 0.55], [0.6, 0.1, 0.6], [0.4, 0.4, 0.85]];
  const pos: number[] = [];
  for (const f of frac) {
    const s = f.map((x) => x + 0.04 * (r() - 0.5));
    for (let k = 0; k < 3; k++) pos.push(s[0] * cell[k] + s[1] * cell[3 + k] + s[2] * cell[6 + k]);
  }
  return makeFrame(['Cu', 'Cu', 'Cu', 'Cu', 'Cu'], pos, cell, [true, true, true]);
}

/** vec4f positions (w = 0) of a frame. */
export function vec4Positions(f: Frame): Float32Array<ArrayBuffer> {
  const n = f.positions.length / 3;
  const out = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) out[4 * i + k] = f.positions[3 * i + k];
  return out;
}
