// se_e2_a reverse pass through the embedding and the env matrix (docs/dp-se.md §4.2): one
// workgroup per (atom, model). Per tile of TILE_B kept neighbours the embedding forward pass is
// recomputed (pre-activations z and outputs y kept in workgroup memory, never in global memory),
// then
//   δR_j[k] = Σ_a δgr[a,k] G_j[a],   δG_j[a] = Σ_k δgr[a,k] R_j[k],
//   δs_j = back-propagation of δG_j through the net,  δR_j[0] += δs_j,
//   δe_j = δR_j / dstd[ti, slot],  g_ij = ∂E_i/∂d_ij (envRowBackward)
// and g_ij is written to pairG[model][i*cap + q] (eV/Å). Forces are gathered from it by
// dp-force-gather.wgsl (no float atomics). Entry point: dp-backward-main.wgsl.
// #include dp-backward-main

const KEEP_Z = true;
const TZ_LEN = TILE_B * EMB_YSUM;

fn embG(n: u32, a: u32) -> f32 {
  return tY[n * EMB_YSUM + EMB_GOFF + a];
}

// δR (tDR) and δs (tDs) of the tile's neighbours: the embedding forward recomputed, then reversed.
fn tileAdjoints(m: u32, mb: u32, nt: u32, lid: u32) {
  embeddingForward(mb, nt, lid);
  // δR = Σ_a δgr[a,k] G[a] (reads G before it is overwritten by δG).
  for (var idx = lid; idx < nt * 4u; idx += WG) {
    let n = idx / 4u;
    let k = idx % 4u;
    var acc = 0.0;
    for (var a = 0u; a < M; a++) { acc += dgr[4u * a + k] * embG(n, a); }
    tDR[n][k] = acc;
  }
  workgroupBarrier();
  for (var idx = lid; idx < nt * M; idx += WG) {
    let n = idx / M;
    let a = idx % M;
    let R = tR[n];
    tY[n * EMB_YSUM + EMB_GOFF + a] = dgr[4u * a] * R.x + dgr[4u * a + 1u] * R.y + dgr[4u * a + 2u] * R.z + dgr[4u * a + 3u] * R.w;
  }
  workgroupBarrier();
  // Reverse through the layers: gz overwrites z, gx overwrites the previous layer's y.
  for (var lr = 0u; lr < EMB_L; lr++) {
    let l = EMB_L - 1u - lr;
    let nOut = EMB_NOUT[l];
    for (var idx = lid; idx < nt * nOut; idx += WG) {
      let n = idx / nOut;
      let o = idx % nOut;
      let nb = embBase(mb, n);
      let zi = n * EMB_YSUM + EMB_Y[l] + o;
      tZ[zi] = tY[zi] * activate(EMB_ACT[l], tZ[zi], EMB_TH[l], EMB_SL[l], EMB_CO[l]).y * W[nb + EMB_I[l] + o];
    }
    workgroupBarrier();
    let nIn = EMB_NIN[l];
    for (var idx = lid; idx < nt * nIn; idx += WG) {
      let n = idx / nIn;
      let k = idx % nIn;
      let nb = embBase(mb, n);
      let gb = n * EMB_YSUM + EMB_Y[l];
      let wb = nb + EMB_W[l] + k * nOut;
      var g = 0.0;
      for (var o = 0u; o < nOut; o++) { g += W[wb + o] * tZ[gb + o]; }
      if (EMB_SKIP[l] != 0u) {
        for (var o = k; o < nOut; o += nIn) { g += tY[gb + o]; }
      }
      if (l == 0u) { tDs[n] = g; } else { tY[n * EMB_YSUM + EMB_Y[l - 1u] + k] = g; }
    }
    workgroupBarrier();
  }
}
