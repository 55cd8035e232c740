// Verlet list from the bins (one thread per atom) and the reverse ("partner") index.
//   search_main:  list[i*cap + q] = (j, s) for every image r_j + s·cell with |r_j + s·cell − r_i| < rcs,
//                 excluding (j = i, s = 0). count[i] = true number found (may exceed cap: then
//                 flags[2] = max count > cap tells the host to grow the list and rebuild).
//   partner_main: for entry (i, q) → (j, s), partner[i*cap + q] = j*cap + q' where list[j*cap + q'] = (i, −s)
//                 (the same pair seen from j; used to gather forces without float atomics).

@group(0) @binding(0) var<uniform> P: NbParams;
@group(0) @binding(1) var<storage, read> pos: array<vec4f>;
@group(0) @binding(2) var<storage, read> grid: Grid;
@group(0) @binding(3) var<storage, read> binCount: array<u32>;
@group(0) @binding(4) var<storage, read> binAtoms: array<u32>;
@group(0) @binding(5) var<storage, read_write> list: array<vec2u>;
@group(0) @binding(6) var<storage, read_write> count: array<u32>;
@group(0) @binding(7) var<storage, read_write> flags: array<atomic<u32>, 4>;

@compute @workgroup_size(64)
fn search_main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let g = grid;
  let fi = fracOf(P, pos[i].xyz);
  let fli = floorPeriodic(P, fi);
  let fwi = fi - fli;
  let xi = cartOf(P, fwi);
  let b = binCoord(P, g, fwi);
  let rcs2 = P.rcs * P.rcs;
  var n = 0u;
  for (var oa = -g.m.x; oa <= g.m.x; oa++) {
    var ba = b.x + oa;
    var sa = 0;
    if (isPeriodic(P, 0u)) {
      sa = i32(floor(f32(ba) / f32(g.nb.x)));
      ba -= sa * i32(g.nb.x);
    } else if (ba < 0 || ba >= i32(g.nb.x)) { continue; }
    for (var ob = -g.m.y; ob <= g.m.y; ob++) {
      var bb = b.y + ob;
      var sb = 0;
      if (isPeriodic(P, 1u)) {
        sb = i32(floor(f32(bb) / f32(g.nb.y)));
        bb -= sb * i32(g.nb.y);
      } else if (bb < 0 || bb >= i32(g.nb.y)) { continue; }
      for (var oc = -g.m.z; oc <= g.m.z; oc++) {
        var bc = b.z + oc;
        var sc = 0;
        if (isPeriodic(P, 2u)) {
          sc = i32(floor(f32(bc) / f32(g.nb.z)));
          bc -= sc * i32(g.nb.z);
        } else if (bc < 0 || bc >= i32(g.nb.z)) { continue; }
        let S = vec3i(sa, sb, sc);
        let bin = (u32(ba) * g.nb.y + u32(bb)) * g.nb.z + u32(bc);
        let nin = min(binCount[bin], P.binCap);
        for (var k = 0u; k < nin; k++) {
          let j = binAtoms[bin * P.binCap + k];
          if (j == i && all(S == vec3i(0))) { continue; }
          let fj = fracOf(P, pos[j].xyz);
          let flj = floorPeriodic(P, fj);
          let xj = cartOf(P, fj - flj + vec3f(S));
          let d = xj - xi;
          if (dot(d, d) >= rcs2) { continue; }
          // Shift relative to the stored (unwrapped) positions: r_j + s·cell − r_i = d.
          let s = S + vec3i(fli) - vec3i(flj);
          if (any(abs(s) >= vec3i(SHIFT_BIAS))) { atomicOr(&flags[3], ERR_SHIFT_RANGE); continue; }
          if (n < P.cap) { list[i * P.cap + n] = vec2u(j, packShift(s)); }
          n++;
        }
      }
    }
  }
  count[i] = n;
  atomicMax(&flags[2], n);
}

@group(0) @binding(8) var<storage, read_write> partner: array<u32>;

@compute @workgroup_size(64)
fn partner_main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let ni = min(count[i], P.cap);
  for (var q = 0u; q < ni; q++) {
    let e = list[i * P.cap + q];
    let j = e.x;
    let want = packShift(-unpackShift(e.y));
    let nj = min(count[j], P.cap);
    var found = 0xffffffffu;
    for (var q2 = 0u; q2 < nj; q2++) {
      let e2 = list[j * P.cap + q2];
      if (e2.x == i && e2.y == want) { found = j * P.cap + q2; break; }
    }
    if (found == 0xffffffffu) { atomicOr(&flags[3], ERR_PARTNER_MISSING); }
    partner[i * P.cap + q] = found;
  }
}
