// Register-tiled f32 matrix multiply C = A·B (row-major, n×n, n a multiple of 64): the tuned
// reference GFLOP/s of an adapter for bench/gpu.ts ("% of matmul").
// A workgroup of 16×16 invocations computes a 64×64 block of C; each invocation a 4×4 sub-block
// held in registers (4 vec4 accumulators). A and B are read as vec4 (four consecutive columns);
// per K-slice of 16, the workgroup stages a 64×16 slice of A and a 16×64 slice of B in
// workgroup memory (one vec4 load per invocation each), so each loaded value feeds 4 (A) or 4 (B)
// FMAs per invocation and there are 2 barriers per 16·64·64·2 FLOPs.

struct MmParams { n: u32, _a: u32, _b: u32, _c: u32 }
@group(0) @binding(0) var<uniform> P: MmParams;
@group(0) @binding(1) var<storage, read> A: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read> B: array<vec4<f32>>;
@group(0) @binding(3) var<storage, read_write> C: array<vec4<f32>>;

// tA[r * 4 + q] = A[row0 + r][k0 + 4q … 4q+3]  (64 rows × 4 vec4)
var<workgroup> tA: array<vec4<f32>, 256>;
// tB[k * 16 + c] = B[k0 + k][col0 + 4c … 4c+3]  (16 rows × 16 vec4)
var<workgroup> tB: array<vec4<f32>, 256>;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let n4 = P.n / 4u;
  let row0 = wid.y * 64u;
  let col04 = wid.x * 16u;
  let t = lid.y * 16u + lid.x;
  // Staging coordinates of this invocation.
  let ar = t / 4u;
  let aq = t % 4u;
  let bk = t / 16u;
  let bc = t % 16u;
  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  let r = lid.y * 4u;
  for (var k0 = 0u; k0 < P.n; k0 += 16u) {
    tA[t] = A[(row0 + ar) * n4 + k0 / 4u + aq];
    tB[t] = B[(k0 + bk) * n4 + col04 + bc];
    workgroupBarrier();
    for (var q = 0u; q < 4u; q++) {
      let a0 = tA[(r + 0u) * 4u + q];
      let a1 = tA[(r + 1u) * 4u + q];
      let a2 = tA[(r + 2u) * 4u + q];
      let a3 = tA[(r + 3u) * 4u + q];
      let b0 = tB[(4u * q + 0u) * 16u + lid.x];
      let b1 = tB[(4u * q + 1u) * 16u + lid.x];
      let b2 = tB[(4u * q + 2u) * 16u + lid.x];
      let b3 = tB[(4u * q + 3u) * 16u + lid.x];
      acc0 += a0.x * b0 + a0.y * b1 + a0.z * b2 + a0.w * b3;
      acc1 += a1.x * b0 + a1.y * b1 + a1.z * b2 + a1.w * b3;
      acc2 += a2.x * b0 + a2.y * b1 + a2.z * b2 + a2.w * b3;
      acc3 += a3.x * b0 + a3.y * b1 + a3.z * b2 + a3.w * b3;
    }
    workgroupBarrier();
  }
  let c = col04 + lid.x;
  C[(row0 + r + 0u) * n4 + c] = acc0;
  C[(row0 + r + 1u) * n4 + c] = acc1;
  C[(row0 + r + 2u) * n4 + c] = acc2;
  C[(row0 + r + 3u) * n4 + c] = acc3;
}
