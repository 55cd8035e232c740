// Shared by the four se_e2_a embedding kernels (dp-descriptor, dp-descriptor-tab, dp-backward,
// dp-backward-tab), included through their entry-point modules dp-descriptor-out and
// dp-backward-main (`#include dp-embedding`). Those and the kernels define
//   TILE_N  neighbours per tile (TILE forward, TILE_B backward),
//   KEEP_Z  whether embeddingForward keeps the pre-activations in tZ (backward only),
//   TZ_LEN  length of tZ (TILE_N * EMB_YSUM when KEEP_Z, else 1),
//   embG(n, a)  channel a of the embedding output G of tile neighbour n.
// docs/dp-se.md §3 (env matrix, embedding), §4 (reverse pass); docs/gpu-buffers.md §2 (bindings).

@group(0) @binding(0) var<uniform> P: DpParams;
@group(0) @binding(1) var<storage, read> W: array<f32>;          // packed model parameters (dp-layout.ts)
@group(0) @binding(2) var<storage, read> types: array<u32>;
@group(0) @binding(3) var<storage, read> list: array<vec2u>;
@group(0) @binding(4) var<storage, read> envD: array<vec4f>;
@group(0) @binding(5) var<storage, read> envSlot: array<u32>;
@group(0) @binding(6) var<storage, read> act: array<u32>;
@group(0) @binding(7) var<storage, read> nact: array<u32>;

var<workgroup> tR: array<vec4f, TILE_N>;              // normalised env-matrix rows of the tile
var<workgroup> tNet: array<u32, TILE_N>;              // embedding net of each tile neighbour
var<workgroup> tY: array<f32, TILE_N * EMB_YSUM>;     // layer outputs (network kernels only)
var<workgroup> tZ: array<f32, TZ_LEN>;                // pre-activations (network backward only)
var<workgroup> wgCount: u32;

// What a workgroup works on: atom i (of type ti; wid.x is its index in the chunk) and model m
// (parameter base mb).
struct AtomTask {
  i: u32,
  ti: u32,
  m: u32,
  mb: u32,
}

fn atomTask(wid: vec3u) -> AtomTask {
  let i = P.atomOffset + wid.x;
  return AtomTask(i, types[i], wid.y, wid.y * MODEL_STRIDE);
}

// Number of kept neighbours of atom i, uniform over the workgroup.
fn keptNeighbours(i: u32, lid: u32) -> u32 {
  if (lid == 0u) { wgCount = nact[i]; }
  return workgroupUniformLoad(&wgCount);
}

// Offset of the (centre type, slot) row of davg/dstd for kept neighbour q of atom i in model base mb.
fn statRow(i: u32, q: u32, ti: u32, mb: u32) -> u32 {
  return mb + (ti * NNEI + envSlot[i * P.cap + q]) * 4u;
}

fn dstdAt(sb: u32) -> vec4f {
  return vec4f(W[OFF_DSTD + sb], W[OFF_DSTD + sb + 1u], W[OFF_DSTD + sb + 2u], W[OFF_DSTD + sb + 3u]);
}

// Load tile t0 (nt neighbours) of atom i: normalised rows (e − davg)/dstd into tR, nets into tNet.
fn loadTile(i: u32, ti: u32, mb: u32, t0: u32, nt: u32, lid: u32) {
  if (lid < nt) {
    let q = act[i * P.cap + t0 + lid];
    let e = envD[i * P.cap + q];
    let r = sqrt(e.w);
    let row = envRow(e.xyz, r, smoothSwitch(r).x);
    let sb = statRow(i, q, ti, mb);
    let avg = vec4f(W[OFF_DAVG + sb], W[OFF_DAVG + sb + 1u], W[OFF_DAVG + sb + 2u], W[OFF_DAVG + sb + 3u]);
    tR[lid] = (row - avg) / dstdAt(sb);
    tNet[lid] = embNet(ti, types[list[i * P.cap + q].x]);
  }
  workgroupBarrier();
}

// Parameter base of the embedding net of tile neighbour n in model base mb.
fn embBase(mb: u32, n: u32) -> u32 {
  return mb + OFF_EMB + tNet[n] * EMB_STRIDE;
}

// Embedding net forward on the tile (threads over neighbour × output channel), layer by layer,
// outputs in tY (and pre-activations in tZ when KEEP_Z).
fn embeddingForward(mb: u32, nt: u32, lid: u32) {
  for (var l = 0u; l < EMB_L; l++) {
    let nIn = EMB_NIN[l];
    let nOut = EMB_NOUT[l];
    for (var idx = lid; idx < nt * nOut; idx += WG) {
      let n = idx / nOut;
      let o = idx % nOut;
      let nb = embBase(mb, n);
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
      if (KEEP_Z) { tZ[n * EMB_YSUM + EMB_Y[l] + o] = z; }
      tY[n * EMB_YSUM + EMB_Y[l] + o] = y;
    }
    workgroupBarrier();
  }
}

// g_ij = ∂E_i/∂d_ij (eV/Å) of kept neighbour q of atom i from δR_j (the gradient w.r.t. the
// normalised row): δe = δR / dstd, then back through the env matrix (envRowBackward).
fn pairGradient(i: u32, q: u32, ti: u32, mb: u32, dR: vec4f) -> vec3f {
  let e = envD[i * P.cap + q];
  let r = sqrt(e.w);
  return envRowBackward(e.xyz, r, smoothSwitch(r), dR / dstdAt(statRow(i, q, ti, mb)));
}
