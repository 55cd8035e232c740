/**
 * Embedded-atom method (Daw & Baskes, PRB 29, 6443 (1984)) evaluated as LAMMPS `pair_style eam`
 * and `eam/alloy` evaluate it, so energies and forces match LAMMPS to round-off:
 *
 *   E = Σ_i F_{t_i}(ρ_i) + ½ Σ_i Σ_{j≠i} φ_{t_i t_j}(r_ij),     ρ_i = Σ_{j≠i} ρ_{t_j}(r_ij)
 *
 * with F, ρ(r) and r·φ(r) interpolated by LAMMPS' 7-coefficient local cubic (eam-spline.ts) from
 * the tables of eam-file.ts, φ = z2/r, φ' = z2'/r − φ/r, F continued linearly above ρ_max
 * (E += F'(ρ_max-node)·(ρ − ρ_max), LAMMPS' energy-conserving extension), and
 *   F_i = Σ_j [F'(ρ_i) ρ'_{t_j}(r_ij) + F'(ρ_j) ρ'_{t_i}(r_ij) + φ'(r_ij)] (r_j − r_i)/r_ij.
 *
 * Units: Å, eV, eV/Å; virial eV (W = Σ_pairs (r_i − r_j) ⊗ F_ij, LAMMPS' convention,
 * = −∂E/∂ε); per-atom energy F_i + ½ Σ_j φ_ij; per-atom virial (on request) ½ of each pair to
 * each atom, as LAMMPS' ev_tally. Each pair is visited once (half list, Newton's third law), row by
 * row with atom i's sums kept in locals. Open, periodic and mixed boundaries via the cell-list neighbour list.
 */
import type { Frame } from '../atoms.ts';
import type { CalcProperty, CalcResult, Calculator } from './calculator.ts';
import type { EamTables } from './eam-file.ts';
import { parseEamText } from './eam-file.ts';
import { makeEamSpline, type EamSpline } from './eam-spline.ts';
import { SkinNeighborList } from './skin-neighbors.ts';

export interface EamOptions {
  /**
   * Verlet skin of the cached neighbour list, Å (default 0.5; 0 rebuilds every call). The list
   * is reused while no atom moved more than skin/2, which makes MD and relaxation steps cheap;
   * results do not depend on it (pairs are always cut at r < cutoff).
   */
  skin?: number;
  /** Also return per-atom virials (default false: MD and relaxation do not need them). */
  atomicVirials?: boolean;
}

export class Eam implements Calculator {
  readonly name: string;
  readonly implementedProperties: readonly CalcProperty[];
  readonly tables: EamTables;
  /** Cutoff radius, Å. */
  readonly cutoff: number;
  private readonly frho: EamSpline[];
  private readonly rhor: EamSpline[];
  /** z2r spline for an element pair (i, j), full ne×ne matrix of references. */
  private readonly z2r: EamSpline[];
  private readonly index: Map<string, number>;
  private readonly neighbors: SkinNeighborList;
  private readonly perAtomVirials: boolean;
  private half: HalfList | null = null;
  private lastTypes: { symbols: string[]; types: Int32Array } | null = null;
  /** Spline coefficient arrays by element (ρ, F) and element pair (r·φ), for the hot loops. */
  private readonly rhorC: Float64Array[];
  private readonly frhoC: Float64Array[];
  private readonly z2rC: Float64Array[];

  constructor(tables: EamTables, opts: EamOptions = {}) {
    this.tables = tables;
    this.cutoff = tables.cutoff;
    this.frho = tables.frho.map((f) => makeEamSpline(f, tables.drho));
    this.rhor = tables.rhor.map((f) => makeEamSpline(f, tables.dr));
    const ne = tables.elements.length;
    const tri = tables.z2r.map((f) => makeEamSpline(f, tables.dr));
    this.z2r = [];
    for (let i = 0; i < ne; i++) {
      for (let j = 0; j < ne; j++) {
        const a = Math.max(i, j), b = Math.min(i, j);
        this.z2r.push(tri[(a * (a + 1)) / 2 + b]);
      }
    }
    this.index = new Map(tables.elements.map((e, k) => [e, k]));
    this.neighbors = new SkinNeighborList(tables.cutoff, opts.skin ?? 0.5);
    this.perAtomVirials = opts.atomicVirials ?? false;
    this.implementedProperties = this.perAtomVirials ? ['virial', 'atomicEnergies', 'atomicVirials'] : ['virial', 'atomicEnergies'];
    this.rhorC = this.rhor.map((sp) => sp.c);
    this.frhoC = this.frho.map((sp) => sp.c);
    this.z2rC = this.z2r.map((sp) => sp.c);
    const file = tables.source.split(/[\\/]/).pop() ?? tables.source;
    this.name = `EAM ${file}`;
  }

