/**
 * A Verlet neighbour list with a skin (Verlet 1967; Allen & Tildesley §5.3) on top of the
 * cell-list builder: pairs are listed out to rcut + skin and reused while no atom has moved more
 * than skin/2 since the build (then no pair outside the list can have come within rcut).
 * Displacement vectors are recomputed from the current positions on every call, keeping the
 * periodic image shift of each pair from the build. Any change of the atom count, cell or pbc
 * triggers a rebuild. Callers must still test r < rcut themselves.
 *
 * Why: building the list dominates EAM/LJ evaluation cost; MD and relaxation move atoms by
 * ≪ skin per step, so one build serves many steps.
 */
import type { Frame } from '../atoms.ts';
import { buildNeighborList, type NeighborList } from '../neighbor/neighbor-list.ts';

export class SkinNeighborList {
  private ref: { positions: Float64Array; cell: Float64Array | null; pbc: string; list: NeighborList; shifts: Float64Array } | null = null;
  /** Number of full rebuilds so far (for tests and benchmarks). */
  builds = 0;

  /** rcut and skin in Å (skin ≥ 0; 0 rebuilds on every call). */
  constructor(readonly rcut: number, readonly skin: number) {
    if (!(rcut > 0)) throw new Error(`neighbour-list cutoff must be positive, got ${rcut}`);
    if (!(skin >= 0)) throw new Error(`neighbour-list skin must be ≥ 0 Å, got ${skin}`);
  }

  private valid(frame: Pick<Frame, 'positions' | 'cell' | 'pbc'>): boolean {
    const r = this.ref;
    if (!r || this.skin === 0) return false;
    const x = frame.positions, x0 = r.positions;
    if (x.length !== x0.length || frame.pbc.join() !== r.pbc) return false;
    if ((frame.cell === null) !== (r.cell === null)) return false;
    if (frame.cell && r.cell) for (let k = 0; k < 9; k++) if (frame.cell[k] !== r.cell[k]) return false;
    const lim2 = (0.5 * this.skin) ** 2;
    for (let i = 0; i < x.length; i += 3) {
      const dx = x[i] - x0[i], dy = x[i + 1] - x0[i + 1], dz = x[i + 2] - x0[i + 2];
      if (!(dx * dx + dy * dy + dz * dz <= lim2)) return false;
    }
    return true;
  }

  /**
   * The current list without displacement vectors: rebuilt if any atom moved more than skin/2
   * (or the cell/pbc/atom count changed). `shifts[3q..3q+2]` is the periodic image shift of entry
   * q, Å, so its vector is x_j − x_i + shift. `builds` tells a caller that derived data from the
   * list (e.g. a half list) when to derive it again.
   */
  current(frame: Pick<Frame, 'positions' | 'cell' | 'pbc'>): { list: NeighborList; shifts: Float64Array; builds: number } {
    const x = frame.positions;
    if (!this.valid(frame)) {
      const list = buildNeighborList(frame, this.rcut + this.skin);
      const shifts = new Float64Array(list.vectors.length);
      for (let i = 0; i < list.natoms; i++) {
        for (let q = list.offsets[i]; q < list.offsets[i + 1]; q++) {
          const j = list.neighbors[q];
          for (let d = 0; d < 3; d++) shifts[3 * q + d] = list.vectors[3 * q + d] - (x[3 * j + d] - x[3 * i + d]);
        }
      }
      this.ref = { positions: Float64Array.from(x), cell: frame.cell ? Float64Array.from(frame.cell) : null, pbc: frame.pbc.join(), list, shifts };
      this.builds++;
    }
    return { list: this.ref!.list, shifts: this.ref!.shifts, builds: this.builds };
  }

  /** Full neighbour list (pairs out to rcut + skin) with displacement vectors r_j − r_i for `frame`, Å. */
  get(frame: Pick<Frame, 'positions' | 'cell' | 'pbc'>): NeighborList {
    const before = this.builds;
    const { list, shifts } = this.current(frame);
    if (this.builds !== before) return list;
    const x = frame.positions;
    const vectors = new Float64Array(shifts.length);
    for (let i = 0; i < list.natoms; i++) {
      for (let q = list.offsets[i]; q < list.offsets[i + 1]; q++) {
        const j = list.neighbors[q];
        vectors[3 * q] = x[3 * j] - x[3 * i] + shifts[3 * q];
        vectors[3 * q + 1] = x[3 * j + 1] - x[3 * i + 1] + shifts[3 * q + 1];
        vectors[3 * q + 2] = x[3 * j + 2] - x[3 * i + 2] + shifts[3 * q + 2];
      }
    }
    return { natoms: list.natoms, rcut: list.rcut, offsets: list.offsets, neighbors: list.neighbors, vectors };
  }
}
