/**
 * se_e2_a descriptor of one atom, forward and reverse (docs/dp-se.md §3.4–3.6, §4.2), float64.
 *   R_j = (e_j − davg[ti, j]) / dstd[ti, j]     (padding slots: e_j = 0, so R = −davg/dstd)
 *   G_j = EmbNet_{net(ti, tj)}(R_j[0])          (M values)
 *   gr  = (1/nnei) Σ_j G_j ⊗ R_j               (M × 4, all slots incl. padding)
 *   D[a·M< + b] = Σ_k gr[a, k] gr[b, k]         (a < M, b < M<)
 * Padding contributions depend only on (ti, slot), so they are precomputed once per model as
 * suffix sums per block; an atom adds the suffix that starts after its last occupied slot.
 */
import type { DpModel } from './model.ts';
import { embeddingIndex, embeddingWidth } from './model.ts';
import { PreparedNetwork } from './network.ts';
import { envRow } from './env-mat.ts';
import { descriptorFromGr, grAdjoint, pairGradient, scatterPairForce } from './se-a-blocks.ts';
import { TABLE_MAX_ERROR, TabulatedEmbedding, tableRange, type TabulateOptions } from './tabulate.ts';
import type { SeASlots } from './nlist-slots.ts';

/** Per-atom scratch of the descriptor (reused between atoms). */
export interface SeAWork {
  /** gr, M × 4 row-major (after the 1/nnei scaling). */
  gr: Float64Array;
  /** Descriptor D, length M·M< (row-major a·M< + b). */
  D: Float64Array;
  /** ∂E/∂gr, M × 4. */
  dgr: Float64Array;
  /** Per real neighbour entry e (local index q): G (M), dG/ds (M), R (4), r, sw, dsw. */
  G: Float64Array;
  dG: Float64Array;
  R: Float64Array;
  r: Float64Array;
  sw: Float64Array;
  dsw: Float64Array;
}

export class SeADescriptor {
  readonly M: number;
  readonly Ma: number;
  readonly nnei: number;
  readonly dim: number;
  private readonly T: number;
  private readonly model: DpModel;
  private readonly nets: (PreparedNetwork | null)[];
  /** Tabulated embedding nets (opt-in, and only when they fit within maxError), same indexing as nets. */
  private readonly tabs: (TabulatedEmbedding | null)[] | null;
  /** Largest interpolation error of the tables built (0 when none were asked for), even if rejected. */
  readonly tableError: number;
  /** padR[(ti*nnei + j)*4 + k], padG[(ti*nnei + j)*M + a]: the padding row of slot j. */
  private readonly padR: Float64Array;
  private readonly padG: Float64Array;
  /** suffix[(ti*(nnei+T) + j + t)*M*4]: Σ of padding outer products from slot j to the block end (one extra zero entry per block). */
  private readonly suffix: Float64Array;
  private readonly e4 = new Float64Array(4);
  private readonly swb = new Float64Array(2);
  private readonly g3 = new Float64Array(3);

  /**
   * `tabulate`: evaluate the embedding nets from quintic tables of interval `step` (s units,
   * DeePMD's default 0.01) covering neighbours from `rmin` Å (default 1.0) to the cutoff — the
   * CPU analogue of DeePMD's compressed model; off by default (the exact nets). Tables whose
   * error exceeds `maxError` (default TABLE_MAX_ERROR) are dropped: `tabulated` is then false.
   */
  constructor(model: DpModel, tabulate?: TabulateOptions) {
    const d = model.descriptor;
    this.model = model;
    this.T = model.ntypes;
    this.M = embeddingWidth(d);
    this.Ma = d.axisNeuron;
    this.nnei = d.nnei;
    this.dim = this.M * this.Ma;
    this.nets = d.embeddings.networks.map((n) => (n ? new PreparedNetwork(n) : null));
    const { T, M, nnei } = this;
    if (tabulate) {
      const range = tableRange([model], tabulate);
      const tabs = this.nets.map((n) => (n ? new TabulatedEmbedding(n, M, range) : null));
      this.tableError = Math.max(0, ...tabs.map((t) => t?.maxFitError ?? 0));
      this.tabs = this.tableError <= (tabulate.maxError ?? TABLE_MAX_ERROR) ? tabs : null;
    } else {
      this.tabs = null;
      this.tableError = 0;
    }
    this.padR = new Float64Array(T * nnei * 4);
    this.padG = new Float64Array(T * nnei * M);
    this.suffix = new Float64Array(T * (nnei + T) * M * 4);
    const dG = new Float64Array(M);
    for (let ti = 0; ti < T; ti++) {
      for (let t = 0; t < T; t++) {
        const net = this.nets[embeddingIndex(d, T, ti, t)];
        for (let j = d.sec[t]; j < d.sec[t + 1]; j++) {
          const base = (ti * nnei + j) * 4;
          for (let k = 0; k < 4; k++) this.padR[base + k] = (0 - d.davg[base + k]) / d.dstd[base + k];
          if (net) net.forwardScalarWithTangent(this.padR[base], this.padG.subarray((ti * nnei + j) * M, (ti * nnei + j + 1) * M), dG);
        }
        // Suffix sums from the block end backwards; entry for slot j at index j + t (block t has sel[t]+1 entries).
        const end = d.sec[t + 1];
        for (let j = end - 1; j >= d.sec[t]; j--) {
          const dst = (ti * (nnei + T) + j + t) * M * 4;
          const src = dst + M * 4; // entry j+1 of the same block
          const g = (ti * nnei + j) * M;
          const r = (ti * nnei + j) * 4;
          for (let a = 0; a < M; a++) {
            for (let k = 0; k < 4; k++) this.suffix[dst + a * 4 + k] = this.suffix[src + a * 4 + k] + this.padG[g + a] * this.padR[r + k];
          }
        }
      }
    }
  }

