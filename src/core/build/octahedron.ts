/**
 * Face-centred cubic clusters bounded by crystal planes, and the octahedron family built on
 * them (the same atoms as `ase.cluster.FaceCenteredCubic` and `ase.cluster.Octahedron`).
 *
 * A cluster is every fcc lattice site x with (x − c)·n̂ < d_hkl·(L + 0.1) for every plane normal
 * n̂ of every symmetry-equivalent (hkl) of the requested surfaces (all permutations and sign
 * changes: the cubic point group m3̄m), where L is the number of layers of that family and
 * d_hkl the fcc interplanar spacing: a/√(h²+k²+l²) if h, k, l are all odd, else half that.
 * The centre c is `centerOffset`·a (fractional in the cubic cell: (0,0,0) on an atom, (½,½,½) an
 * octahedral site). The result is translated so its bounding box is centred on the origin.
 *
 * Octahedron(length, cutoff): (111) at L₁ = ⌊length/2⌋ layers (centre on an atom for odd length,
 * at (½,½,½) for even) and (100) at L₂ = length − 1 − cutoff layers:
 * cutoff 0 regular octahedron, length = 2·cutoff + 1 cuboctahedron,
 * length = 3·cutoff + 1 regular truncated octahedron.
 */
import { makeFrame, type Frame } from '../atoms.ts';
import { latticeConstantFor } from '../elements.ts';

export type Miller = [number, number, number];

const FCC_BASIS: Miller[] = [[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]];

function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Reduce a Miller index to its smallest integers (same direction). */
export function reduceMiller(m: Miller): Miller {
  if (!m.every(Number.isInteger) || m.every((x) => x === 0)) throw new Error(`a Miller index needs integers, not all zero, got (${m.join(',')})`);
  const g = gcd(gcd(m[0], m[1]), m[2]);
  return [m[0] / g, m[1] / g, m[2] / g];
}

/** All cubic-symmetry equivalents of (hkl): permutations and sign changes, without duplicates. */
export function cubicEquivalents(m: Miller): Miller[] {
  const perms: Miller[] = [
    [m[0], m[1], m[2]], [m[0], m[2], m[1]], [m[1], m[0], m[2]],
    [m[1], m[2], m[0]], [m[2], m[0], m[1]], [m[2], m[1], m[0]],
  ];
  const seen = new Map<string, Miller>();
  for (const p of perms) {
    for (const sx of [1, -1]) for (const sy of [1, -1]) for (const sz of [1, -1]) {
      const v: Miller = [sx * p[0] + 0, sy * p[1] + 0, sz * p[2] + 0];
      seen.set(v.join(','), v);
    }
  }
  return [...seen.values()];
}

/** Interplanar spacing (Å) of the (hkl) planes of an fcc lattice with constant a (Å). */
export function fccLayerSpacing(m: Miller, a: number): number {
  const [h, k, l] = reduceMiller(m);
  const norm = Math.hypot(h, k, l);
  const allOdd = [h, k, l].every((x) => Math.abs(x) % 2 === 1);
  return allOdd ? a / norm : a / (2 * norm);
}

export interface FccClusterOptions {
  /** fcc lattice constant a, Å (default: the element's reference value, if fcc). */
  latticeConstant?: number;
  /** Centre of the cut planes, fractional coordinates of the cubic cell in [0, 1] (default (0,0,0)). */
  centerOffset?: [number, number, number];
}

/**
 * An fcc cluster bounded by the planes of `surfaces` (each with all its cubic equivalents) at
 * `layers` layers from the centre, like `ase.cluster.FaceCenteredCubic(symbol, surfaces,
 * layers, latticeconstant, center)`. Positions in Å, bounding box centred on the origin, open
 * boundaries (cell null).
 */