  /** Build from file text; `name` is the file name (form from its extension, errors cite it). */
  static fromText(text: string, name: string, form?: 'funcfl' | 'setfl', opts: EamOptions = {}): Eam {
    return new Eam(parseEamText(text, name, form), opts);
  }

  /** How many times the neighbour list was rebuilt (for benchmarks and tests). */
  get neighborListBuilds(): number {
    return this.neighbors.builds;
  }

  /** Elements this potential describes. */
  get elements(): string[] {
    return [...this.tables.elements];
  }

  private typesOf(frame: Frame): Int32Array {
    // MD and relaxation evaluate the same atoms again and again: reuse the last mapping.
    const last = this.lastTypes;
    if (last && last.symbols.length === frame.symbols.length && (last.symbols === frame.symbols || last.symbols.every((s, i) => s === frame.symbols[i]))) return last.types;
    const types = Int32Array.from(frame.symbols, (s, i) => {
      const t = this.index.get(s);
      if (t === undefined) throw new Error(`${this.name} has no parameters for element ${s} (atom ${i}); it describes ${this.tables.elements.join(', ')}`);
      return t;
    });
    this.lastTypes = { symbols: [...frame.symbols], types };
    return types;
  }

  /**
   * The half list (each pair once: j > i, or a periodic self-image with a lexicographically
   * positive shift) derived from the skin list whenever that is rebuilt. Newton's third law then
   * serves both atoms of a pair from one visit, as LAMMPS' `newton on` does.
   */
  private halfList(frame: Frame): HalfList {
    const { list, shifts, builds } = this.neighbors.current(frame);
    if (this.half && this.half.builds === builds) return this.half;
    const nbr = list.neighbors, offs = list.offsets, natoms = list.natoms;
    const keep = new Uint8Array(nbr.length);
    let count = 0;
    let periodicShift = false;
    for (let i = 0; i < natoms; i++) {
      for (let q = offs[i]; q < offs[i + 1]; q++) {
        const j = nbr[q];
        const sx = shifts[3 * q], sy = shifts[3 * q + 1], sz = shifts[3 * q + 2];
        if (sx !== 0 || sy !== 0 || sz !== 0) periodicShift = true;
        const k = j !== i ? j > i : sx > 0 || (sx === 0 && (sy > 0 || (sy === 0 && sz > 0)));
        if (k) { keep[q] = 1; count++; }
      }
    }
    // Reuse the previous buffers when they are large enough (rebuilds happen every ~10-20 MD steps).
    const old = this.half;
    const big = old !== null && old.i.length >= count && old.row.length === natoms + 1;
    const hi = big ? old.i : new Int32Array(Math.ceil(count * 1.1));
    const hj = big ? old.j : new Int32Array(hi.length);
    const hs = big ? old.shift : new Float64Array(3 * hi.length);
    const row = big ? old.row : new Int32Array(natoms + 1);
    let p = 0;
    for (let i = 0; i < natoms; i++) {
      row[i] = p;
      for (let q = offs[i]; q < offs[i + 1]; q++) {
        if (!keep[q]) continue;
        hi[p] = i;
        hj[p] = nbr[q];
        hs[3 * p] = shifts[3 * q]; hs[3 * p + 1] = shifts[3 * q + 1]; hs[3 * p + 2] = shifts[3 * q + 2];
        p++;
      }
    }
    row[natoms] = p;
    this.half = {
      builds, count, i: hi, j: hj, shift: hs, row, periodicShift,
      off: big ? old.off : new Int32Array(hi.length), pd: big ? old.pd : new Float64Array(5 * hi.length),
    };
    return this.half;
  }

