// Embedding/env-matrix reverse pass with the TABULATED embedding (see dp-descriptor-tab.wgsl):
// G and dG/ds come from the quintic table, so no layer activations are needed:
//   δR_j[k] = Σ_a δgr[a,k] G_j[a],   δs_j = Σ_a (Σ_k δgr[a,k] R_j[k]) · G'_j[a],   δR_j[0] += δs_j
// then g_ij as in dp-backward.wgsl (entry point: dp-backward-main.wgsl).
// #include dp-backward-main

const KEEP_Z = false;
const TZ_LEN = 1u;

var<workgroup> tG: array<f32, TILE_B * M>;
var<workgroup> tGp: array<f32, TILE_B * M>;

fn embG(n: u32, a: u32) -> f32 {
  return tG[n * M + a];
}

fn tileAdjoints(m: u32, mb: u32, nt: u32, lid: u32) {
  for (var idx = lid; idx < nt * M; idx += WG) {
    let g = tabTile(m, idx);
    tG[idx] = g.x;
    tGp[idx] = g.y;
  }
  workgroupBarrier();
  for (var idx = lid; idx < nt * 5u; idx += WG) {
    let n = idx / 5u;
    let k = idx % 5u;
    var acc = 0.0;
    if (k < 4u) {
      for (var a = 0u; a < M; a++) { acc += dgr[4u * a + k] * embG(n, a); }
      tDR[n][k] = acc;
    } else {
      let R = tR[n];
      for (var a = 0u; a < M; a++) {
        acc += (dgr[4u * a] * R.x + dgr[4u * a + 1u] * R.y + dgr[4u * a + 2u] * R.z + dgr[4u * a + 3u] * R.w) * tGp[n * M + a];
      }
      tDs[n] = acc;
    }
  }
  workgroupBarrier();
}
