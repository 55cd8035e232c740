/**
 * Spherical cuts of an fcc crystal: the N lattice sites nearest to a site at the origin (ties
 * broken by lattice order). Used for cluster sizes that are not magic numbers of a closed shape,
 * e.g. the paper's Cu1103 melting particle and Cu3535. Positions in Å, centred on that site.
 */
import { makeFrame, type Frame } from '../atoms.ts';
import { latticeConstantFor } from '../elements.ts';

/** The `n` fcc sites (lattice constant a, Å; default the element's) nearest to the site at the origin. */
export function fccSphere(symbol: string, n: number, latticeConstantA?: number): Frame {
  if (!Number.isInteger(n) || n < 1) throw new Error(`an fcc sphere needs a positive integer number of atoms, got ${n}`);
  const a = latticeConstantFor(symbol, 'fcc', latticeConstantA);
  const m = Math.ceil(Math.cbrt(n / 4) / 2) + 2;
  const basis = [[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]];
  const pts: [number, number, number, number][] = [];
  for (let i = -m; i <= m; i++) for (let j = -m; j <= m; j++) for (let k = -m; k <= m; k++) {
    for (const b of basis) {
      const x = (i + b[0]) * a, y = (j + b[1]) * a, z = (k + b[2]) * a;
      pts.push([x, y, z, x * x + y * y + z * z]);
    }
  }
  pts.sort((p, q) => p[3] - q[3]);
  if (pts.length < n) throw new Error(`fccSphere: lattice block too small for ${n} atoms`);
  return makeFrame(new Array<string>(n).fill(symbol), pts.slice(0, n).flatMap((p) => [p[0], p[1], p[2]]));
}
