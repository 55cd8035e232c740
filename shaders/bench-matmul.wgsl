// Plain tiled f32 matrix multiply C = A·B (row-major, n×n), 16×16 tiles in workgroup memory:
// the adapter's reference GFLOP/s for bench/gpu.ts.

struct MmParams { n: u32, _a: u32, _b: u32, _c: u32 }
@group(0) @binding(0) var<uniform> P: MmParams;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
@group(0) @binding(3) var<storage, read_write> C: array<f32>;

const T: u32 = 16u;
var<workgroup> ta: array<f32, 256>;
var<workgroup> tb: array<f32, 256>;

@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let n = P.n;
  let row = gid.y;
  let col = gid.x;
  var acc = 0.0;
  for (var t0 = 0u; t0 < n; t0 += T) {
    ta[lid.y * T + lid.x] = select(0.0, A[row * n + t0 + lid.x], row < n && t0 + lid.x < n);
    tb[lid.y * T + lid.x] = select(0.0, B[(t0 + lid.y) * n + col], col < n && t0 + lid.y < n);
    workgroupBarrier();
    for (var k = 0u; k < T; k++) { acc += ta[lid.y * T + k] * tb[k * T + lid.x]; }
    workgroupBarrier();
  }
  if (row < n && col < n) { C[row * n + col] = acc; }
}
