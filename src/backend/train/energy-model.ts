/**
 * The DP-SE energy of a training sample and its gradient with respect to every network weight
 * (reverse mode through fitting net → descriptor → embedding nets), float64:
 *   R_j = (e_j − davg[ti, j]) / dstd[ti, j]  (all nnei slots, padding e_j = 0)
 *   G_j = Emb_{ti,tj}(R_j0),  gr = (1/nnei) Σ_j G_j ⊗ R_j  (M × 4),  D[a·M< + b] = Σ_k gr[a,k] gr[b,k]
 *   E = Σ_i Fit_{ti}(D_i) + bias_atom_e[ti] + out_bias[ti]   (eV)
 * Same equations as the evaluator (descriptor-se-a.ts, fitting-ener.ts); a test checks equality.
 */
import type { DpModel } from '../../core/potentials/dp/model.ts';
import { embeddingIndex, embeddingWidth } from '../../core/potentials/dp/model.ts';
import { GradNetwork, type NetCache } from './net-grad.ts';
import type { Sample } from './samples.ts';

export class DpSeEnergyModel {
  readonly emb: (GradNetwork | null)[];
  readonly fit: GradNetwork[];
  private readonly embCache: (NetCache | null)[];
  private readonly fitCache: NetCache[];
  private readonly M: number;
  private readonly Ma: number;
  private readonly nnei: number;
  /** Neighbour type of each slot. */
  private readonly slotType: Int32Array;

  constructor(readonly model: DpModel) {
    const d = model.descriptor;
    this.emb = d.embeddings.networks.map((n) => (n ? new GradNetwork(n) : null));
    this.fit = model.fitting.nets.networks.map((n) => new GradNetwork(n!));
    this.embCache = this.emb.map((n) => n?.makeCache() ?? null);
    this.fitCache = this.fit.map((n) => n.makeCache());
    this.M = embeddingWidth(d);
    this.Ma = d.axisNeuron;
    this.nnei = d.nnei;
    this.slotType = new Int32Array(d.nnei);
    for (let t = 0; t < model.ntypes; t++) for (let j = d.sec[t]; j < d.sec[t + 1]; j++) this.slotType[j] = t;
  }

  params(): Array<{ p: Float64Array; g: Float64Array }> {
    return [...this.emb.flatMap((n) => n?.params() ?? []), ...this.fit.flatMap((n) => n.params())];
  }

  zeroGrad(): void {
    for (const { g } of this.params()) g.fill(0);
  }

  private fitIndex(ti: number): number {
    return this.model.fitting.nets.ndim === 0 ? 0 : ti;
  }

  /** Normalised env row R (4) of slot j of atom i. */
  private row(s: Sample, i: number, j: number, R: Float64Array): void {
    const d = this.model.descriptor;
    const ti = s.types[i];
    const o = (i * this.nnei + j) * 4, b = (ti * this.nnei + j) * 4;
    for (let k = 0; k < 4; k++) R[k] = (s.env[o + k] - d.davg[b + k]) / d.dstd[b + k];
  }

  /** gr (M×4, scaled by 1/nnei) and D of atom i. */
  private descriptor(s: Sample, i: number): { gr: Float64Array; D: Float64Array } {
    const { M, Ma, nnei } = this;
    const T = this.model.ntypes;
    const ti = s.types[i];
    const gr = new Float64Array(M * 4);
    const R = new Float64Array(4);
    for (let j = 0; j < nnei; j++) {
      const k = embeddingIndex(this.model.descriptor, T, ti, this.slotType[j]);
      const net = this.emb[k];
      if (!net) continue;
      this.row(s, i, j, R);
      const G = net.forward([R[0]], this.embCache[k]!);
      for (let a = 0; a < M; a++) for (let c = 0; c < 4; c++) gr[4 * a + c] += G[a] * R[c];
    }
    for (let m = 0; m < M * 4; m++) gr[m] /= nnei;
    const D = new Float64Array(M * Ma);
    for (let a = 0; a < M; a++) for (let b = 0; b < Ma; b++) {
      D[a * Ma + b] = gr[4 * a] * gr[4 * b] + gr[4 * a + 1] * gr[4 * b + 1] + gr[4 * a + 2] * gr[4 * b + 2] + gr[4 * a + 3] * gr[4 * b + 3];
    }
    return { gr, D };
  }

  /** Total energy of a sample, eV. */
  energy(s: Sample): number {
    let e = 0;
    for (let i = 0; i < s.natoms; i++) e += this.atomEnergy(s, i).e;
    return e;
  }

  private atomEnergy(s: Sample, i: number): { e: number; gr: Float64Array } {
    const ti = s.types[i];
    const { gr, D } = this.descriptor(s, i);
    const f = this.fitIndex(ti);
    const out = this.fit[f].forward(D, this.fitCache[f]);
    return { e: out[0] + this.model.fitting.biasAtomE[ti] + this.model.outBias[ti], gr };
  }

  /** Accumulate dE/dθ · dLdE into the gradients (call after zeroGrad). Returns E (eV). */
  backward(s: Sample, dLdE: number): number {
    const { M, Ma, nnei } = this;
    const T = this.model.ntypes;
    let etot = 0;
    const R = new Float64Array(4);
    for (let i = 0; i < s.natoms; i++) {
      const ti = s.types[i];
      const { e, gr } = this.atomEnergy(s, i); // fresh caches for this atom's fitting net
      etot += e;
      const f = this.fitIndex(ti);
      const dD = this.fit[f].backward(this.fitCache[f], Float64Array.of(dLdE))!;
      // ∂L/∂gr (of the scaled gr), then to the unscaled sum: × 1/nnei.
      const dgr = new Float64Array(M * 4);
      for (let c = 0; c < M; c++) for (let k = 0; k < 4; k++) {
        let acc = 0;
        for (let b = 0; b < Ma; b++) acc += dD[c * Ma + b] * gr[4 * b + k];
        if (c < Ma) for (let a = 0; a < M; a++) acc += dD[a * Ma + c] * gr[4 * a + k];
        dgr[4 * c + k] = acc / nnei;
      }
      for (let j = 0; j < nnei; j++) {
        const k = embeddingIndex(this.model.descriptor, T, ti, this.slotType[j]);
        const net = this.emb[k];
        if (!net) continue;
        this.row(s, i, j, R);
        net.forward([R[0]], this.embCache[k]!);
        const dG = new Float64Array(M);
        for (let a = 0; a < M; a++) dG[a] = dgr[4 * a] * R[0] + dgr[4 * a + 1] * R[1] + dgr[4 * a + 2] * R[2] + dgr[4 * a + 3] * R[3];
        net.backward(this.embCache[k]!, dG, false);
      }
    }
    return etot;
  }
}
