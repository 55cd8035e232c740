// se_e2_a descriptor forward with the TABULATED embedding (as DeePMD-kit's `dp compress`):
// G_a(s) is a quintic polynomial per channel a on intervals of width TAB_H over [TAB_LO, …)
// (coefficients fitted on the host from value, first and second derivative at both interval
// ends; linear extrapolation outside the table). Otherwise identical to dp-descriptor.wgsl:
// one workgroup per (atom, model), neighbour tiles in workgroup memory, padding suffix sums.
// #include dp-embedding
// #include dp-descriptor-out

const TILE_N = TILE;
const KEEP_Z = false;
const TZ_LEN = 1u;

@group(0) @binding(11) var<storage, read> TAB: array<f32>;

var<workgroup> tG: array<f32, TILE * M>;

fn embG(n: u32, a: u32) -> f32 {
  return tG[n * M + a];
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = P.atomOffset + wid.x;
  let m = wid.y;
  let mb = m * MODEL_STRIDE;
  let ti = types[i];
  let nk = keptNeighbours(i, lid);
  clearGr(lid);
  for (var t0 = 0u; t0 < nk; t0 += TILE) {
    let nt = min(TILE, nk - t0);
    loadTile(i, ti, mb, t0, nt, lid);
    for (var idx = lid; idx < nt * M; idx += WG) {
      let n = idx / M;
      let a = idx % M;
      tG[idx] = tabEval(m * TAB_MODEL_STRIDE + tNet[n] * TAB_NET_STRIDE, tR[n].x, a).x;
    }
    workgroupBarrier();
    accumulateGr(nt, lid);
  }
  finishDescriptor(i, ti, mb, m, wid.x, lid);
}