  /**
   * Energy (eV), forces (eV/Å), virial (eV) and per-atom energies (eV); per-atom virials (eV)
   * too when the calculator was made with `atomicVirials: true`.
   */
  compute(frame: Frame): CalcResult {
    const n = frame.symbols.length;
    const type = this.typesOf(frame);
    const H = this.halfList(frame);
    const t = this.tables;
    const rhorC = this.rhorC;
    const rho = new Float64Array(n);
    pairDensities(frame.positions, type, H, rhorC, t.cutoff * t.cutoff, 1.0 / t.dr, t.nr, rho);
    const fp = new Float64Array(n);
    const atomicEnergies = new Float64Array(n);
    let energy = embedding(rho, type, this.frhoC, 1.0 / t.drho, t.nrho, t.rhomax, fp, atomicEnergies);
    const forces = new Float64Array(3 * n);
    const atomicVirials = this.perAtomVirials ? new Float64Array(9 * n) : undefined;
    const w = new Float64Array(6);
    energy += pairForces(type, H, rhorC, this.z2rC, t.elements.length, fp, forces, atomicEnergies, w, atomicVirials);
    const virial = Float64Array.from([w[0], w[3], w[4], w[3], w[1], w[5], w[4], w[5], w[2]]);
    return atomicVirials ? { energy, forces, virial, atomicEnergies, atomicVirials } : { energy, forces, virial, atomicEnergies };
  }
}

/**
 * 1. Densities ρ_i = Σ_j ρ_{t_j}(r_ij), both atoms of each pair at once; stores each pair's grid
 * offset (−1 beyond the cutoff), fraction, r and r_i − r_j for the force pass.
 */
function pairDensities(x: Float64Array, type: Int32Array, H: HalfList, rhorC: Float64Array[], cut2: number, rdr: number, nr: number, rho: Float64Array): void {
  const { row, j: hj, shift, off: pairOff, pd, periodicShift } = H;
  const n = row.length - 1;
  for (let i = 0; i < n; i++) {
    const xi = x[3 * i], yi = x[3 * i + 1], zi = x[3 * i + 2];
    const ti = type[i];
    const ci = rhorC[ti];
    let rhoI = 0;
    for (let q = row[i], end = row[i + 1]; q < end; q++) {
      const j = hj[q];
      let dx = xi - x[3 * j], dy = yi - x[3 * j + 1], dz = zi - x[3 * j + 2];
      if (periodicShift) { dx -= shift[3 * q]; dy -= shift[3 * q + 1]; dz -= shift[3 * q + 2]; }
      const rsq = dx * dx + dy * dy + dz * dz;
      if (!(rsq < cut2)) { pairOff[q] = -1; continue; }
      const r = Math.sqrt(rsq);
      let p = r * rdr + 1.0;
      let m = Math.trunc(p);
      if (m > nr - 1) m = nr - 1;
      p -= m;
      if (p > 1.0) p = 1.0;
      const off = 7 * m;
      pairOff[q] = off;
      const b = 5 * q;
      pd[b] = p; pd[b + 1] = 1.0 / r; pd[b + 2] = dx; pd[b + 3] = dy; pd[b + 4] = dz;
      const tj = type[j];
      const cj = rhorC[tj];
      const rhoJ = ((cj[off + 3] * p + cj[off + 4]) * p + cj[off + 5]) * p + cj[off + 6];
      rhoI += rhoJ;
      if (ti === tj) rho[j] += rhoJ;
      else rho[j] += ((ci[off + 3] * p + ci[off + 4]) * p + ci[off + 5]) * p + ci[off + 6];
    }
    rho[i] += rhoI;
  }
}

/** 2. Embedding energies F(ρ_i) into `atomicEnergies` and F'(ρ_i) into `fp`; returns Σ F, eV. */
function embedding(rho: Float64Array, type: Int32Array, frhoC: Float64Array[], rdrho: number, nrho: number, rhomax: number, fp: Float64Array, atomicEnergies: Float64Array): number {
  let energy = 0;
  for (let i = 0; i < rho.length; i++) {
    let p = rho[i] * rdrho + 1.0;
    let m = Math.trunc(p);
    m = Math.max(1, Math.min(m, nrho - 1));
    p -= m;
    if (p > 1.0) p = 1.0;
    const c = frhoC[type[i]];
    const off = 7 * m;
    fp[i] = (c[off] * p + c[off + 1]) * p + c[off + 2];
    let phi = ((c[off + 3] * p + c[off + 4]) * p + c[off + 5]) * p + c[off + 6];
    if (rho[i] > rhomax) phi += fp[i] * (rho[i] - rhomax);
    atomicEnergies[i] = phi;
    energy += phi;
  }
  return energy;
}

/**
 * 3. Pair energies and forces (Newton's third law), the virial's six independent components
 * into w = [xx, yy, zz, xy, xz, yz], and ½ of each pair to each atom's energy (and virial, when
 * asked). Returns Σ φ, eV.
 */
