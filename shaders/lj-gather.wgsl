// Lennard-Jones energy and forces of an open cluster, one invocation per atom (gather:
// atom i loops over all j, so no atomics are needed). Units: Å, eV, eV/Å.
//   e_i = ½ Σ_{j≠i} 4ε[(σ/r)¹² − (σ/r)⁶],   F_i = Σ_{j≠i} 24ε[2(σ/r)¹² − (σ/r)⁶] r_ij / r²,
// with r_ij = r_i − r_j. Positions are vec4 (xyz, w unused) for 16-byte alignment.

struct Params {
  natoms: u32,
  epsilon: f32,
  sigma: f32,
  _pad: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> positions: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> forces: array<vec4f>; // xyz force, w = atomic energy

const WG: u32 = 64u;
var<workgroup> tile: array<vec4f, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let i = gid.x;
  let n = params.natoms;
  let inRange = i < n;
  var ri = vec3f(0.0);
  if (inRange) { ri = positions[i].xyz; }
  let s2 = params.sigma * params.sigma;
  var f = vec3f(0.0);
  var e = 0.0;
  // Tile the j loop through workgroup memory so each position is read once per workgroup.
  for (var base = 0u; base < n; base += WG) {
    let j_load = base + lid.x;
    if (j_load < n) { tile[lid.x] = positions[j_load]; } else { tile[lid.x] = vec4f(0.0); }
    workgroupBarrier();
    let count = min(WG, n - base);
    for (var k = 0u; k < count; k++) {
      let j = base + k;
      if (!inRange || j == i) { continue; }
      let d = ri - tile[k].xyz;
      let r2 = dot(d, d);
      let sr2 = s2 / r2;
      let sr6 = sr2 * sr2 * sr2;
      let sr12 = sr6 * sr6;
      e += 2.0 * params.epsilon * (sr12 - sr6);
      f += (24.0 * params.epsilon * (2.0 * sr12 - sr6) / r2) * d;
    }
    workgroupBarrier();
  }
  if (inRange) { forces[i] = vec4f(f, e); }
}
