/** Test systems and finite-difference checks shared by the DP tests. */
import { makeFrame, type Frame } from '../../src/core/atoms.ts';
import { deserializeDpModel } from '../../src/core/potentials/dp/load.ts';
import { reviveArrays, type RawObject } from '../../src/core/potentials/dp/format.ts';
import type { DpModel } from '../../src/core/potentials/dp/model.ts';
import { randomModelDict, seeded, type RandomModelSpec } from './random-model.ts';

export function modelFrom(spec: RandomModelSpec): DpModel {
  return deserializeDpModel(reviveArrays(randomModelDict(spec)) as RawObject, { onWarning: () => {} });
}

/** Random cluster of n atoms (types alternate), minimum distance dmin Å. */
export function randomCluster(n: number, seed: number, symbols = ['Cu', 'Au'], dmin = 1.9, size = 5.0): Frame {
  const rnd = seeded(seed);
  const pos: number[] = [];
  while (pos.length < 3 * n) {
    const p = [rnd() * size, rnd() * size, rnd() * size];
    let ok = true;
    for (let j = 0; j < pos.length; j += 3) if (Math.hypot(p[0] - pos[j], p[1] - pos[j + 1], p[2] - pos[j + 2]) < dmin) ok = false;
    if (ok) pos.push(...p);
  }
  return makeFrame(Array.from({ length: n }, (_, i) => symbols[i % symbols.length]), pos);
}

/** A small triclinic periodic cell (face distances < 2·rc: images of atoms and of the centre are neighbours). */
export function smallCell(seed: number, pbc: [boolean, boolean, boolean] = [true, true, true]): Frame {
  const cell = [4.3, 0, 0, 0.7, 4.1, 0, 0.4, -0.5, 4.0];
  const rnd = seeded(seed);
  const frac = [[0.1, 0.1, 0.1], [0.6, 0.55, 0.15], [0.15, 0.6, 0.55], [0.6, 0.1, 0.6], [0.4, 0.4, 0.85]];
  const pos: number[] = [];
  for (const f of frac) {
    const s = f.map((x) => x + 0.04 * (rnd() - 0.5));
    for (let k = 0; k < 3; k++) pos.push(s[0] * cell[k] + s[1] * cell[3 + k] + s[2] * cell[6 + k]);
  }
  return makeFrame(['Cu', 'Au', 'Cu', 'Au', 'Cu'], pos, cell, pbc);
}

/** Max errors of analytic forces and virial against central differences of the energy. */
export function finiteDifferenceErrors(
  energy: (f: Frame) => number, frame: Frame, forces: ArrayLike<number>, virial: ArrayLike<number>, h = 1e-5,
  coords: number[] = Array.from(frame.positions, (_, p) => p),
): { force: number; virial: number; scaleF: number; scaleV: number } {
  let errF = 0, scaleF = 0;
  for (const p of coords) {
    const plus = structuredClone(frame), minus = structuredClone(frame);
    plus.positions[p] += h;
    minus.positions[p] -= h;
    const fd = -(energy(plus) - energy(minus)) / (2 * h);
    errF = Math.max(errF, Math.abs(fd - forces[p]));
    scaleF = Math.max(scaleF, Math.abs(forces[p]));
  }
  let errV = 0, scaleV = 0;
  for (let k = 0; k < 3; k++) {
    for (let c = 0; c < 3; c++) {
      // W[k][c] = −∂E/∂ε_ck under r → r(I+ε), cell → cell(I+ε) (row vectors).
      const strained = (eps: number): Frame => {
        const f = structuredClone(frame);
        for (let i = 0; i < f.positions.length; i += 3) f.positions[i + k] += eps * frame.positions[i + c];
        if (f.cell) for (let r = 0; r < 3; r++) f.cell[3 * r + k] += eps * frame.cell![3 * r + c];
        return f;
      };
      const fd = -(energy(strained(h)) - energy(strained(-h))) / (2 * h);
      errV = Math.max(errV, Math.abs(fd - virial[3 * k + c]));
      scaleV = Math.max(scaleV, Math.abs(virial[3 * k + c]));
    }
  }
  return { force: errF, virial: errV, scaleF, scaleV };
}

