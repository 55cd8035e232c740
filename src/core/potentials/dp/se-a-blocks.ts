/**
 * The se_e2_a building blocks shared by the evaluator (descriptor-se-a.ts) and the trainer
 * (core/train/passes): one copy each of the descriptor contraction, its reverse, the per-pair
 * gradient ∂E/∂d and the force/virial scatter (docs/dp-se.md §3.6, §4.2). Float64, no allocation.
 *
 * Layouts: gr is M × 4 row-major starting at offset `go`; D is M × M< row-major (a·M< + b).
 */
import { envRowBackward } from './env-mat.ts';

/**
 * D[a·Ma + b] = Σ_k gr[a,k] gr[b,k]. With a tangent grt (M × 4 at offset 0) also
 * Ḋ[a·Ma + b] = Σ_k ġr[a,k] gr[b,k] + gr[a,k] ġr[b,k] into Dt.
 */
export function descriptorFromGr(
  gr: Float64Array, go: number, M: number, Ma: number, D: Float64Array,
  grt: Float64Array | null = null, Dt: Float64Array | null = null,
): void {
  for (let a = 0; a < M; a++) {
    const a0 = gr[go + 4 * a], a1 = gr[go + 4 * a + 1], a2 = gr[go + 4 * a + 2], a3 = gr[go + 4 * a + 3];
    for (let b = 0; b < Ma; b++) {
      D[a * Ma + b] = a0 * gr[go + 4 * b] + a1 * gr[go + 4 * b + 1] + a2 * gr[go + 4 * b + 2] + a3 * gr[go + 4 * b + 3];
    }
    if (grt && Dt) {
      const t0 = grt[4 * a], t1 = grt[4 * a + 1], t2 = grt[4 * a + 2], t3 = grt[4 * a + 3];
      for (let b = 0; b < Ma; b++) {
        Dt[a * Ma + b] =
          t0 * gr[go + 4 * b] + t1 * gr[go + 4 * b + 1] + t2 * gr[go + 4 * b + 2] + t3 * gr[go + 4 * b + 3] +
          a0 * grt[4 * b] + a1 * grt[4 * b + 1] + a2 * grt[4 * b + 2] + a3 * grt[4 * b + 3];
      }
    }
  }
}

/**
 * Reverse of descriptorFromGr followed by the 1/nnei scaling: dgr = inv · ∂E/∂gr from dD = ∂E/∂D
 * (`add`: dgr += instead of =, e.g. the trainer's tangent adjoint, descriptor-tangent.ts).
 */
export function grAdjoint(dD: Float64Array, gr: Float64Array, go: number, M: number, Ma: number, inv: number, dgr: Float64Array, add = false): void {
  for (let c = 0; c < M; c++) {
    for (let k = 0; k < 4; k++) {
      let acc = 0;
      for (let b = 0; b < Ma; b++) acc += dD[c * Ma + b] * gr[go + 4 * b + k];
      if (c < Ma) for (let a = 0; a < M; a++) acc += dD[a * Ma + c] * gr[go + 4 * a + k];
      dgr[4 * c + k] = add ? dgr[4 * c + k] + acc * inv : acc * inv;
    }
  }
}

/**
 * ∂E/∂d (eV/Å) of one neighbour displacement d = (x, y, z) into g3, given dgr = ∂E/∂gr (M × 4,
 * already scaled by 1/nnei): the chain through R_k = (e_k − davg_k)/dstd_k (dstd at offset `so`)
 * and through G(R_0) (docs/dp-se.md §4.2).
 */
export function pairGradient(
  dgr: Float64Array, M: number,
  G: Float64Array, dG: Float64Array, go: number, R: Float64Array, ro: number,
  dstd: Float64Array, so: number,
  x: number, y: number, z: number, r: number, sw: number, dsw: number, p: number,
  g3: Float64Array,
): void {
  const R0 = R[ro], R1 = R[ro + 1], R2 = R[ro + 2], R3 = R[ro + 3];
  let dR0 = 0, dR1 = 0, dR2 = 0, dR3 = 0, ds = 0;
  for (let a = 0; a < M; a++) {
    const ga = G[go + a];
    const d0 = dgr[4 * a], d1 = dgr[4 * a + 1], d2 = dgr[4 * a + 2], d3 = dgr[4 * a + 3];
    dR0 += d0 * ga;
    dR1 += d1 * ga;
    dR2 += d2 * ga;
    dR3 += d3 * ga;
    ds += (d0 * R0 + d1 * R1 + d2 * R2 + d3 * R3) * dG[go + a];
  }
  dR0 += ds;
  envRowBackward(x, y, z, r, sw, dsw, p, dR0 / dstd[so], dR1 / dstd[so + 1], dR2 / dstd[so + 2], dR3 / dstd[so + 3], g3);
}

/**
 * The force and virial of one pair (centre i, neighbour atom aj, d = r_j − r_i, g = ∂E/∂d):
 * F[aj] −= g, F[i] += g, and W[vo + 3k + c] −= g_k d_c (DeePMD's virial W = −Σ_pairs ∂E/∂d ⊗ d;
 * vo = 9·aj for per-atom virials, 0 for the total).
 */
export function scatterPairForce(
  forces: Float64Array, virial: Float64Array, vo: number, i: number, aj: number,
  x: number, y: number, z: number, g3: Float64Array,
): void {
  forces[3 * aj] -= g3[0];
  forces[3 * aj + 1] -= g3[1];
  forces[3 * aj + 2] -= g3[2];
  forces[3 * i] += g3[0];
  forces[3 * i + 1] += g3[1];
  forces[3 * i + 2] += g3[2];
  for (let k = 0; k < 3; k++) {
    const gk = g3[k];
    virial[vo + 3 * k] -= gk * x;
    virial[vo + 3 * k + 1] -= gk * y;
    virial[vo + 3 * k + 2] -= gk * z;
  }
}
