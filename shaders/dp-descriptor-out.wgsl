// Shared by dp-descriptor and dp-descriptor-tab (`#include dp-descriptor-out`): the entry point
// (one workgroup per (atom, model), kept neighbours streamed in tiles of TILE), the contraction
// gr = Σ_j G_j ⊗ R_j over the tiles, the padding suffix sums and the descriptor D = gr·grᵀ
// (docs/dp-se.md §3.4–3.6). The kernel defines
//   embedTile(m, mb, nt, lid)  the embedding outputs G of the current tile (then a barrier),
//   embG(n, a)                 channel a of G of tile neighbour n.
// #include dp-embedding

const TILE_N = TILE;
const KEEP_Z = false;
const TZ_LEN = 1u;

@group(0) @binding(8) var<storage, read> fill: array<u32>;
@group(0) @binding(9) var<storage, read_write> grOut: array<f32>;
@group(0) @binding(10) var<storage, read_write> dOut: array<f32>;

var<workgroup> gr: array<f32, M * 4u>;

fn clearGr(lid: u32) {
  for (var idx = lid; idx < M * 4u; idx += WG) { gr[idx] = 0.0; }
}

// gr[a,k] += Σ_n G_n[a] R_n[k] over the nt neighbours of the current tile.
fn accumulateGr(nt: u32, lid: u32) {
  for (var idx = lid; idx < M * 4u; idx += WG) {
    let a = idx / 4u;
    let k = idx % 4u;
    var acc = gr[idx];
    for (var n = 0u; n < nt; n++) { acc += embG(n, a) * tR[n][k]; }
    gr[idx] = acc;
  }
  workgroupBarrier();
}

// Padding slots of each block add the suffix sum from the first empty slot (docs/dp-se.md §3.4,
// pitfall 1), gr /= NNEI, then D[a·MA + b] = Σ_k gr[a,k] gr[b,k]; writes gr and D of chunk atom c.
fn finishDescriptor(i: u32, ti: u32, mb: u32, m: u32, c: u32, lid: u32) {
  for (var idx = lid; idx < M * 4u; idx += WG) {
    var acc = gr[idx];
    for (var t = 0u; t < NTYPES; t++) {
      let start = SEC[t] + fill[i * NTYPES + t];
      acc += W[mb + OFF_PAD + (ti * (NNEI + NTYPES) + start + t) * M * 4u + idx];
    }
    acc *= 1.0 / f32(NNEI);
    gr[idx] = acc;
    grOut[(m * P.chunkAtoms + c) * M * 4u + idx] = acc;
  }
  workgroupBarrier();
  for (var idx = lid; idx < DIM; idx += WG) {
    let a = idx / MA;
    let b = idx % MA;
    let ga = vec4f(gr[4u * a], gr[4u * a + 1u], gr[4u * a + 2u], gr[4u * a + 3u]);
    let gb = vec4f(gr[4u * b], gr[4u * b + 1u], gr[4u * b + 2u], gr[4u * b + 3u]);
    dOut[(m * P.chunkAtoms + c) * DIM + idx] = dot(ga, gb);
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let a = atomTask(wid);
  let nk = keptNeighbours(a.i, lid);
  clearGr(lid);
  for (var t0 = 0u; t0 < nk; t0 += TILE) {
    let nt = min(TILE, nk - t0);
    loadTile(a.i, a.ti, a.mb, t0, nt, lid);
    embedTile(a.m, a.mb, nt, lid);
    accumulateGr(nt, lid);
  }
  finishDescriptor(a.i, a.ti, a.mb, a.m, wid.x, lid);
}
