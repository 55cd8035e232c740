// se_e2_a descriptor, forward (docs/dp-se.md §3.4–3.6): one workgroup per (atom, model); the
// kept neighbours are streamed in tiles of TILE through workgroup memory, the embedding net runs
// layer by layer on the tile (threads over neighbour × output channel), and the M×4 product
// gr = Σ_j G_j ⊗ R_j accumulates in workgroup memory — G is never written to global memory.
// Padding slots add the precomputed suffix sums of their (centre type, slot) rows (host f64).
//   gr /= NNEI;  D[a·MA + b] = Σ_k gr[a,k] gr[b,k]
// Outputs per (model, chunk atom): gr (M×4) and D (DIM). Entry point: dp-descriptor-out.wgsl.
// #include dp-descriptor-out

fn embG(n: u32, a: u32) -> f32 {
  return tY[n * EMB_YSUM + EMB_GOFF + a];
}

fn embedTile(m: u32, mb: u32, nt: u32, lid: u32) {
  embeddingForward(mb, nt, lid);
}
