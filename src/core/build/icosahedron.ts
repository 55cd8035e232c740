/**
 * Mackay icosahedra (the same atoms as `ase.cluster.Icosahedron(symbol, noshells, a)`).
 *
 * Shell n (n ≥ 1) is the surface of an icosahedron whose 12 vertices sit at n·d from the centre,
 * with d = a/√2 the fcc nearest-neighbour distance; it holds 10n² + 2 atoms on a triangular
 * grid of each face. Total atoms for k shells: 1, 13, 55, 147, 309, 561, …
 */
import { makeFrame, type Frame } from '../atoms.ts';
import { latticeConstantFor } from '../elements.ts';

const PHI = (1 + Math.sqrt(5)) / 2;

/** The 12 icosahedron vertices (edge length 2, |v| = √(1+φ²)). */
export function icosahedronVertices(): number[][] {
  const v: number[][] = [];
  for (const s1 of [1, -1]) {
    for (const s2 of [1, -1]) {
      v.push([s1 * PHI, 0, s2], [s2, s1 * PHI, 0], [0, s2, s1 * PHI]);
    }
  }
  return v;
}

/** The 20 faces, as vertex-index triples (three mutually adjacent vertices). */
export function icosahedronFaces(): [number, number, number][] {
  const v = icosahedronVertices();
  const adj = (i: number, j: number) => Math.abs(Math.hypot(v[i][0] - v[j][0], v[i][1] - v[j][1], v[i][2] - v[j][2]) - 2) < 1e-9;
  const faces: [number, number, number][] = [];
  for (let i = 0; i < 12; i++) for (let j = i + 1; j < 12; j++) for (let k = j + 1; k < 12; k++) {
    if (adj(i, j) && adj(j, k) && adj(i, k)) faces.push([i, j, k]);
  }
  return faces;
}

/** Number of atoms of a Mackay icosahedron with `shells` shells (1 → 1, 2 → 13, 3 → 55, …). */
export function icosahedronSize(shells: number): number {
  let n = 1;
  for (let k = 1; k < shells; k++) n += 10 * k * k + 2;
  return n;
}

/**
 * Build a Mackay icosahedron centred at the origin.
 * @param symbol element symbol
 * @param shells number of shells including the central atom (≥ 1)
 * @param latticeConstantA fcc lattice constant a in Å (default: the reference value of an fcc element;
 *   required for elements whose reference lattice is not fcc, e.g. Ru, Si)
 */
export function icosahedron(symbol: string, shells: number, latticeConstantA?: number): Frame {
  if (!Number.isInteger(shells) || shells < 1) throw new Error(`icosahedron needs an integer number of shells ≥ 1, got ${shells}`);
  // Like ASE: the reference constant only for fcc elements; others need an explicit fcc a.
  const a = latticeConstantFor(symbol, 'fcc', latticeConstantA);
  const v = icosahedronVertices();
  const faces = icosahedronFaces();
  const scale = a / Math.sqrt(2 * (1 + PHI * PHI)); // vertex of shell n at n·a/√2
  const pos: number[] = [0, 0, 0];
  for (let n = 1; n < shells; n++) {
    const seen = new Set<string>();
    for (const [p, q, r] of faces) {
      for (let i = 0; i <= n; i++) {
        for (let j = 0; j <= n - i; j++) {
          const k = n - i - j;
          const x = (i * v[p][0] + j * v[q][0] + k * v[r][0]) * scale;
          const y = (i * v[p][1] + j * v[q][1] + k * v[r][1]) * scale;
          const z = (i * v[p][2] + j * v[q][2] + k * v[r][2]) * scale;
          const key = `${Math.round(x * 1e6)},${Math.round(y * 1e6)},${Math.round(z * 1e6)}`;
          if (seen.has(key)) continue;
          seen.add(key);
          pos.push(x, y, z);
        }
      }
    }
  }
  const nat = pos.length / 3;
  return makeFrame(new Array<string>(nat).fill(symbol), pos);
}
