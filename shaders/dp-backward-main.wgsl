// Shared by dp-backward and dp-backward-tab (`#include dp-backward-main`): the entry point of the
// se_e2_a reverse pass (docs/dp-se.md §4.2). One workgroup per (atom, model): δgr of the atom is
// loaded into workgroup memory, the kept neighbours are streamed in tiles of TILE_B, and per
// neighbour g_ij = ∂E_i/∂d_ij (eV/Å) from δR_j (δR_j[0] += δs_j) is written to
// pairG[model][i*cap + q]. The kernel defines KEEP_Z, TZ_LEN, embG(n, a) and
//   tileAdjoints(m, mb, nt, lid)  δR_j (tDR) and δs_j (tDs) of the tile's neighbours (then a barrier).
// #include dp-embedding

const TILE_N = TILE_B;

@group(0) @binding(8) var<storage, read> dgrIn: array<f32>;
@group(0) @binding(9) var<storage, read_write> pairG: array<vec4f>;

var<workgroup> dgr: array<f32, M * 4u>;
var<workgroup> tDR: array<vec4f, TILE_B>;
var<workgroup> tDs: array<f32, TILE_B>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let a = atomTask(wid);
  let ca = a.m * P.chunkAtoms + wid.x;
  let nk = keptNeighbours(a.i, lid);
  for (var idx = lid; idx < M * 4u; idx += WG) { dgr[idx] = dgrIn[ca * M * 4u + idx]; }
  workgroupBarrier();
  for (var t0 = 0u; t0 < nk; t0 += TILE_B) {
    let nt = min(TILE_B, nk - t0);
    loadTile(a.i, a.ti, a.mb, t0, nt, lid);
    tileAdjoints(a.m, a.mb, nt, lid);
    if (lid < nt) {
      let q = act[a.i * P.cap + t0 + lid];
      var dR = tDR[lid];
      dR.x += tDs[lid];
      pairG[a.m * P.natoms * P.cap + a.i * P.cap + q] = vec4f(pairGradient(a.i, q, a.ti, a.mb, dR), 0.0);
    }
    workgroupBarrier();
  }
}
