// Bin the atoms of a cluster or periodic cell (fixed-capacity bins, overflow reported through
// flags[1] = largest bin occupancy seen). Entry points, dispatched in this order:
//   bbox  (one thread per atom): bounding box of the fractional coordinates along open directions
//   grid  (one thread): bins per direction (edge ≥ rcs unless capped by maxPerDim) and search range
//   bin   (one thread per atom): append atom i to its bin

@group(0) @binding(0) var<uniform> P: NbParams;
@group(0) @binding(1) var<storage, read> pos: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> bbox: array<atomic<u32>, 6>;   // min xyz, max xyz (ordered bits)
@group(0) @binding(3) var<storage, read_write> grid: Grid;
@group(0) @binding(4) var<storage, read_write> binCount: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> binAtoms: array<u32>;
@group(0) @binding(6) var<storage, read_write> flags: array<atomic<u32>, 4>;

@compute @workgroup_size(64)
fn bbox_main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let f = fracOf(P, pos[i].xyz);
  for (var a = 0u; a < 3u; a++) {
    atomicMin(&bbox[a], orderedBits(f[a]));
    atomicMax(&bbox[3u + a], orderedBits(f[a]));
  }
}

@compute @workgroup_size(1)
fn grid_main() {
  for (var a = 0u; a < 3u; a++) {
    let h = P.spacing[a];
    if (isPeriodic(P, a)) {
      let nb = clamp(u32(floor(h / P.rcs)), 1u, P.maxPerDim);
      grid.lo[a] = 0.0;
      grid.binsPerUnit[a] = f32(nb);
      grid.nb[a] = nb;
      grid.m[a] = i32(ceil(P.rcs * f32(nb) / h));
    } else {
      let lo = fromOrderedBits(atomicLoad(&bbox[a]));
      let hi = fromOrderedBits(atomicLoad(&bbox[3u + a]));
      let ext = max(hi - lo, 1e-3);
      let nb = clamp(u32(floor(ext * h / P.rcs)), 1u, P.maxPerDim);
      grid.lo[a] = lo;
      grid.binsPerUnit[a] = f32(nb) / ext;
      grid.nb[a] = nb;
      // Bins are at least rcs wide: one bin on each side suffices (indices are clamped).
      grid.m[a] = min(1, i32(nb) - 1);
    }
  }
}

@compute @workgroup_size(64)
fn bin_main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let g = grid;
  let f = fracOf(P, pos[i].xyz);
  let fw = f - floorPeriodic(P, f);
  let b = binCoord(P, g, fw);
  let bin = (u32(b.x) * g.nb.y + u32(b.y)) * g.nb.z + u32(b.z);
  let slot = atomicAdd(&binCount[bin], 1u);
  atomicMax(&flags[1], slot + 1u);
  if (slot < P.binCap) { binAtoms[bin * P.binCap + slot] = i; }
}
