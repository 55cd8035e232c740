// Global sums of the MD state (one workgroup, Kahan-compensated f32), and the Nosé–Hoover
// chain half step (one thread; Martyna, Tuckerman, Tobias & Klein, Mol. Phys. 87, 1117 (1996),
// as src/core/md/nose-hoover-chain.ts propagateChain with n_c = 1).
//   reduce_main: thermo.p = (Σ m v, Σ m), thermo.twoK = Σ m v²·c, thermo.epot = Σ_i atomE[0][i]
//   nhc_main:    propagate the chain over dt/2 with thermo.twoK → thermo.scale
// #include kahan

@group(0) @binding(0) var<uniform> P: MdParams;
@group(0) @binding(1) var<storage, read> pos: array<vec4f>;
@group(0) @binding(2) var<storage, read> vel: array<vec4f>;
@group(0) @binding(3) var<storage, read> atomE: array<f32>;
@group(0) @binding(4) var<storage, read_write> thermo: Thermo;

const RW: u32 = 256u;
var<workgroup> red: array<f32, RW>;
var<workgroup> tot: array<f32, 6>;

fn quantity(q: u32, i: u32) -> f32 {
  let m = pos[i].w;
  let v = vel[i].xyz;
  switch q {
    case 0u: { return m * v.x; }
    case 1u: { return m * v.y; }
    case 2u: { return m * v.z; }
    case 3u: { return m; }
    case 4u: { return m * dot(v, v) * P.conv; }
    default: { return atomE[i]; }
  }
}

@compute @workgroup_size(RW)
fn reduce_main(@builtin(local_invocation_index) lid: u32) {
  for (var q = 0u; q < 6u; q++) {
    var acc = vec2f(0.0, 0.0);
    for (var i = lid; i < P.natoms; i += RW) { acc = kahanAdd(acc, quantity(q, i)); }
    red[lid] = acc.x;
    workgroupBarrier();
    for (var w = RW / 2u; w > 0u; w >>= 1u) {
      if (lid < w) { red[lid] += red[lid + w]; }
      workgroupBarrier();
    }
    if (lid == 0u) { tot[q] = red[0]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    thermo.p = vec4f(tot[0], tot[1], tot[2], tot[3]);
    thermo.twoK = tot[4];
    thermo.epot = tot[5];
  }
}

@compute @workgroup_size(1)
fn nhc_main() {
  let M = P.chainLen;
  var xi = thermo.xi;
  var vxi = thermo.vxi;
  var k2 = thermo.twoK;
  var sc = 1.0;
  let h = 0.5 * P.dt;
  let nsy = u32(P.sy.w);
  var G: vec4f;
  for (var s = 0u; s < nsy; s++) {
    let t = P.sy[s] * h;
    G[0] = (k2 - P.dof * P.kT) / P.q[0];
    for (var j = 1u; j < M; j++) { G[j] = (P.q[j - 1u] * vxi[j - 1u] * vxi[j - 1u] - P.kT) / P.q[j]; }
    vxi[M - 1u] += 0.5 * t * G[M - 1u];
    for (var jj = 1u; jj < M; jj++) {
      let j = M - 1u - jj;
      let e = exp(-0.25 * t * vxi[j + 1u]);
      vxi[j] = vxi[j] * e * e + 0.5 * t * G[j] * e;
    }
    let f = exp(-t * vxi[0]);
    sc *= f;
    k2 *= f * f;
    for (var j = 0u; j < M; j++) { xi[j] += t * vxi[j]; }
    G[0] = (k2 - P.dof * P.kT) / P.q[0];
    for (var j = 0u; j + 1u < M; j++) {
      let e = exp(-0.25 * t * vxi[j + 1u]);
      vxi[j] = vxi[j] * e * e + 0.5 * t * G[j] * e;
      G[j + 1u] = (P.q[j] * vxi[j] * vxi[j] - P.kT) / P.q[j + 1u];
    }
    vxi[M - 1u] += 0.5 * t * G[M - 1u];
  }
  thermo.xi = xi;
  thermo.vxi = vxi;
  thermo.scale = sc;
  thermo.twoK = k2;
}