  /** True when the embedding nets are evaluated from tables (inside their s-range). */
  get tabulated(): boolean {
    return this.tabs !== null;
  }

  /** Allocate a scratch for atoms with up to maxEntries real neighbours. */
  makeWork(maxEntries: number): SeAWork {
    const { M } = this;
    const n = Math.max(1, maxEntries);
    return {
      gr: new Float64Array(M * 4), D: new Float64Array(this.dim), dgr: new Float64Array(M * 4),
      G: new Float64Array(n * M), dG: new Float64Array(n * M), R: new Float64Array(n * 4),
      r: new Float64Array(n), sw: new Float64Array(n), dsw: new Float64Array(n),
    };
  }

  /** Forward pass for atom i of type ti: fills w.gr, w.D and the per-neighbour caches. */
  forward(i: number, ti: number, types: Int32Array, s: SeASlots, w: SeAWork): void {
    const d = this.model.descriptor;
    const { M, Ma, T, nnei } = this;
    const { gr, D } = w;
    gr.fill(0);
    const e4 = this.e4, swb = this.swb;
    const q0 = s.offsets[i], q1 = s.offsets[i + 1];
    for (let q = q0; q < q1; q++) {
      const l = q - q0;
      const j = s.slot[q];
      const x = s.vec[3 * q], y = s.vec[3 * q + 1], z = s.vec[3 * q + 2];
      w.r[l] = envRow(x, y, z, d.rcutSmth, d.rcut, d.envProtection, e4, swb);
      if (w.r[l] === 0) throw new Error(`atoms ${i} and ${s.atom[q]} (or its periodic image) are at the same position`);
      w.sw[l] = swb[0];
      w.dsw[l] = swb[1];
      const base = (ti * nnei + j) * 4;
      const R = w.R.subarray(4 * l, 4 * l + 4);
      for (let k = 0; k < 4; k++) R[k] = (e4[k] - d.davg[base + k]) / d.dstd[base + k];
      const e = embeddingIndex(d, T, ti, types[s.atom[q]]);
      const net = this.nets[e];
      const G = w.G.subarray(l * M, (l + 1) * M);
      if (!net) {
        G.fill(0);
        w.dG.fill(0, l * M, (l + 1) * M);
        continue;
      }
      const tab = this.tabs ? this.tabs[e] : null;
      if (tab) tab.evaluate(R[0], G, w.dG.subarray(l * M, (l + 1) * M));
      else net.forwardScalarWithTangent(R[0], G, w.dG.subarray(l * M, (l + 1) * M));
      const r0 = R[0], r1 = R[1], r2 = R[2], r3 = R[3];
      for (let a = 0; a < M; a++) {
        const g = G[a];
        gr[4 * a] += g * r0;
        gr[4 * a + 1] += g * r1;
        gr[4 * a + 2] += g * r2;
        gr[4 * a + 3] += g * r3;
      }
    }
    // Padding: the tail of each block, plus pair-excluded slots inside the occupied range.
    for (let t = 0; t < T; t++) {
      const start = d.sec[t] + s.fill[i * T + t];
      if (start >= d.sec[t + 1]) continue;
      const src = (ti * (nnei + T) + start + t) * M * 4;
      for (let m = 0; m < M * 4; m++) gr[m] += this.suffix[src + m];
    }
    for (let p = s.padOffsets[i]; p < s.padOffsets[i + 1]; p++) {
      const j = s.padSlots[p];
      const g = (ti * nnei + j) * M, r = (ti * nnei + j) * 4;
      for (let a = 0; a < M; a++) for (let k = 0; k < 4; k++) gr[4 * a + k] += this.padG[g + a] * this.padR[r + k];
    }
    const inv = 1 / nnei;
    for (let m = 0; m < M * 4; m++) gr[m] *= inv;
    descriptorFromGr(gr, 0, M, Ma, D);
  }

  /**
   * Reverse pass for atom i after forward(): given dD = ∂E_i/∂D, accumulates forces (eV/Å,
   * F[mapping j] −= g_ij, F[i] += g_ij) and per-atom virials (eV, Wa[j][k*3+c] −= g_k d_c) (docs/dp-se.md §4.2).
   */
  backward(i: number, ti: number, s: SeASlots, w: SeAWork, dD: Float64Array, forces: Float64Array, atomVirials: Float64Array): void {
    const d = this.model.descriptor;
    const { M, Ma, nnei } = this;
    const { gr, dgr } = w;
    grAdjoint(dD, gr, 0, M, Ma, 1 / nnei, dgr);
    const g3 = this.g3;
    const q0 = s.offsets[i], q1 = s.offsets[i + 1];
    for (let q = q0; q < q1; q++) {
      const l = q - q0;
      const x = s.vec[3 * q], y = s.vec[3 * q + 1], z = s.vec[3 * q + 2];
      pairGradient(dgr, M, w.G, w.dG, l * M, w.R, 4 * l, d.dstd, (ti * nnei + s.slot[q]) * 4, x, y, z, w.r[l], w.sw[l], w.dsw[l], d.envProtection, g3);
      const aj = s.atom[q];
      scatterPairForce(forces, atomVirials, 9 * aj, i, aj, x, y, z, g3);
    }
  }
}
