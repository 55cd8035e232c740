/**
 * Full neighbour lists by cell lists (linear cost in the number of atoms).
 *
 * For every atom i, lists every atom j (including periodic images of j, and images of i
 * itself in small boxes) with |r_j + shift − r_i| < rcut, together with the displacement
 * vector r_j + shift − r_i (Å). Works for open boundaries, any triclinic cell, mixed pbc,
 * and boxes smaller than 2·rcut (several images of the same atom can be neighbours).
 *
 * Method: wrap atoms into the cell along periodic directions, add ghost images of all atoms
 * whose fractional coordinate lies within rcut (measured by the plane spacing) of the cell,
 * then bin locals and ghosts in Cartesian bins of edge ≥ rcut and search the 27 adjacent bins.
 */
import type { Frame } from '../atoms.ts';
import { inv3 } from '../atoms.ts';

/** A growable typed-array buffer (avoids boxed number[] on the hot path). */
class Grow<T extends Float64Array | Int32Array> {
  length = 0;
  constructor(public data: T, private readonly make: (n: number) => T) {}
  push(x: number): void {
    if (this.length === this.data.length) {
      const next = this.make(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = x;
  }
  view(): T {
    return this.data.slice(0, this.length) as T;
  }
}
const f64 = (n: number) => new Float64Array(n);
const i32 = (n: number) => new Int32Array(n);

export interface NeighborList {
  natoms: number;
  rcut: number;
  /** CSR row pointers: neighbours of atom i are entries offsets[i] … offsets[i+1]−1. */
  offsets: Int32Array;
  /** Index (0…N−1) of the neighbour atom (its image, for periodic systems). */
  neighbors: Int32Array;
  /** Displacement r_j(image) − r_i per entry, Å, length 3·npairs. */
  vectors: Float64Array;
}

/** Spacing between lattice planes (Å) for each cell direction: V / |a_j × a_k|. */
export function planeSpacings(cell: ArrayLike<number>): [number, number, number] {
  const a = [cell[0], cell[1], cell[2]];
  const b = [cell[3], cell[4], cell[5]];
  const c = [cell[6], cell[7], cell[8]];
  const cross = (u: number[], v: number[]) => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const bc = cross(b, c);
  const vol = Math.abs(a[0] * bc[0] + a[1] * bc[1] + a[2] * bc[2]);
  return [vol / Math.hypot(...bc), vol / Math.hypot(...cross(c, a)), vol / Math.hypot(...cross(a, b))];
}

/**
 * Build a full neighbour list of `frame` with cutoff rcut (Å). Pairs at exactly rcut are
 * excluded (strict <), as is each atom itself (its own images in small boxes are kept).
 */
export function buildNeighborList(frame: Pick<Frame, 'positions' | 'cell' | 'pbc'>, rcut: number): NeighborList {
  if (!(rcut > 0) || !Number.isFinite(rcut)) throw new Error(`neighbour-list cutoff must be a positive number, got ${rcut}`);
  const n = frame.positions.length / 3;
  const periodic = frame.cell !== null && frame.pbc.some(Boolean);

  // 1. Candidate points: locals (wrapped along periodic directions) and ghost images.
  const cap = Math.max(16, 2 * n);
  const gx = new Grow(f64(cap), f64), gy = new Grow(f64(cap), f64), gz = new Grow(f64(cap), f64);
  const gowner = new Grow(i32(cap), i32);
  const local = new Float64Array(3 * n);
  if (!periodic) {
    local.set(frame.positions);
    for (let i = 0; i < n; i++) {
      gx.push(local[3 * i]); gy.push(local[3 * i + 1]); gz.push(local[3 * i + 2]); gowner.push(i);
    }
  } else {
    const cell = frame.cell!;
    const inv = inv3(cell);
    const h = planeSpacings(cell);
    const frac = new Float64Array(3 * n);
    for (let i = 0; i < n; i++) {
      const x = frame.positions[3 * i], y = frame.positions[3 * i + 1], z = frame.positions[3 * i + 2];
      for (let k = 0; k < 3; k++) {
        let s = x * inv[k] + y * inv[3 + k] + z * inv[6 + k];
        if (frame.pbc[k]) s -= Math.floor(s);
        frac[3 * i + k] = s;
      }
      for (let k = 0; k < 3; k++) {
        local[3 * i + k] = frac[3 * i] * cell[k] + frac[3 * i + 1] * cell[3 + k] + frac[3 * i + 2] * cell[6 + k];
      }
    }
    // Number of images needed on each side, and the fractional margin to keep.
    const nimg = [0, 1, 2].map((k) => (frame.pbc[k] ? Math.ceil(rcut / h[k]) : 0));
    const margin = [0, 1, 2].map((k) => rcut / h[k]);
    for (let a = -nimg[0]; a <= nimg[0]; a++) {
      for (let b = -nimg[1]; b <= nimg[1]; b++) {
        for (let c = -nimg[2]; c <= nimg[2]; c++) {
          const isHome = a === 0 && b === 0 && c === 0;
          for (let i = 0; i < n; i++) {
            const s0 = frac[3 * i] + a, s1 = frac[3 * i + 1] + b, s2 = frac[3 * i + 2] + c;
            if (!isHome) {
              if (frame.pbc[0] && (s0 < -margin[0] || s0 >= 1 + margin[0])) continue;
              if (frame.pbc[1] && (s1 < -margin[1] || s1 >= 1 + margin[1])) continue;
              if (frame.pbc[2] && (s2 < -margin[2] || s2 >= 1 + margin[2])) continue;
            }
            gx.push(s0 * cell[0] + s1 * cell[3] + s2 * cell[6]);
            gy.push(s0 * cell[1] + s1 * cell[4] + s2 * cell[7]);
            gz.push(s0 * cell[2] + s1 * cell[5] + s2 * cell[8]);
            gowner.push(i);
          }
        }
      }
    }
  }
  const m = gowner.length;
  const px = gx.data, py = gy.data, pz = gz.data, owner = gowner.data;

  // 2. Bin all candidate points.
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let p = 0; p < m; p++) {
    if (px[p] < lo[0]) lo[0] = px[p];
    if (px[p] > hi[0]) hi[0] = px[p];
    if (py[p] < lo[1]) lo[1] = py[p];
    if (py[p] > hi[1]) hi[1] = py[p];
    if (pz[p] < lo[2]) lo[2] = pz[p];
    if (pz[p] > hi[2]) hi[2] = pz[p];
  }
  let binSize = rcut;
  let nb = [0, 1, 2].map((k) => Math.max(1, Math.floor((hi[k] - lo[k]) / binSize)));
  // Keep the grid at most ~2 bins per point (sparse, far-flung clusters).
  while (nb[0] * nb[1] * nb[2] > 2 * m + 64) {
    binSize *= 1.5;
    nb = [0, 1, 2].map((k) => Math.max(1, Math.floor((hi[k] - lo[k]) / binSize)));
  }
  const width = [0, 1, 2].map((k) => (hi[k] - lo[k]) / nb[k] || 1);
  const [nb0, nb1, nb2] = nb;
  const [lo0, lo1, lo2] = lo;
  const [iw0, iw1, iw2] = width.map((w) => 1 / w);
  const clampBin = (b: number, n: number) => (b < 0 ? 0 : b >= n ? n - 1 : b);
  const binX = (x: number) => clampBin(Math.floor((x - lo0) * iw0), nb0);
  const binY = (y: number) => clampBin(Math.floor((y - lo1) * iw1), nb1);
  const binZ = (z: number) => clampBin(Math.floor((z - lo2) * iw2), nb2);
  const nbins = nb[0] * nb[1] * nb[2];
  const head = new Int32Array(nbins).fill(-1);
  const next = new Int32Array(m);
  for (let p = m - 1; p >= 0; p--) {
    const b = (binX(px[p]) * nb1 + binY(py[p])) * nb2 + binZ(pz[p]);
    next[p] = head[b];
    head[b] = p;
  }

  // 3. Search: locals are the first points (periodic case: home image a=b=c=0 comes in the
  // middle of the loops, so look locals up by recomputing their bin from `local`).
  const rc2 = rcut * rcut;
  const offsets = new Int32Array(n + 1);
  const nbrs = new Grow(i32(Math.max(16, 64 * n)), i32);
  const vecs = new Grow(f64(Math.max(48, 192 * n)), f64);
  for (let i = 0; i < n; i++) {
    const xi = local[3 * i], yi = local[3 * i + 1], zi = local[3 * i + 2];
    const bx = binX(xi), by = binY(yi), bz = binZ(zi);
    for (let dx = -1; dx <= 1; dx++) {
      const cx = bx + dx;
      if (cx < 0 || cx >= nb0) continue;
      for (let dy = -1; dy <= 1; dy++) {
        const cy = by + dy;
        if (cy < 0 || cy >= nb1) continue;
        for (let dz = -1; dz <= 1; dz++) {
          const cz = bz + dz;
          if (cz < 0 || cz >= nb2) continue;
          for (let p = head[(cx * nb1 + cy) * nb2 + cz]; p >= 0; p = next[p]) {
            const rx = px[p] - xi, ry = py[p] - yi, rz = pz[p] - zi;
            const r2 = rx * rx + ry * ry + rz * rz;
            if (r2 >= rc2 || (r2 === 0 && owner[p] === i)) continue;
            nbrs.push(owner[p]);
            vecs.push(rx);
            vecs.push(ry);
            vecs.push(rz);
          }
        }
      }
    }
    offsets[i + 1] = nbrs.length;
  }
  return { natoms: n, rcut, offsets, neighbors: nbrs.view(), vectors: vecs.view() };
}
