/**
 * Pass B of the trainer and the per-frame loss (see engine.ts for the derivation): the tangent of
 * every atom's energy along (v, U), then one reverse sweep over the primal and tangent computations
 * that adds a·∂E/∂θ + ∂χ/∂θ to the gradient.
 */
import { embeddingIndex } from '../../potentials/dp/model.ts';
import { netForward, netReverse } from './net-tape.ts';
import { atomDescriptorTangent, descriptorTangentAdjoint } from './descriptor-tangent.ts';
import { energyForces } from './energy-forces.ts';
import type { PreparedFrame } from './frame-prepare.ts';
import type { TrainCore, TrainWorkspace } from './workspace.ts';

/** Loss terms of one frame (unscaled by the batch). */
export interface FrameLoss {
  /** p_e ΔE²/N + p_f mean(ΔF²) + p_v mean(ΔW²)/N. */
  loss: number;
  /** E − E_ref, eV. */
  dE: number;
  /** Σ (F − F_ref)², eV²/Å² over 3N components. */
  sumSqF: number;
  /** Σ (W − W_ref)² over the 9 components, eV², or null when the frame has no virial label (or p_v = 0). */
  sumSqV: number | null;
  natoms: number;
  /** χ = Σ_i Ė_i from the tangent pass (the directional derivative the force/virial terms need). */
  tangent: number;
  /** The same χ from the force and virial pass: −(b·v)·F − U:W (a consistency check). */
  tangentFromForces: number;
}

/** Adds the adjoint of atom i's padding embeddings (from ws.grbar) to ws.padAdj. */
function padAdjoint(c: TrainCore, ws: TrainWorkspace, pf: PreparedFrame, i: number): void {
  const { T, M } = c;
  const ti = pf.types[i];
  const grbar = ws.grbar;
  for (let t = 0; t < T; t++) {
    const np = pf.npad[i * T + t];
    if (np === 0) continue;
    const po = (ti * T + t) * M;
    const P0 = c.rpad[4 * ti], P1 = c.rpad[4 * ti + 1], P2 = c.rpad[4 * ti + 2], P3 = c.rpad[4 * ti + 3];
    for (let a = 0; a < M; a++) {
      ws.padAdj[po + a] += np * (grbar[4 * a] * P0 + grbar[4 * a + 1] * P1 + grbar[4 * a + 2] * P2 + grbar[4 * a + 3] * P3);
    }
  }
}

/** Reverse of atom i's real-neighbour embeddings with seeds from (ws.grbar, ws.grtbar); into c.grad. */
function neighbourEmbeddingsReverse(c: TrainCore, ws: TrainWorkspace, pf: PreparedFrame, i: number): void {
  const d = c.model.descriptor;
  const { T, M } = c;
  const s = pf.slots;
  const { grbar, grtbar, Gbar, Gdbar, Rd, cR } = ws;
  const ti = pf.types[i];
  const q0 = s.offsets[i];
  for (let q = q0; q < s.offsets[i + 1]; q++) {
    const l = 4 * (q - q0);
    const R0 = cR[4 * q], R1 = cR[4 * q + 1], R2 = cR[4 * q + 2], R3 = cR[4 * q + 3];
    const Rd0 = Rd[l], Rd1 = Rd[l + 1], Rd2 = Rd[l + 2], Rd3 = Rd[l + 3];
    for (let a = 0; a < M; a++) {
      const t0 = grtbar[4 * a], t1 = grtbar[4 * a + 1], t2 = grtbar[4 * a + 2], t3 = grtbar[4 * a + 3];
      Gbar[a] = grbar[4 * a] * R0 + grbar[4 * a + 1] * R1 + grbar[4 * a + 2] * R2 + grbar[4 * a + 3] * R3 +
        t0 * Rd0 + t1 * Rd1 + t2 * Rd2 + t3 * Rd3;
      Gdbar[a] = t0 * R0 + t1 * R1 + t2 * R2 + t3 * R3;
    }
    const net = c.layout.emb[embeddingIndex(d, T, ti, pf.types[s.atom[q]])]!;
    netReverse(net, c.theta, c.grad, ws.emb, q, Rd0, Gbar, Gdbar, ws.rev, false);
  }
}

/** Reverse of the padding embeddings once per frame with the accumulated ws.padAdj (no tangent); into c.grad. */
function padEmbeddingsReverse(c: TrainCore, ws: TrainWorkspace): void {
  const d = c.model.descriptor;
  const { T, M } = c;
  const zero = ws.Gdbar;
  zero.fill(0);
  for (let ti = 0; ti < T; ti++) {
    for (let t = 0; t < T; t++) {
      const po = (ti * T + t) * M;
      let any = false;
      for (let a = 0; a < M; a++) if (ws.padAdj[po + a] !== 0) any = true;
      if (!any) continue;
      const net = c.layout.emb[embeddingIndex(d, T, ti, t)];
      if (!net) continue;
      ws.pad.X[0][0] = c.rpad[4 * ti];
      netForward(net, c.theta, c.thetaT, ws.pad, 0, true);
      netReverse(net, c.theta, c.grad, ws.pad, 0, 0, ws.padAdj.subarray(po, po + M), zero, ws.rev, false);
    }
  }
}

