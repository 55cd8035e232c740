// se_e2_a descriptor forward with the TABULATED embedding (as DeePMD-kit's `dp compress`):
// G_a(s) is a quintic polynomial per channel a on intervals of width TAB_H over [TAB_LO, …)
// (coefficients fitted on the host from value, first and second derivative at both interval
// ends; linear extrapolation outside the table). Otherwise identical to dp-descriptor.wgsl:
// one workgroup per (atom, model), neighbour tiles in workgroup memory, padding suffix sums
// (entry point: dp-descriptor-out.wgsl).
// #include dp-descriptor-out

var<workgroup> tG: array<f32, TILE * M>;

fn embG(n: u32, a: u32) -> f32 {
  return tG[n * M + a];
}

fn embedTile(m: u32, mb: u32, nt: u32, lid: u32) {
  for (var idx = lid; idx < nt * M; idx += WG) { tG[idx] = tabTile(m, idx).x; }
  workgroupBarrier();
}
