/**
 * Forward se_e2_a descriptor of one atom in the trainer (docs/dp-se.md §3.3–3.6): env rows of the
 * real neighbours, their embedding nets (taped with unit s-tangents for the later passes),
 * gr = (1/nnei) Σ_j G_j ⊗ R_j including the padding slots (one embedding per (centre type,
 * neighbour type): the padding row R_pad is the same for every slot), and D from gr.
 */
import { embeddingIndex } from '../../potentials/dp/model.ts';
import { envRow } from '../../potentials/dp/env-mat.ts';
import { descriptorFromGr } from '../../potentials/dp/se-a-blocks.ts';
import { netForward } from './net-tape.ts';
import type { PreparedFrame } from './frame-prepare.ts';
import type { TrainCore, TrainWorkspace } from './workspace.ts';

/** Padding embedding outputs per (centre type, neighbour type) into ws.padG (needs c.thetaT current). */
export function padEmbeddings(c: TrainCore, ws: TrainWorkspace): void {
  const d = c.model.descriptor;
  const { T, M } = c;
  const L = c.layout.embWidths.length;
  for (let ti = 0; ti < T; ti++) {
    for (let t = 0; t < T; t++) {
      const net = c.layout.emb[embeddingIndex(d, T, ti, t)];
      if (!net) continue;
      ws.pad.X[0][0] = c.rpad[4 * ti];
      netForward(net, c.theta, c.thetaT, ws.pad, 0, true);
      ws.padG.set(ws.pad.X[L].subarray(0, M), (ti * T + t) * M);
    }
  }
}

/**
 * gr of atom i into ws.grAll (offset i·4M), D into ws.fit.X[0]; caches the env rows (cR, cr,
 * csw, cdsw) and the embedding tape of every real neighbour entry.
 */
export function atomDescriptor(c: TrainCore, ws: TrainWorkspace, pf: PreparedFrame, i: number): void {
  const d = c.model.descriptor;
  const { T, M, Ma, nnei } = c;
  const s = pf.slots;
  const L = c.layout.embWidths.length;
  const cY = ws.emb.X[L], S = ws.emb.X[0];
  const { e4, sw2, cR } = ws;
  const ti = pf.types[i];
  const go = i * 4 * M;
  const gr = ws.grAll;
  gr.fill(0, go, go + 4 * M);
  const q0 = s.offsets[i], q1 = s.offsets[i + 1];
  for (let q = q0; q < q1; q++) {
    const r = envRow(s.vec[3 * q], s.vec[3 * q + 1], s.vec[3 * q + 2], d.rcutSmth, d.rcut, d.envProtection, e4, sw2);
    if (r === 0) throw new Error(`atoms ${i} and ${s.atom[q]} (or its periodic image) are at the same position`);
    ws.cr[q] = r;
    ws.csw[q] = sw2[0];
    ws.cdsw[q] = sw2[1];
    for (let k = 0; k < 4; k++) cR[4 * q + k] = (e4[k] - c.davg[4 * ti + k]) / c.dstd[4 * ti + k];
    const net = c.layout.emb[embeddingIndex(d, T, ti, pf.types[s.atom[q]])]!;
    S[q] = cR[4 * q];
    netForward(net, c.theta, c.thetaT, ws.emb, q, true);
    const R0 = cR[4 * q], R1 = cR[4 * q + 1], R2 = cR[4 * q + 2], R3 = cR[4 * q + 3];
    const Go = q * M;
    for (let a = 0; a < M; a++) {
      const ga = cY[Go + a];
      gr[go + 4 * a] += ga * R0;
      gr[go + 4 * a + 1] += ga * R1;
      gr[go + 4 * a + 2] += ga * R2;
      gr[go + 4 * a + 3] += ga * R3;
    }
  }
  for (let t = 0; t < T; t++) {
    const np = pf.npad[i * T + t];
    if (np === 0) continue;
    const po = (ti * T + t) * M;
    const P0 = np * c.rpad[4 * ti], P1 = np * c.rpad[4 * ti + 1], P2 = np * c.rpad[4 * ti + 2], P3 = np * c.rpad[4 * ti + 3];
    for (let a = 0; a < M; a++) {
      const ga = ws.padG[po + a];
      gr[go + 4 * a] += ga * P0;
      gr[go + 4 * a + 1] += ga * P1;
      gr[go + 4 * a + 2] += ga * P2;
      gr[go + 4 * a + 3] += ga * P3;
    }
  }
  const inv = 1 / nnei;
  for (let m = 0; m < 4 * M; m++) gr[go + m] *= inv;
  descriptorFromGr(gr, go, M, Ma, ws.fit.X[0]);
}
