// Shared declarations of the GPU neighbour search (neighbor-bins / neighbor-list / neighbor-skin).
// Verlet list with cutoff rcs = rc + skin (Å). Positions are vec4f (xyz Å, w unused).
// Periodic cells: fractional coordinates f = x · inv(cell) (cell rows = lattice vectors);
// open directions use a bounding box (in the same fractional frame) computed on the GPU.
// A list entry is vec2u(j, packed image shift s): the neighbour image is r_j + s · cell.

struct NbParams {
  cellA: vec4f, cellB: vec4f, cellC: vec4f,   // cell rows, Å (identity for open clusters)
  invA: vec4f, invB: vec4f, invC: vec4f,      // columns of inv(cell): f_k = dot(x, invK)
  spacing: vec4f,                             // lattice-plane spacings h_a, Å (1 for clusters)
  natoms: u32, cap: u32, binCap: u32, periodic: u32,   // periodic: bit a set = pbc along a
  rcs: f32, halfSkin: f32, maxPerDim: u32, _pad: u32,
}

struct Grid {
  lo: vec4f,           // fractional origin of the bin grid per direction
  binsPerUnit: vec4f,  // bins per fractional unit
  nb: vec4u,           // bins per direction
  m: vec4i,            // bin offsets to search on each side
}

fn fracOf(p: NbParams, x: vec3f) -> vec3f {
  return vec3f(dot(x, p.invA.xyz), dot(x, p.invB.xyz), dot(x, p.invC.xyz));
}

fn cartOf(p: NbParams, f: vec3f) -> vec3f {
  return f.x * p.cellA.xyz + f.y * p.cellB.xyz + f.z * p.cellC.xyz;
}

fn isPeriodic(p: NbParams, a: u32) -> bool {
  return ((p.periodic >> a) & 1u) == 1u;
}

// Integer part removed along periodic directions (result in [0, 1) there).
fn floorPeriodic(p: NbParams, f: vec3f) -> vec3f {
  var fl = vec3f(0.0);
  for (var a = 0u; a < 3u; a++) {
    if (isPeriodic(p, a)) { fl[a] = floor(f[a]); }
  }
  return fl;
}

fn binCoord(p: NbParams, g: Grid, fw: vec3f) -> vec3i {
  var b = vec3i(0);
  for (var a = 0u; a < 3u; a++) {
    let nb = i32(g.nb[a]);
    b[a] = clamp(i32(floor((fw[a] - g.lo[a]) * g.binsPerUnit[a])), 0, nb - 1);
  }
  return b;
}

const SHIFT_BIAS: i32 = 512;

fn packShift(s: vec3i) -> u32 {
  return u32(s.x + SHIFT_BIAS) | (u32(s.y + SHIFT_BIAS) << 10u) | (u32(s.z + SHIFT_BIAS) << 20u);
}

fn unpackShift(c: u32) -> vec3i {
  return vec3i(i32(c & 1023u), i32((c >> 10u) & 1023u), i32((c >> 20u) & 1023u)) - vec3i(SHIFT_BIAS);
}

// Order-preserving map float -> u32 (for atomicMin/atomicMax of floats).
fn orderedBits(x: f32) -> u32 {
  let u = bitcast<u32>(x);
  if ((u & 0x80000000u) != 0u) { return ~u; }
  return u | 0x80000000u;
}

fn fromOrderedBits(u: u32) -> f32 {
  if ((u & 0x80000000u) != 0u) { return bitcast<f32>(u & 0x7fffffffu); }
  return bitcast<f32>(~u);
}

// Error bits of NbFlags.errors.
const ERR_SHIFT_RANGE: u32 = 1u;
const ERR_PARTNER_MISSING: u32 = 2u;
