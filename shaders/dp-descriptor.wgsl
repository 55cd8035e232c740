// se_e2_a descriptor, forward (docs/dp-se.md §3.4–3.6): one workgroup per (atom, model); the
// kept neighbours are streamed in tiles of TILE through workgroup memory, the embedding net runs
// layer by layer on the tile (threads over neighbour × output channel), and the M×4 product
// gr = Σ_j G_j ⊗ R_j accumulates in workgroup memory — G is never written to global memory.
// Padding slots add the precomputed suffix sums of their (centre type, slot) rows (host f64).
//   gr /= NNEI;  D[a·MA + b] = Σ_k gr[a,k] gr[b,k]
// Outputs per (model, chunk atom): gr (M×4) and D (DIM).
// #include dp-embedding
// #include dp-descriptor-out

const TILE_N = TILE;
const KEEP_Z = false;
const TZ_LEN = 1u;

fn embG(n: u32, a: u32) -> f32 {
  return tY[n * EMB_YSUM + EMB_GOFF + a];
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
    embeddingForward(mb, nt, lid);
    accumulateGr(nt, lid);
  }
  finishDescriptor(i, ti, mb, m, wid.x, lid);
}
