// Per-step neighbour slots of every atom (one thread per atom; shared by all models of an
// ensemble): displacement d = r_j + s·cell − r_i for every Verlet entry, then DeePMD-kit v3
// selection (docs/dp-se.md §3.2): candidates with r ≤ rc; if more than NNEI, keep the nearest NNEI;
// then per neighbour type the nearest SEL[t] of those. A kept type-t neighbour of distance
// rank k goes to slot SEC[t] + k. Ties are broken by list order. Outputs:
//   envD[e] = (d, r²), envSlot[e] = slot or INACTIVE, act[i*cap + k] = k-th kept entry,
//   nact[i], fill[i*NTYPES + t] = occupied slots of block t; flags[0] += 1 per truncated atom.

@group(0) @binding(0) var<uniform> P: DpParams;
@group(0) @binding(1) var<uniform> NB: NbParams;
@group(0) @binding(2) var<storage, read> pos: array<vec4f>;
@group(0) @binding(3) var<storage, read> types: array<u32>;
@group(0) @binding(4) var<storage, read> list: array<vec2u>;
@group(0) @binding(5) var<storage, read> count: array<u32>;
@group(0) @binding(6) var<storage, read_write> envD: array<vec4f>;
@group(0) @binding(7) var<storage, read_write> envSlot: array<u32>;
@group(0) @binding(8) var<storage, read_write> act: array<u32>;
@group(0) @binding(9) var<storage, read_write> nact: array<u32>;
@group(0) @binding(10) var<storage, read_write> fill: array<u32>;
@group(0) @binding(11) var<storage, read_write> flags: array<atomic<u32>, 4>;

const DROPPED: u32 = 0xfffffffeu;

fn closer(a: vec4f, qa: u32, b: vec4f, qb: u32) -> bool {
  return a.w < b.w || (a.w == b.w && qa < qb);
}

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= P.natoms) { return; }
  let base = i * P.cap;
  let n = min(count[i], P.cap);
  let xi = pos[i].xyz;
  let rc2 = RC * RC;
  var ncand = 0u;
  for (var q = 0u; q < n; q++) {
    let e = list[base + q];
    let s = vec3f(unpackShift(e.y));
    let d = pos[e.x].xyz + s.x * NB.cellA.xyz + s.y * NB.cellB.xyz + s.z * NB.cellC.xyz - xi;
    let r2 = dot(d, d);
    envD[base + q] = vec4f(d, r2);
    if (r2 <= rc2) { envSlot[base + q] = 0u; ncand++; } else { envSlot[base + q] = INACTIVE; }
  }
  var truncated = false;
  if (ncand > NNEI) {
    // Nearest NNEI overall (rank among candidates).
    for (var q = 0u; q < n; q++) {
      if (envSlot[base + q] == INACTIVE) { continue; }
      let a = envD[base + q];
      var rank = 0u;
      for (var q2 = 0u; q2 < n; q2++) {
        if (envSlot[base + q2] != INACTIVE && closer(envD[base + q2], q2, a, q)) { rank++; }
      }
      if (rank >= NNEI) { envSlot[base + q] = DROPPED; truncated = true; }
    }
    for (var q = 0u; q < n; q++) {
      if (envSlot[base + q] == DROPPED) { envSlot[base + q] = INACTIVE; }
    }
  }
  var fillT: array<u32, NTYPES>;
  var k = 0u;
  for (var q = 0u; q < n; q++) {
    if (envSlot[base + q] == INACTIVE) { continue; }
    let a = envD[base + q];
    let t = types[list[base + q].x];
    var rank = 0u;
    for (var q2 = 0u; q2 < n; q2++) {
      if (q2 != q && envSlot[base + q2] != INACTIVE && types[list[base + q2].x] == t && closer(envD[base + q2], q2, a, q)) { rank++; }
    }
    if (rank >= SEL[t]) { envSlot[base + q] = DROPPED; truncated = true; continue; }
    fillT[t] = max(fillT[t], rank + 1u);
    act[base + k] = q;
    k++;
  }
  // Slots (a second pass, so that the rank loop above saw the kept set unchanged).
  for (var kk = 0u; kk < k; kk++) {
    let q = act[base + kk];
    let a = envD[base + q];
    let t = types[list[base + q].x];
    var rank = 0u;
    for (var q2 = 0u; q2 < n; q2++) {
      if (q2 != q && envSlot[base + q2] != INACTIVE && types[list[base + q2].x] == t && closer(envD[base + q2], q2, a, q)) { rank++; }
    }
    envSlot[base + q] = SEC[t] + rank;
  }
  // Entries that lost the per-type selection (farther than every kept one of their type, so
  // counting them above did not change any kept rank).
  for (var q = 0u; q < n; q++) {
    if (envSlot[base + q] == DROPPED) { envSlot[base + q] = INACTIVE; }
  }
  nact[i] = k;
  for (var t = 0u; t < NTYPES; t++) { fill[i * NTYPES + t] = fillT[t]; }
  if (truncated) { atomicAdd(&flags[0], 1u); }
}
