// Per-atom MD updates (one thread per atom), composed by src/gpu/md-gpu.ts into
//   NVE (velocity Verlet):  kick · drift_full · [forces] · kick
//   Langevin BAOAB:         kick · drift_half · ou · [remove_com] · drift_half · [forces] · kick
//   Nosé–Hoover chain:      nhc · kick · drift_full · [forces] · kick · nhc     (nhc = reduce, chain, scale)
// kick: v += (dt/2)·F·vel.w;  drift: x += h·v;  ou: v = c₁v + √((1−c₁²)k_B T·vel.w)·ξ with ξ from a
// counter-based hash (PCG) of (seed, step, atom, component): reproducible and order-independent.

@group(0) @binding(0) var<uniform> P: MdParams;
@group(0) @binding(1) var<storage, read_write> pos: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> vel: array<vec4f>;
@group(0) @binding(3) var<storage, read> force: array<vec4f>;     // model 0 rows
@group(0) @binding(4) var<storage, read_write> thermo: Thermo;

@compute @workgroup_size(64)
fn kick(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let v = vel[i];
  vel[i] = vec4f(v.xyz + 0.5 * P.dt * force[i].xyz * v.w, v.w);
}

@compute @workgroup_size(64)
fn drift_full(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let x = pos[i];
  pos[i] = vec4f(x.xyz + P.dt * vel[i].xyz, x.w);
}

@compute @workgroup_size(64)
fn drift_half(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let x = pos[i];
  pos[i] = vec4f(x.xyz + 0.5 * P.dt * vel[i].xyz, x.w);
}

fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

// Standard normal number of stream (seed, step), index idx (Box–Muller).
fn gaussian(idx: u32) -> f32 {
  let key = pcg(pcg(P.seed ^ 0x9e3779b9u) + P.step);
  let h1 = pcg(key ^ pcg(2u * idx));
  let h2 = pcg(key ^ pcg(2u * idx + 1u));
  let u1 = (f32(h1 >> 8u) + 1.0) / 16777216.0;
  let u2 = f32(h2 >> 8u) / 16777216.0;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

@compute @workgroup_size(64)
fn ou(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let v = vel[i];
  let sigma = sqrt((1.0 - P.c1 * P.c1) * P.kT * v.w);
  let xi = vec3f(gaussian(3u * i), gaussian(3u * i + 1u), gaussian(3u * i + 2u));
  vel[i] = vec4f(P.c1 * v.xyz + sigma * xi, v.w);
}

@compute @workgroup_size(64)
fn remove_com(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let v = vel[i];
  vel[i] = vec4f(v.xyz - thermo.p.xyz / thermo.p.w, v.w);
}

@compute @workgroup_size(64)
fn scale(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let v = vel[i];
  vel[i] = vec4f(v.xyz * thermo.scale, v.w);
}
