// Forces and per-atom virials from the pair gradients g_ij = ∂E_i/∂d_ij (docs/dp-se.md §4.2), by a
// gather over the neighbour list instead of float atomics (one thread per atom × model):
//   F_i  = Σ_q [ g(i,q) − g(partner(i,q)) ]         (g of inactive entries counts as 0)
//   Wa_i[k][c] = Σ_q g(partner(i,q))[k] · d(i,q)[c]   (the virial goes to the neighbour atom)
// partner(i,q) is the same pair seen from the neighbour j (neighbor-list.wgsl).

@group(0) @binding(0) var<uniform> P: DpParams;
@group(0) @binding(1) var<storage, read> count: array<u32>;
@group(0) @binding(2) var<storage, read> partner: array<u32>;
@group(0) @binding(3) var<storage, read> envD: array<vec4f>;
@group(0) @binding(4) var<storage, read> envSlot: array<u32>;
@group(0) @binding(5) var<storage, read> pairG: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> force: array<vec4f>;     // [model][atom], eV/Å
@group(0) @binding(7) var<storage, read_write> atomVir: array<vec4f>;   // [model][atom][3] rows k: (W[k][0..2], 0), eV

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let m = gid.y;
  if (i >= P.natoms) { return; }
  let mo = m * P.natoms * P.cap;
  var f = vec3f(0.0);
  var w0 = vec3f(0.0);
  var w1 = vec3f(0.0);
  var w2 = vec3f(0.0);
  let n = min(count[i], P.cap);
  for (var q = 0u; q < n; q++) {
    let e = i * P.cap + q;
    if (envSlot[e] != INACTIVE) { f += pairG[mo + e].xyz; }
    let p = partner[e];
    if (envSlot[p] != INACTIVE) {
      let g = pairG[mo + p].xyz;
      f -= g;
      let d = envD[e].xyz;
      w0 += g.x * d;
      w1 += g.y * d;
      w2 += g.z * d;
    }
  }
  force[m * P.natoms + i] = vec4f(f, 0.0);
  let vb = 3u * (m * P.natoms + i);
  atomVir[vb] = vec4f(w0, 0.0);
  atomVir[vb + 1u] = vec4f(w1, 0.0);
  atomVir[vb + 2u] = vec4f(w2, 0.0);
}
