/**
 * Forces and virial of one atom's energy in the trainer (docs/dp-se.md §4.2): ∂E_i/∂D → ∂E_i/∂gr
 * → per neighbour ∂E_i/∂d, scattered to the pair's atoms. The same blocks as the evaluator's
 * (core/potentials/dp/se-a-blocks.ts).
 */
import { grAdjoint, pairGradient, scatterPairForce } from '../../potentials/dp/se-a-blocks.ts';
import type { PreparedFrame } from './frame-prepare.ts';
import type { TrainCore, TrainWorkspace } from './workspace.ts';

/** Adds atom i's force contributions to `forces` (eV/Å) and its virial to `virial` (eV, 3×3), given dD = ∂E_i/∂D. */
export function atomForces(c: TrainCore, ws: TrainWorkspace, pf: PreparedFrame, i: number, dD: Float64Array, forces: Float64Array, virial: Float64Array): void {
  const { M, Ma } = c;
  const s = pf.slots;
  const L = c.layout.embWidths.length;
  const cY = ws.emb.X[L], cYT = ws.emb.XT[L];
  const ti = pf.types[i];
  const dgr = ws.grbar;
  grAdjoint(dD, ws.grAll, i * 4 * M, M, Ma, 1 / c.nnei, dgr);
  const p = c.model.descriptor.envProtection;
  const g3 = ws.g3;
  for (let q = s.offsets[i]; q < s.offsets[i + 1]; q++) {
    const x = s.vec[3 * q], y = s.vec[3 * q + 1], z = s.vec[3 * q + 2];
    pairGradient(dgr, M, cY, cYT, q * M, ws.cR, 4 * q, c.dstd, 4 * ti, x, y, z, ws.cr[q], ws.csw[q], ws.cdsw[q], p, g3);
    scatterPairForce(forces, virial, 0, i, s.atom[q], x, y, z, g3);
  }
}
