// Embedding/env-matrix reverse pass with the TABULATED embedding (see dp-descriptor-tab.wgsl):
// G and dG/ds come from the quintic table, so no layer activations are needed:
//   δR_j[k] = Σ_a δgr[a,k] G_j[a],   δs_j = Σ_a (Σ_k δgr[a,k] R_j[k]) · G'_j[a],   δR_j[0] += δs_j
// then g_ij as in dp-backward.wgsl, written to pairG[model][i*cap + q].
// #include dp-embedding

const TILE_N = TILE_B;
const KEEP_Z = false;
const TZ_LEN = 1u;

@group(0) @binding(8) var<storage, read> dgrIn: array<f32>;
@group(0) @binding(9) var<storage, read_write> pairG: array<vec4f>;
@group(0) @binding(11) var<storage, read> TAB: array<f32>;

var<workgroup> dgr: array<f32, M * 4u>;
var<workgroup> tG: array<f32, TILE_B * M>;
var<workgroup> tGp: array<f32, TILE_B * M>;
var<workgroup> tOut: array<f32, TILE_B * 5u>;

fn embG(n: u32, a: u32) -> f32 {
  return tG[n * M + a];
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = P.atomOffset + wid.x;
  let m = wid.y;
  let mb = m * MODEL_STRIDE;
  let ti = types[i];
  let ca = m * P.chunkAtoms + wid.x;
  let nk = keptNeighbours(i, lid);
  for (var idx = lid; idx < M * 4u; idx += WG) { dgr[idx] = dgrIn[ca * M * 4u + idx]; }
  workgroupBarrier();
  for (var t0 = 0u; t0 < nk; t0 += TILE_B) {
    let nt = min(TILE_B, nk - t0);
    loadTile(i, ti, mb, t0, nt, lid);
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
        for (var a = 0u; a < M; a++) { acc += dgr[4u * a + k] * embG(n, a); }
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
      let o = lid * 5u;
      let dR = vec4f(tOut[o] + tOut[o + 4u], tOut[o + 1u], tOut[o + 2u], tOut[o + 3u]);
      pairG[m * P.natoms * P.cap + i * P.cap + q] = vec4f(pairGradient(i, q, ti, mb, dR), 0.0);
    }
    workgroupBarrier();
  }
}
