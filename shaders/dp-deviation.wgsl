// Model deviation of an ensemble on the GPU (docs/dp-se.md §8, as `dp model-devi` / LAMMPS):
//   atom_main (one thread per atom):  ε_f,i = sqrt( (1/nm) Σ_k ‖F_i^k − F̄_i‖² )  [/(‖F̄_i‖ + λ_f)]
//   reduce_main (one workgroup):      max/min/avg_i ε_f,i;  devi_e = std_k(E^k/nat);
//                                     σ_v,c = std_k(W^k_c/nat) → max/min_c σ, avg_v = sqrt(Σ_c σ²)/3
// Only the 8 numbers of out[row] are meant to be read back:
//   (max_devi_f, min_devi_f, avg_devi_f, devi_e, max_devi_v, min_devi_v, avg_devi_v, nm).
// Energies: E^k = Σ_i atomE[k][i] (net part, Kahan-summed in f32) + eOffset[k] (bias total,
// given relative to the model mean by the host). Units: eV/Å, eV/atom.
// #include kahan

struct DevParams {
  natoms: u32,
  nmodels: u32,
  row: u32,          // output row (history slot)
  relF: f32,         // λ_f (eV/Å); < 0: absolute deviation
  relV: f32,         // λ_v (eV/atom); < 0: absolute
  _p0: f32, _p1: f32, _p2: f32,
  eOffset: vec4f,    // per-model bias totals minus their mean, eV (up to 4 models)
}

@group(0) @binding(0) var<uniform> D: DevParams;
@group(0) @binding(1) var<storage, read> force: array<vec4f>;     // [model][atom]
@group(0) @binding(2) var<storage, read_write> atomDevi: array<f32>;
@group(0) @binding(3) var<storage, read> atomE: array<f32>;       // [model][atom]
@group(0) @binding(4) var<storage, read> atomVir: array<vec4f>;   // [model][atom][3]
@group(0) @binding(5) var<storage, read_write> outRows: array<f32>;

@compute @workgroup_size(64)
fn atom_main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= D.natoms) { return; }
  let nm = D.nmodels;
  var mean = vec3f(0.0);
  for (var k = 0u; k < nm; k++) { mean += force[k * D.natoms + i].xyz; }
  mean /= f32(nm);
  var s = 0.0;
  for (var k = 0u; k < nm; k++) {
    let d = force[k * D.natoms + i].xyz - mean;
    s += dot(d, d);
  }
  var e = sqrt(s / f32(nm));
  if (D.relF >= 0.0) { e /= length(mean) + D.relF; }
  atomDevi[i] = e;
}

const RW: u32 = 256u;
var<workgroup> red: array<f32, RW>;
var<workgroup> sums: array<f32, 48>;   // [0..2] max/min/sum ε; 3 + k: E^k; 7 + 9k + c: W^k_c

// Quantity q of atom i: 0 → ε (for max), 1 → ε (for min), 2 → ε (sum), 3 + k → atomE[k][i], 7 + 9k + c → W.
fn quantity(q: u32, i: u32) -> f32 {
  if (q < 3u) { return atomDevi[i]; }
  if (q < 7u) { return atomE[(q - 3u) * D.natoms + i]; }
  let k = (q - 7u) / 9u;
  let c = (q - 7u) % 9u;
  return atomVir[3u * (k * D.natoms + i) + c / 3u][c % 3u];
}

@compute @workgroup_size(RW)
fn reduce_main(@builtin(local_invocation_index) lid: u32) {
  let nm = D.nmodels;
  let nq = 7u + 9u * 4u;
  for (var q = 0u; q < nq; q++) {
    let isModelQ = (q >= 3u && q < 7u && q - 3u >= nm) || (q >= 7u && (q - 7u) / 9u >= nm);
    var acc = vec2f(0.0, 0.0);   // (value, Kahan compensation)
    if (q == 0u) { acc.x = -1e30; }
    if (q == 1u) { acc.x = 1e30; }
    if (!isModelQ) {
      for (var i = lid; i < D.natoms; i += RW) {
        let v = quantity(q, i);
        if (q == 0u) { acc.x = max(acc.x, v); } else if (q == 1u) { acc.x = min(acc.x, v); } else { acc = kahanAdd(acc, v); }
      }
    }
    red[lid] = acc.x;
    workgroupBarrier();
    for (var w = RW / 2u; w > 0u; w >>= 1u) {
      if (lid < w) {
        if (q == 0u) { red[lid] = max(red[lid], red[lid + w]); } else if (q == 1u) { red[lid] = min(red[lid], red[lid + w]); } else { red[lid] += red[lid + w]; }
      }
      workgroupBarrier();
    }
    if (lid == 0u) { sums[q] = red[0]; }
    workgroupBarrier();
  }
  if (lid != 0u) { return; }
  let nat = f32(D.natoms);
  let fnm = f32(nm);
  // Energy per atom, population std over models.
  var em = 0.0;
  for (var k = 0u; k < nm; k++) { em += (sums[3u + k] + D.eOffset[k]) / nat; }
  em /= fnm;
  var es = 0.0;
  for (var k = 0u; k < nm; k++) { let d = (sums[3u + k] + D.eOffset[k]) / nat - em; es += d * d; }
  // Virial per atom, per component.
  var sig: array<f32, 9>;
  var vmean2 = 0.0;
  for (var c = 0u; c < 9u; c++) {
    var m = 0.0;
    for (var k = 0u; k < nm; k++) { m += sums[7u + 9u * k + c] / nat; }
    m /= fnm;
    var s = 0.0;
    for (var k = 0u; k < nm; k++) { let d = sums[7u + 9u * k + c] / nat - m; s += d * d; }
    sig[c] = sqrt(s / fnm);
    vmean2 += m * m;
  }
  var vmax = 0.0;
  var vmin = 1e30;
  var v2 = 0.0;
  for (var c = 0u; c < 9u; c++) {
    var s = sig[c];
    if (D.relV >= 0.0) { s /= sqrt(vmean2) + D.relV; }
    vmax = max(vmax, s);
    vmin = min(vmin, s);
    v2 += s * s;
  }
  let o = D.row * 8u;
  outRows[o] = sums[0];
  outRows[o + 1u] = sums[1];
  outRows[o + 2u] = sums[2] / nat;
  outRows[o + 3u] = sqrt(es / fnm);
  outRows[o + 4u] = vmax;
  outRows[o + 5u] = vmin;
  outRows[o + 6u] = sqrt(v2) / 3.0;
  outRows[o + 7u] = fnm;
}
