/**
 * Ino and Marks decahedra (the same atoms, in the same order, as
 * `ase.cluster.Decahedron(symbol, p, q, r, latticeconstant)`).
 *
 * Geometry: the five-fold axis is z, with atoms spaced b = a/√2 (the fcc nearest-neighbour
 * distance). Around it, pentagonal rings n = 1, 2, … are built from the five pentagon vertices
 * at radius a_r = b·√3/2 (the height of an equilateral triangle of side b), ring n holding the
 * points (n−i)·v_{m−1} + i·v_m of the five sectors m. Each ring point carries a column of
 * h − n atoms along z, centred on z = 0.
 *
 * Parameters (Ino: r = 0; Marks: r > 0):
 *  - p: atoms on the (100) facets perpendicular to the five-fold axis (≥ 1),
 *  - q: atoms on the (100) facets parallel to the axis (≥ 1; q = 1 hides them),
 *  - r: depth of the Marks re-entrance at the pentagon corners (≥ 0).
 * The axis holds h = p + q + 2r − 1 atoms; rings exist for n < g = p + 2r, and a ring point
 * i of ring n is kept when both n − i and i are below g − r (cutting the re-entrant notches).
 */
import { makeFrame, type Frame } from '../atoms.ts';
import { latticeConstantFor } from '../elements.ts';

/**
 * Build a decahedron centred on the five-fold axis (x = y = 0, z centred on 0), open boundaries.
 * @param symbol element symbol
 * @param p atoms on the (100) facets perpendicular to the five-fold axis, integer ≥ 1
 * @param q atoms on the (100) facets parallel to the five-fold axis, integer ≥ 1
 * @param r Marks re-entrance depth, integer ≥ 0
 * @param latticeConstantA fcc lattice constant a, Å (default: the element's reference value if fcc)
 */
export function decahedron(symbol: string, p: number, q: number, r: number, latticeConstantA?: number): Frame {
  for (const [name, v, lo] of [['p', p, 1], ['q', q, 1], ['r', r, 0]] as const) {
    if (!Number.isInteger(v) || v < lo) throw new Error(`decahedron needs an integer ${name} ≥ ${lo}, got ${v}`);
  }
  const a = latticeConstantFor(symbol, 'fcc', latticeConstantA);
  const b = a / Math.SQRT2;
  const ar = (b * Math.sqrt(3)) / 2;
  // Pentagon vertices: angle π/2 + m·2π/5, radius a_r.
  const vx: number[] = [];
  const vy: number[] = [];
  for (let m = 0; m < 5; m++) {
    const t = Math.PI / 2 + (m * 2 * Math.PI) / 5;
    vx.push(ar * Math.cos(t));
    vy.push(ar * Math.sin(t));
  }
  const h = p + q + 2 * r - 1;
  const g = p + 2 * r;
  const pos: number[] = [];
  for (let j = 0; j < h; j++) pos.push(0, 0, j * b - ((h - 1) * b) / 2);
  for (let n = 1; n < Math.min(h, g); n++) {
    for (let m = 0; m < 5; m++) {
      const m1 = (m + 4) % 5; // v_{m−1}, cyclic
      for (let i = 0; i < n; i++) {
        if (!(n - i < g - r && i < g - r)) continue;
        const x = (n - i) * vx[m1] + i * vx[m];
        const y = (n - i) * vy[m1] + i * vy[m];
        for (let j = 0; j < h - n; j++) pos.push(x, y, j * b - ((h - n - 1) * b) / 2);
      }
    }
  }
  const nat = pos.length / 3;
  return makeFrame(new Array<string>(nat).fill(symbol), pos);
}

/** Number of atoms of decahedron(symbol, p, q, r) without building it. */
export function decahedronSize(p: number, q: number, r: number): number {
  const h = p + q + 2 * r - 1;
  const g = p + 2 * r;
  let n = h;
  for (let ring = 1; ring < Math.min(h, g); ring++) {
    let kept = 0;
    for (let i = 0; i < ring; i++) if (ring - i < g - r && i < g - r) kept++;
    n += 5 * kept * (h - ring);
  }
  return n;
}
