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
 * = −∂E/∂ε); per-atom energy F_i + ½ Σ_j φ_ij; per-atom virial ½ of each pair to each atom,
 * as LAMMPS' ev_tally. Open, periodic and mixed boundaries via the cell-list neighbour list.
 */
import type { Frame } from '../atoms.ts';
import type { CalcResult, Calculator } from './calculator.ts';
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
}

export class Eam implements Calculator {
  readonly name: string;
  readonly tables: EamTables;
  /** Cutoff radius, Å. */
  readonly cutoff: number;
  private readonly frho: EamSpline[];
  private readonly rhor: EamSpline[];
  /** z2r spline for an element pair (i, j), full ne×ne matrix of references. */
  private readonly z2r: EamSpline[];
  private readonly index: Map<string, number>;
  private readonly neighbors: SkinNeighborList;

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
    const file = tables.source.split(/[\\/]/).pop() ?? tables.source;
    this.name = `EAM ${file}`;
  }

  /** Build from file text; `name` is the file name (form from its extension, errors cite it). */
  static fromText(text: string, name: string, form?: 'funcfl' | 'setfl', opts: EamOptions = {}): Eam {
    return new Eam(parseEamText(text, name, form), opts);
  }

  /** Elements this potential describes. */
  get elements(): string[] {
    return [...this.tables.elements];
  }

  private typesOf(frame: Frame): Int32Array {
    return Int32Array.from(frame.symbols, (s, i) => {
      const t = this.index.get(s);
      if (t === undefined) throw new Error(`${this.name} has no parameters for element ${s} (atom ${i}); it describes ${this.tables.elements.join(', ')}`);
      return t;
    });
  }

  /** Energy (eV), forces (eV/Å), virial (eV), per-atom energies (eV) and virials (eV). */
  compute(frame: Frame): CalcResult {
    const n = frame.symbols.length;
    const type = this.typesOf(frame);
    const ne = this.tables.elements.length;
    const { nr, nrho, rhomax } = this.tables;
    const rdr = 1.0 / this.tables.dr;
    const rdrho = 1.0 / this.tables.drho;
    const cut2 = this.cutoff * this.cutoff;
    const nl = this.neighbors.get(frame);
    const { offsets, neighbors, vectors } = nl;

    // Per-pair grid location, reused by both passes.
    const npairs = neighbors.length;
    const pairOff = new Int32Array(npairs);
    const pairP = new Float64Array(npairs);
    const pairR = new Float64Array(npairs);

    // 1. Densities ρ_i = Σ_j ρ_{t_j}(r_ij).
    const rho = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let q = offsets[i]; q < offsets[i + 1]; q++) {
        const dx = vectors[3 * q], dy = vectors[3 * q + 1], dz = vectors[3 * q + 2];
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
        pairP[q] = p;
        pairR[q] = r;
        const c = this.rhor[type[neighbors[q]]].c;
        acc += ((c[off + 3] * p + c[off + 4]) * p + c[off + 5]) * p + c[off + 6];
      }
      rho[i] = acc;
    }

    // 2. Embedding energies F(ρ_i) and derivatives F'(ρ_i).
    const fp = new Float64Array(n);
    const atomicEnergies = new Float64Array(n);
    let energy = 0;
    for (let i = 0; i < n; i++) {
      let p = rho[i] * rdrho + 1.0;
      let m = Math.trunc(p);
      m = Math.max(1, Math.min(m, nrho - 1));
      p -= m;
      if (p > 1.0) p = 1.0;
      const c = this.frho[type[i]].c;
      const off = 7 * m;
      fp[i] = (c[off] * p + c[off + 1]) * p + c[off + 2];
      let phi = ((c[off + 3] * p + c[off + 4]) * p + c[off + 5]) * p + c[off + 6];
      if (rho[i] > rhomax) phi += fp[i] * (rho[i] - rhomax);
      atomicEnergies[i] = phi;
      energy += phi;
    }

    // 3. Pair energies and forces. Full list: each pair is seen from both atoms, so each visit
    // adds the force on i only, half the pair energy and half the pair virial.
    const forces = new Float64Array(3 * n);
    const virial = new Float64Array(9);
    const atomicVirials = new Float64Array(9 * n);
    for (let i = 0; i < n; i++) {
      const ti = type[i];
      const rhoI = this.rhor[ti].c;
      let fxi = 0, fyi = 0, fzi = 0, ei = 0;
      const av = 9 * i;
      for (let q = offsets[i]; q < offsets[i + 1]; q++) {
        const off = pairOff[q];
        if (off < 0) continue;
        const j = neighbors[q];
        const tj = type[j];
        const p = pairP[q];
        const r = pairR[q];
        const cj = this.rhor[tj].c;
        const cz = this.z2r[ti * ne + tj].c;
        const rhoip = (rhoI[off] * p + rhoI[off + 1]) * p + rhoI[off + 2]; // dρ_{t_i}/dr: density at j from i
        const rhojp = (cj[off] * p + cj[off + 1]) * p + cj[off + 2]; // dρ_{t_j}/dr: density at i from j
        const z2p = (cz[off] * p + cz[off + 1]) * p + cz[off + 2];
        const z2 = ((cz[off + 3] * p + cz[off + 4]) * p + cz[off + 5]) * p + cz[off + 6];
        const recip = 1.0 / r;
        const phi = z2 * recip;
        const phip = z2p * recip - phi * recip;
        const psip = fp[i] * rhojp + fp[j] * rhoip + phip;
        const fpair = -psip * recip;
        // del = r_i − r_j = −vector
        const dx = -vectors[3 * q], dy = -vectors[3 * q + 1], dz = -vectors[3 * q + 2];
        fxi += dx * fpair;
        fyi += dy * fpair;
        fzi += dz * fpair;
        ei += 0.5 * phi;
        const h = 0.5 * fpair;
        const vxx = h * dx * dx, vyy = h * dy * dy, vzz = h * dz * dz;
        const vxy = h * dx * dy, vxz = h * dx * dz, vyz = h * dy * dz;
        atomicVirials[av] += vxx; atomicVirials[av + 1] += vxy; atomicVirials[av + 2] += vxz;
        atomicVirials[av + 3] += vxy; atomicVirials[av + 4] += vyy; atomicVirials[av + 5] += vyz;
        atomicVirials[av + 6] += vxz; atomicVirials[av + 7] += vyz; atomicVirials[av + 8] += vzz;
      }
      forces[3 * i] = fxi;
      forces[3 * i + 1] = fyi;
      forces[3 * i + 2] = fzi;
      atomicEnergies[i] += ei;
      energy += ei;
      for (let k = 0; k < 9; k++) virial[k] += atomicVirials[av + k];
    }
    return { energy, forces, virial, atomicEnergies, atomicVirials };
  }
}
