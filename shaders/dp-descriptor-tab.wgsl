// se_e2_a descriptor forward with the TABULATED embedding (as DeePMD-kit's `dp compress`):
// G_a(s) is a quintic polynomial per channel a on intervals of width TAB_H over [TAB_LO, …)
// (coefficients fitted on the host from value, first and second derivative at both interval
// ends; linear extrapolation outside the table). Otherwise identical to dp-descriptor.wgsl:
// one workgroup per (atom, model), neighbour tiles in workgroup memory, padding suffix sums.

@group(0) @binding(0) var<uniform> P: DpParams;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read> types: array<u32>;
@group(0) @binding(3) var<storage, read> list: array<vec2u>;
@group(0) @binding(4) var<storage, read> envD: array<vec4f>;
@group(0) @binding(5) var<storage, read> envSlot: array<u32>;
@group(0) @binding(6) var<storage, read> act: array<u32>;
@group(0) @binding(7) var<storage, read> nact: array<u32>;
@group(0) @binding(8) var<storage, read> fill: array<u32>;
@group(0) @binding(9) var<storage, read_write> grOut: array<f32>;
@group(0) @binding(10) var<storage, read_write> dOut: array<f32>;
@group(0) @binding(11) var<storage, read> TAB: array<f32>;

var<workgroup> tR: array<vec4f, TILE>;
var<workgroup> tNet: array<u32, TILE>;
var<workgroup> tG: array<f32, TILE * M>;
var<workgroup> gr: array<f32, M * 4u>;
var<workgroup> wgCount: u32;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = P.atomOffset + wid.x;
  let m = wid.y;
  let mb = m * MODEL_STRIDE;
  let ti = types[i];
  if (lid == 0u) { wgCount = nact[i]; }
  for (var idx = lid; idx < M * 4u; idx += WG) { gr[idx] = 0.0; }
  let nk = workgroupUniformLoad(&wgCount);
  for (var t0 = 0u; t0 < nk; t0 += TILE) {
    let nt = min(TILE, nk - t0);
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
      tG[idx] = tabEval(m * TAB_MODEL_STRIDE + tNet[n] * TAB_NET_STRIDE, tR[n].x, a).x;
    }
    workgroupBarrier();
    for (var idx = lid; idx < M * 4u; idx += WG) {
      let a = idx / 4u;
      let k = idx % 4u;
      var acc = gr[idx];
      for (var n = 0u; n < nt; n++) { acc += tG[n * M + a] * tR[n][k]; }
      gr[idx] = acc;
    }
    workgroupBarrier();
  }
  for (var idx = lid; idx < M * 4u; idx += WG) {
    var acc = gr[idx];
    for (var t = 0u; t < NTYPES; t++) {
      let start = SEC[t] + fill[i * NTYPES + t];
      acc += W[mb + OFF_PAD + (ti * (NNEI + NTYPES) + start + t) * M * 4u + idx];
    }
    acc *= 1.0 / f32(NNEI);
    gr[idx] = acc;
    grOut[(m * P.chunkAtoms + wid.x) * M * 4u + idx] = acc;
  }
  workgroupBarrier();
  for (var idx = lid; idx < DIM; idx += WG) {
    let a = idx / MA;
    let b = idx % MA;
    let ga = vec4f(gr[4u * a], gr[4u * a + 1u], gr[4u * a + 2u], gr[4u * a + 3u]);
    let gb = vec4f(gr[4u * b], gr[4u * b + 1u], gr[4u * b + 2u], gr[4u * b + 3u]);
    dOut[(m * P.chunkAtoms + wid.x) * DIM + idx] = dot(ga, gb);
  }
}