function pairForces(
  type: Int32Array, H: HalfList, rhorC: Float64Array[], z2rC: Float64Array[], ne: number, fp: Float64Array,
  forces: Float64Array, atomicEnergies: Float64Array, w: Float64Array, atomicVirials: Float64Array | undefined,
): number {
  const { row, j: hj, off: pairOff, pd } = H;
  const n = row.length - 1;
  let energy = 0;
  let vxx = 0, vyy = 0, vzz = 0, vxy = 0, vxz = 0, vyz = 0;
  for (let i = 0; i < n; i++) {
    const ti = type[i];
    const ci = rhorC[ti];
    const fpi = fp[i];
    let fxi = 0, fyi = 0, fzi = 0, ei = 0;
    for (let q = row[i], end = row[i + 1]; q < end; q++) {
      const off = pairOff[q];
      if (off < 0) continue;
      const j = hj[q];
      const tj = type[j];
      const b = 5 * q;
      const p = pd[b];
      const recip = pd[b + 1];
      const rhoip = (ci[off] * p + ci[off + 1]) * p + ci[off + 2]; // dρ_{t_i}/dr: density at j from i
      let rhojp = rhoip;
      if (ti !== tj) {
        const cj = rhorC[tj];
        rhojp = (cj[off] * p + cj[off + 1]) * p + cj[off + 2]; // dρ_{t_j}/dr: density at i from j
      }
      const cz = z2rC[ti * ne + tj];
      const z2p = (cz[off] * p + cz[off + 1]) * p + cz[off + 2];
      const z2 = ((cz[off + 3] * p + cz[off + 4]) * p + cz[off + 5]) * p + cz[off + 6];
      const phi = z2 * recip;
      const phip = z2p * recip - phi * recip;
      const psip = fpi * rhojp + fp[j] * rhoip + phip;
      const fpair = -psip * recip;
      const dx = pd[b + 2], dy = pd[b + 3], dz = pd[b + 4];
      const fx = dx * fpair, fy = dy * fpair, fz = dz * fpair;
      fxi += fx; fyi += fy; fzi += fz;
      forces[3 * j] -= fx; forces[3 * j + 1] -= fy; forces[3 * j + 2] -= fz;
      energy += phi;
      ei += 0.5 * phi;
      atomicEnergies[j] += 0.5 * phi;
      const wxx = dx * fx, wyy = dy * fy, wzz = dz * fz, wxy = dx * fy, wxz = dx * fz, wyz = dy * fz;
      vxx += wxx; vyy += wyy; vzz += wzz; vxy += wxy; vxz += wxz; vyz += wyz;
      if (atomicVirials) halfPairVirial(atomicVirials, i, j, wxx, wyy, wzz, wxy, wxz, wyz);
    }
    forces[3 * i] += fxi; forces[3 * i + 1] += fyi; forces[3 * i + 2] += fzi;
    atomicEnergies[i] += ei;
  }
  w[0] = vxx; w[1] = vyy; w[2] = vzz; w[3] = vxy; w[4] = vxz; w[5] = vyz;
  return energy;
}

/** Add ½ of a pair's virial (symmetric, given by six components) to atoms i and j. */
function halfPairVirial(av: Float64Array, i: number, j: number, xx: number, yy: number, zz: number, xy: number, xz: number, yz: number): void {
  for (let k = 0; k < 2; k++) {
    const a = 9 * (k === 0 ? i : j);
    av[a] += 0.5 * xx; av[a + 1] += 0.5 * xy; av[a + 2] += 0.5 * xz;
    av[a + 3] += 0.5 * xy; av[a + 4] += 0.5 * yy; av[a + 5] += 0.5 * yz;
    av[a + 6] += 0.5 * xz; av[a + 7] += 0.5 * yz; av[a + 8] += 0.5 * zz;
  }
}

/** Pairs of the half list and per-pair scratch: grid offset, and interleaved [fraction, 1/r, r_i − r_j (3)]. */
interface HalfList {
  builds: number;
  count: number;
  /** Row pointers: the pairs of atom i (as the first atom) are row[i] … row[i+1]−1. */
  row: Int32Array;
  /** Whether any pair has a periodic image shift (else the shift array is all zeros). */
  periodicShift: boolean;
  i: Int32Array;
  j: Int32Array;
  shift: Float64Array;
  off: Int32Array;
  pd: Float64Array;
}
