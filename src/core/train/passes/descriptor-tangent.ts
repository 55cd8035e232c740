/**
 * Tangents of one atom's descriptor along a displacement (docs/dp-se.md §4.2, the trainer's pass B):
 * every pair vector d_q = r_j − r_i moves by ḋ_q = v_j − v_i + U·d_q; from the cached env rows
 * this gives Ṙ_q, ġr = (1/nnei) Σ_q (Ġ_q ⊗ R_q + G_q ⊗ Ṙ_q) with Ġ_q = Ṙ_q[0]·dG/ds, and Ḋ; and the
 * reverse of (gr, ġr) → (D, Ḋ).
 */
import { descriptorFromGr, grAdjoint } from '../../potentials/dp/se-a-blocks.ts';
import type { PreparedFrame } from './frame-prepare.ts';
import type { TrainCore, TrainWorkspace } from './workspace.ts';

/**
 * After atomDescriptor(i): Ṙ of atom i's entries into ws.Rd (4 per local entry), ġr into ws.grt,
 * and D, Ḋ into ws.fit.X[0], ws.fit.XT[0]. v: 3N displacement rate; U: 3×3 row-major strain rate or null.
 */
export function atomDescriptorTangent(c: TrainCore, ws: TrainWorkspace, pf: PreparedFrame, i: number, v: Float64Array, U: Float64Array | null): void {
  const { M, Ma } = c;
  const s = pf.slots;
  const L = c.layout.embWidths.length;
  const cY = ws.emb.X[L], cYT = ws.emb.XT[L];
  const p = c.model.descriptor.envProtection;
  const { grt, Rd, cR } = ws;
  const ti = pf.types[i];
  grt.fill(0);
  const q0 = s.offsets[i], q1 = s.offsets[i + 1];
  const vix = v[3 * i], viy = v[3 * i + 1], viz = v[3 * i + 2];
  const is0 = 1 / c.dstd[4 * ti], is1 = 1 / c.dstd[4 * ti + 1], is2 = 1 / c.dstd[4 * ti + 2], is3 = 1 / c.dstd[4 * ti + 3];
  for (let q = q0; q < q1; q++) {
    const aj = s.atom[q];
    const x = s.vec[3 * q], y = s.vec[3 * q + 1], z = s.vec[3 * q + 2];
    let dx = v[3 * aj] - vix, dy = v[3 * aj + 1] - viy, dz = v[3 * aj + 2] - viz;
    if (U) {
      dx += U[0] * x + U[1] * y + U[2] * z;
      dy += U[3] * x + U[4] * y + U[5] * z;
      dz += U[6] * x + U[7] * y + U[8] * z;
    }
    const r = ws.cr[q], w = ws.csw[q], dw = ws.cdsw[q];
    const rdot = (x * dx + y * dy + z * dz) / r;
    const rinv = 1 / (r + p);
    const rinv2 = rinv * rinv, rinv3 = rinv2 * rinv;
    const wdot = dw * rdot;
    const common = wdot * rinv2 - 2 * w * rdot * rinv3;
    const l = 4 * (q - q0);
    const Rd0 = (Rd[l] = (wdot * rinv - w * rdot * rinv2) * is0);
    const Rd1 = (Rd[l + 1] = (common * x + w * dx * rinv2) * is1);
    const Rd2 = (Rd[l + 2] = (common * y + w * dy * rinv2) * is2);
    const Rd3 = (Rd[l + 3] = (common * z + w * dz * rinv2) * is3);
    const R0 = cR[4 * q], R1 = cR[4 * q + 1], R2 = cR[4 * q + 2], R3 = cR[4 * q + 3];
    const Go = q * M;
    for (let a = 0; a < M; a++) {
      const gt = Rd0 * cYT[Go + a], ga = cY[Go + a];
      grt[4 * a] += gt * R0 + ga * Rd0;
      grt[4 * a + 1] += gt * R1 + ga * Rd1;
      grt[4 * a + 2] += gt * R2 + ga * Rd2;
      grt[4 * a + 3] += gt * R3 + ga * Rd3;
    }
  }
  const inv = 1 / c.nnei;
  for (let m = 0; m < 4 * M; m++) grt[m] *= inv;
  descriptorFromGr(ws.grAll, i * 4 * M, M, Ma, ws.fit.X[0], grt, ws.fit.XT[0]);
}

/**
 * Reverse of (gr, ġr) → (D, Ḋ) for atom i followed by the 1/nnei scaling: from D̄ (Db) and Ḋ̄ (Dtb)
 * into ws.grbar = ∂/∂gr and ws.grtbar = ∂/∂ġr.
 */
export function descriptorTangentAdjoint(c: TrainCore, ws: TrainWorkspace, i: number, Db: Float64Array, Dtb: Float64Array): void {
  const { M, Ma } = c;
  const gr = ws.grAll, go = i * 4 * M;
  const inv = 1 / c.nnei;
  // Ḋ = ġr·grᵀ + gr·ġrᵀ (restricted to b < M<) is bilinear: its adjoint is grAdjoint with gr and ġr swapped in turn.
  grAdjoint(Db, gr, go, M, Ma, inv, ws.grbar);
  grAdjoint(Dtb, ws.grt, 0, M, Ma, inv, ws.grbar, true);
  grAdjoint(Dtb, gr, go, M, Ma, inv, ws.grtbar);
}