export function fccCluster(symbol: string, surfaces: Miller[], layers: number[], opts: FccClusterOptions = {}): Frame {
  if (surfaces.length !== layers.length || surfaces.length === 0) {
    throw new Error(`fccCluster needs one layer count per surface, got ${surfaces.length} surfaces and ${layers.length} layer counts`);
  }
  const a = latticeConstantFor(symbol, 'fcc', opts.latticeConstant);
  const off = opts.centerOffset ?? [0, 0, 0];
  if (off.some((x) => !(x >= 0 && x <= 1))) throw new Error(`centerOffset must lie in the unit cell [0, 1]³, got (${off.join(', ')})`);
  for (const l of layers) if (!Number.isFinite(l) || l < 0) throw new Error(`layer counts must be ≥ 0, got ${l}`);
  // Plane set: the first occurrence of a direction keeps its layer count (as ASE does).
  const planes = new Map<string, { n: [number, number, number]; rmax: number }>();
  surfaces.forEach((s, idx) => {
    const red = reduceMiller(s);
    const rmax = fccLayerSpacing(red, a) * (layers[idx] + 0.1);
    for (const e of [red, ...cubicEquivalents(red)]) {
      const key = e.join(',');
      if (planes.has(key)) continue;
      const norm = Math.hypot(e[0], e[1], e[2]);
      planes.set(key, { n: [e[0] / norm, e[1] / norm, e[2] / norm], rmax });
    }
  });
  const cx = off[0] * a, cy = off[1] * a, cz = off[2] * a;
  // Search a cube of lattice cells reaching √3 times the farthest plane (the vertex of an
  // octahedron bounded by {111} planes); a kept site on its outer shell means no closed polyhedron.
  let reach = 0;
  for (const p of planes.values()) reach = Math.max(reach, p.rmax);
  const span = Math.ceil((reach * Math.sqrt(3)) / a) + 2;
  const pos: number[] = [];
  const list = [...planes.values()];
  for (let h = -span; h <= span; h++) {
    for (let k = -span; k <= span; k++) {
      for (let l = -span; l <= span; l++) {
        for (const bas of FCC_BASIS) {
          const x = (h + bas[0]) * a - cx, y = (k + bas[1]) * a - cy, z = (l + bas[2]) * a - cz;
          let inside = true;
          for (const p of list) {
            if (x * p.n[0] + y * p.n[1] + z * p.n[2] >= p.rmax) { inside = false; break; }
          }
          if (!inside) continue;
          if (Math.max(Math.abs(h), Math.abs(k), Math.abs(l)) === span) {
            throw new Error(`fccCluster: the planes (${surfaces.map((m) => `(${m.join('')})`).join(' ')}) do not bound a finite cluster`);
          }
          pos.push(x, y, z);
        }
      }
    }
  }
  const nat = pos.length / 3;
  if (nat === 0) throw new Error('fccCluster: the planes enclose no atoms');
  centreBoundingBox(pos);
  return makeFrame(new Array<string>(nat).fill(symbol), pos);
}

/** Translate positions (Å, in place) so that their bounding box is centred on the origin. */
function centreBoundingBox(pos: number[]): void {
  for (let k = 0; k < 3; k++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = k; i < pos.length; i += 3) { lo = Math.min(lo, pos[i]); hi = Math.max(hi, pos[i]); }
    const mid = (lo + hi) / 2;
    for (let i = k; i < pos.length; i += 3) pos[i] -= mid;
  }
}

/**
 * Regular or truncated octahedron, like `ase.cluster.Octahedron(symbol, length, cutoff,
 * latticeconstant)`.
 * @param symbol element symbol
 * @param length atoms on the square edges of the complete octahedron, integer ≥ 1
 * @param cutoff layers cut at each vertex, integer with 0 ≤ cutoff ≤ (length − 1)/2
 * @param latticeConstantA fcc lattice constant a, Å (default: the element's reference value if fcc)
 */
export function octahedron(symbol: string, length: number, cutoff = 0, latticeConstantA?: number): Frame {
  if (!Number.isInteger(length) || length < 1) throw new Error(`octahedron needs an integer length ≥ 1, got ${length}`);
  if (!Number.isInteger(cutoff) || cutoff < 0 || length < 2 * cutoff + 1) {
    throw new Error(`octahedron cutoff must be an integer with 0 ≤ cutoff ≤ (length − 1)/2 = ${(length - 1) / 2}, got ${cutoff}`);
  }
  const even = length % 2 === 0;
  const layers111 = even ? length / 2 : (length - 1) / 2;
  return fccCluster(symbol, [[1, 1, 1], [1, 0, 0]], [layers111, length - 1 - cutoff], {
    latticeConstant: latticeConstantA,
    centerOffset: even ? [0.5, 0.5, 0.5] : [0, 0, 0],
  });
}
