// se_e2_a descriptor, forward (spec §3.4–3.6): one workgroup per (atom, model); the kept
// neighbours are streamed in tiles of TILE through workgroup memory, the embedding net runs
// layer by layer on the tile (threads over neighbour × output channel), and the M×4 product
// gr = Σ_j G_j ⊗ R_j accumulates in workgroup memory — G is never written to global memory.
// Padding slots add the precomputed suffix sums of their (centre type, slot) rows (host f64).
//   gr /= NNEI;  D[a·MA + b] = Σ_k gr[a,k] gr[b,k]
// Outputs per (model, chunk atom): gr (M×4) and D (DIM).

@group(0) @binding(0) var<uniform> P: DpParams;
@group(0) @binding(1) var<storage, read> W: array<f32>;          // packed model parameters (dp-layout.ts)
@group(0) @binding(2) var<storage, read> types: array<u32>;
@group(0) @binding(3) var<storage, read> list: array<vec2u>;
@group(0) @binding(4) var<storage, read> envD: array<vec4f>;
@group(0) @binding(5) var<storage, read> envSlot: array<u32>;
@group(0) @binding(6) var<storage, read> act: array<u32>;
@group(0) @binding(7) var<storage, read> nact: array<u32>;
@group(0) @binding(8) var<storage, read> fill: array<u32>;
@group(0) @binding(9) var<storage, read_write> grOut: array<f32>;
@group(0) @binding(10) var<storage, read_write> dOut: array<f32>;

var<workgroup> tR: array<vec4f, TILE>;
var<workgroup> tNet: array<u32, TILE>;
var<workgroup> tY: array<f32, TILE * EMB_YSUM>;
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
        tY[n * EMB_YSUM + EMB_Y[l] + o] = y;
      }
      workgroupBarrier();
    }
    for (var idx = lid; idx < M * 4u; idx += WG) {
      let a = idx / 4u;
      let k = idx % 4u;
      var acc = gr[idx];
      for (var n = 0u; n < nt; n++) { acc += tY[n * EMB_YSUM + EMB_GOFF + a] * tR[n][k]; }
      gr[idx] = acc;
    }
    workgroupBarrier();
  }
  // Padding slots of each block: suffix sum from the first empty slot (spec §3.4, pitfall 1).
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
