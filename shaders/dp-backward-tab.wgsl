// Embedding/env-matrix reverse pass with the TABULATED embedding (see dp-descriptor-tab.wgsl):
// G and dG/ds come from the quintic table, so no layer activations are needed:
//   δR_j[k] = Σ_a δgr[a,k] G_j[a],   δs_j = Σ_a (Σ_k δgr[a,k] R_j[k]) · G'_j[a],   δR_j[0] += δs_j
// then g_ij as in dp-backward.wgsl, written to pairG[model][i*cap + q].

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
@group(0) @binding(11) var<storage, read> TAB: array<f32>;

var<workgroup> dgr: array<f32, M * 4u>;
var<workgroup> tR: array<vec4f, TILE_B>;
var<workgroup> tNet: array<u32, TILE_B>;
var<workgroup> tG: array<f32, TILE_B * M>;
var<workgroup> tGp: array<f32, TILE_B * M>;
var<workgroup> tOut: array<f32, TILE_B * 5u>;
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
    for (var idx = lid; idx < nt * M; idx += WG) {
      let n = idx / M;
      let a = idx % M;
      let g = tabEval(m * TAB_MODEL_STRIDE + tNet[n] * TAB_NET_STRIDE, tR[n].x, a);
      tG[idx] = g.x;
      tGp[idx] = g.y;
    }
    workgroupBarrier();
    for (var idx = lid; idx < nt * 5u; idx += WG) {
      let n = idx / 5u;
      let k = idx % 5u;
      var acc = 0.0;
      if (k < 4u) {
        for (var a = 0u; a < M; a++) { acc += dgr[4u * a + k] * tG[n * M + a]; }
      } else {
        let R = tR[n];
        for (var a = 0u; a < M; a++) {
          acc += (dgr[4u * a] * R.x + dgr[4u * a + 1u] * R.y + dgr[4u * a + 2u] * R.z + dgr[4u * a + 3u] * R.w) * tGp[n * M + a];
        }
      }
      tOut[idx] = acc;
    }
    workgroupBarrier();
    if (lid < nt) {
      let q = act[i * P.cap + t0 + lid];
      let e = envD[i * P.cap + q];
      let r = sqrt(e.w);
      let sw = smoothSwitch(r);
      let sb = mb + (ti * NNEI + envSlot[i * P.cap + q]) * 4u;
      let sd = vec4f(W[OFF_DSTD + sb], W[OFF_DSTD + sb + 1u], W[OFF_DSTD + sb + 2u], W[OFF_DSTD + sb + 3u]);
      let o = lid * 5u;
      let dR = vec4f(tOut[o] + tOut[o + 4u], tOut[o + 1u], tOut[o + 2u], tOut[o + 3u]);
      let g = envRowBackward(e.xyz, r, sw, dR / sd);
      pairG[m * P.natoms * P.cap + i * P.cap + q] = vec4f(g, 0.0);
    }
    workgroupBarrier();
  }
}
