// se_e2_a reverse pass through the embedding and the env matrix (spec §4.2): one workgroup per
// (atom, model). Per tile of TILE_B kept neighbours the embedding forward pass is recomputed
// (pre-activations z and outputs y kept in workgroup memory, never in global memory), then
//   δR_j[k] = Σ_a δgr[a,k] G_j[a],   δG_j[a] = Σ_k δgr[a,k] R_j[k],
//   δs_j = back-propagation of δG_j through the net,  δR_j[0] += δs_j,
//   δe_j = δR_j / dstd[ti, slot],  g_ij = ∂E_i/∂d_ij (envRowBackward)
// and g_ij is written to pairG[model][i*cap + q] (eV/Å). Forces are gathered from it by
// dp-force-gather.wgsl (no float atomics).

@group(0) @binding(0) var<uniform> P: DpParams;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read> types: array<u32>;
@group(0) @binding(3) var<storage, read> list: array<vec2u>;
@group(0) @binding(4) var<storage, read> envD: array<vec4f>;
@group(0) @binding(5) var<storage, read> envSlot: array<u32>;
@group(0) @binding(6) var<storage, read> act: array<u32>;
@group(0) @binding(7) var<storage, read> nact: array<u32>;
@group(0) @binding(8) var<storage, read> dgrIn: array<f32>;
@group(0) @binding(9) var<storage, read_write> pairG: array<vec4f>;

var<workgroup> dgr: array<f32, M * 4u>;
var<workgroup> tR: array<vec4f, TILE_B>;
var<workgroup> tDR: array<vec4f, TILE_B>;
var<workgroup> tNet: array<u32, TILE_B>;
var<workgroup> tDs: array<f32, TILE_B>;
var<workgroup> tY: array<f32, TILE_B * EMB_YSUM>;
var<workgroup> tZ: array<f32, TILE_B * EMB_YSUM>;
var<workgroup> wgCount: u32;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = P.atomOffset + wid.x;
  let m = wid.y;
  let mb = m * MODEL_STRIDE;
  let ti = types[i];
  let ca = m * P.chunkAtoms + wid.x;
  if (lid == 0u) { wgCount = nact[i]; }
  for (var idx = lid; idx < M * 4u; idx += WG) { dgr[idx] = dgrIn[ca * M * 4u + idx]; }
  let nk = workgroupUniformLoad(&wgCount);
  for (var t0 = 0u; t0 < nk; t0 += TILE_B) {
    let nt = min(TILE_B, nk - t0);
    if (lid < nt) {
      let q = act[i * P.cap + t0 + lid];
      let e = envD[i * P.cap + q];
      let r = sqrt(e.w);
      let row = envRow(e.xyz, r, smoothSwitch(r).x);
      let sb = mb + (ti * NNEI + envSlot[i * P.cap + q]) * 4u;
      let avg = vec4f(W[OFF_DAVG + sb], W[OFF_DAVG + sb + 1u], W[OFF_DAVG + sb + 2u], W[OFF_DAVG + sb + 3u]);
      let sd = vec4f(W[OFF_DSTD + sb], W[OFF_DSTD + sb + 1u], W[OFF_DSTD + sb + 2u], W[OFF_DSTD + sb + 3u]);
      tR[lid] = (row - avg) / sd;
      tNet[lid] = embNet(ti, types[list[i * P.cap + q].x]);
    }
    workgroupBarrier();
    // Forward, keeping z and y.
    for (var l = 0u; l < EMB_L; l++) {
      let nIn = EMB_NIN[l];
      let nOut = EMB_NOUT[l];
      for (var idx = lid; idx < nt * nOut; idx += WG) {
        let n = idx / nOut;
        let o = idx % nOut;
        let nb = mb + OFF_EMB + tNet[n] * EMB_STRIDE;
        var z = W[nb + EMB_B[l] + o];
        var skip = 0.0;
        if (l == 0u) {
          let s = tR[n].x;
          z += s * W[nb + EMB_W[l] + o];
          skip = s;
        } else {
          let xb = n * EMB_YSUM + EMB_Y[l - 1u];
          let wb = nb + EMB_W[l] + o;
          for (var k = 0u; k < nIn; k++) { z += tY[xb + k] * W[wb + k * nOut]; }
          skip = tY[xb + o % nIn];
        }
        let a = activate(EMB_ACT[l], z, EMB_TH[l], EMB_SL[l], EMB_CO[l]);
        var y = a.x * W[nb + EMB_I[l] + o];
        if (EMB_SKIP[l] != 0u) { y += skip; }
        tZ[n * EMB_YSUM + EMB_Y[l] + o] = z;
        tY[n * EMB_YSUM + EMB_Y[l] + o] = y;
      }
      workgroupBarrier();
    }
    // δR = Σ_a δgr[a,k] G[a] (reads G before it is overwritten by δG).
    for (var idx = lid; idx < nt * 4u; idx += WG) {
      let n = idx / 4u;
      let k = idx % 4u;
      var acc = 0.0;
      for (var a = 0u; a < M; a++) { acc += dgr[4u * a + k] * tY[n * EMB_YSUM + EMB_GOFF + a]; }
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
      let nIn = EMB_NIN[l];
      let nOut = EMB_NOUT[l];
      for (var idx = lid; idx < nt * nOut; idx += WG) {
        let n = idx / nOut;
        let o = idx % nOut;
        let nb = mb + OFF_EMB + tNet[n] * EMB_STRIDE;
        let zi = n * EMB_YSUM + EMB_Y[l] + o;
        tZ[zi] = tY[zi] * activate(EMB_ACT[l], tZ[zi], EMB_TH[l], EMB_SL[l], EMB_CO[l]).y * W[nb + EMB_I[l] + o];
      }
      workgroupBarrier();
      for (var idx = lid; idx < nt * nIn; idx += WG) {
        let n = idx / nIn;
        let k = idx % nIn;
        let nb = mb + OFF_EMB + tNet[n] * EMB_STRIDE;
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
    if (lid < nt) {
      let q = act[i * P.cap + t0 + lid];
      let e = envD[i * P.cap + q];
      let r = sqrt(e.w);
      let sw = smoothSwitch(r);
      let sb = mb + (ti * NNEI + envSlot[i * P.cap + q]) * 4u;
      let sd = vec4f(W[OFF_DSTD + sb], W[OFF_DSTD + sb + 1u], W[OFF_DSTD + sb + 2u], W[OFF_DSTD + sb + 3u]);
      var dR = tDR[lid];
      dR.x += tDs[lid];
      let g = envRowBackward(e.xyz, r, sw, dR / sd);
      pairG[m * P.natoms * P.cap + i * P.cap + q] = vec4f(g, 0.0);
    }
    workgroupBarrier();
  }
}