/**
 * Pass B after energyForces(pf, true): adds a·∂E/∂θ + ∂χ/∂θ to c.grad, where χ = Σ_pairs
 * ∂E/∂d_q · ḋ_q is the derivative of E when every pair vector d_q = r_j − r_i moves by
 * ḋ_q = v_j − v_i + U·d_q (v: any fixed 3N vector, eV/Å-scaled; U: a fixed 3×3 row-major
 * homogeneous strain rate or null). Returns χ from the tangent pass.
 */
export function reverseParams(c: TrainCore, ws: TrainWorkspace, pf: PreparedFrame, v: Float64Array, aE: number, U: Float64Array | null): number {
  const seedE = Float64Array.of(aE), seedPhi = Float64Array.of(1);
  ws.padAdj.fill(0);
  let phi = 0;
  for (let i = 0; i < pf.natoms; i++) {
    const fit = c.layout.fit[pf.types[i]];
    atomDescriptorTangent(c, ws, pf, i, v, U);
    netForward(fit, c.theta, c.thetaT, ws.fit, 0, true);
    phi += ws.fit.XT[fit.layers.length][0];
    netReverse(fit, c.theta, c.grad, ws.fit, 0, 1, seedE, seedPhi, ws.rev, true);
    descriptorTangentAdjoint(c, ws, i, ws.rev.xbar, ws.rev.xdbar);
    padAdjoint(c, ws, pf, i);
    neighbourEmbeddingsReverse(c, ws, pf, i);
  }
  padEmbeddingsReverse(c, ws);
  return phi;
}

/**
 * Loss of one frame with prefactors prefE (energy), prefF (force) and prefV (virial), and `scale`·∂L/∂θ
 * added to c.grad (scale = 1/batch size). Prefactor 0 drops a term (as DeePMD's has_e/has_f/has_v);
 * the virial term needs the frame's virial label (find_virial):
 *   L = prefE·ΔE²/N + prefF·Σ ΔF²/(3N) + prefV·Σ_kc ΔW_kc²/(9N).
 * Gradient: ∂L/∂θ = a·∂E/∂θ + ∂χ/∂θ with χ = b·Σ v·∂E/∂R + c·Σ u:W, v = ΔF, u = ΔW held fixed,
 * a = 2prefE·ΔE/N, b = −2prefF/(3N), c = 2prefV/(9N); since W = −Σ_pairs ∂E/∂d ⊗ d, the virial part is
 * the derivative of E under the homogeneous strain rate U = −c·u of every pair vector.
 */
export function lossAndGradient(c: TrainCore, ws: TrainWorkspace, pf: PreparedFrame, prefE: number, prefF: number, scale: number, prefV: number): FrameLoss {
  const n = pf.natoms;
  const { energy, forces, virial } = energyForces(c, ws, pf, true);
  const dE = energy - pf.energy;
  const b = (-scale * 2 * prefF) / (3 * n);
  const v = new Float64Array(3 * n);
  let sumSqF = 0, chiForces = 0;
  for (let k = 0; k < 3 * n; k++) {
    const dF = forces[k] - pf.forces[k];
    sumSqF += dF * dF;
    v[k] = b * dF;
    chiForces -= v[k] * forces[k];
  }
  let loss = (prefE * dE * dE) / n + (prefF * sumSqF) / (3 * n);
  let sumSqV: number | null = null;
  let U: Float64Array | null = null;
  if (pf.virial) {
    sumSqV = 0;
    const cV = (scale * 2 * prefV) / (9 * n);
    U = new Float64Array(9);
    for (let k = 0; k < 9; k++) {
      const dW = virial[k] - pf.virial[k];
      sumSqV += dW * dW;
      U[k] = -cV * dW;
      chiForces -= U[k] * virial[k];
    }
    loss += (prefV * sumSqV) / (9 * n);
    if (prefV === 0) U = null;
  }
  const aE = (scale * 2 * prefE * dE) / n;
  const tangent = reverseParams(c, ws, pf, v, aE, U);
  return { loss, dE, sumSqF, sumSqV, natoms: n, tangent, tangentFromForces: chiForces };
}

/** ∂E/∂θ only (into c.grad, scaled), returns E (eV). */
export function energyGradient(c: TrainCore, ws: TrainWorkspace, pf: PreparedFrame, scale: number): number {
  const { energy } = energyForces(c, ws, pf, false);
  reverseParams(c, ws, pf, new Float64Array(3 * pf.natoms), scale, null);
  return energy;
}
