// Verlet-skin displacement check (one thread per atom): flags[0] = 1 when any atom moved more
// than half the skin (Å) since the last rebuild (ref = positions at that rebuild).

@group(0) @binding(0) var<uniform> P: NbParams;
@group(0) @binding(1) var<storage, read> pos: array<vec4f>;
@group(0) @binding(2) var<storage, read> refPos: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> flags: array<atomic<u32>, 4>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let d = pos[i].xyz - refPos[i].xyz;
  if (dot(d, d) > P.halfSkin * P.halfSkin) { atomicOr(&flags[0], 1u); }
}
