// `ener` fitting net, forward and reverse (docs/dp-se.md §3.7, §4.2): one workgroup per (atom, model).
//   E_i(net) = FitNet_{ti}(D_i)[0]   (biases bias_atom_e + out_bias are added on the host in f64)
//   δD = ∂E_i/∂D by back-propagation through the layers (in place in workgroup memory), then
//   δgr[c,k] = (Σ_{b<MA} δD[c·MA+b] gr[b,k] + [c<MA] Σ_a δD[a·MA+c] gr[a,k]) / NNEI.

@group(0) @binding(0) var<uniform> P: DpParams;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read> types: array<u32>;
@group(0) @binding(3) var<storage, read> grIn: array<f32>;
@group(0) @binding(4) var<storage, read> dIn: array<f32>;
@group(0) @binding(5) var<storage, read_write> atomE: array<f32>;    // [model][atom], eV (net output)
@group(0) @binding(6) var<storage, read_write> dgrOut: array<f32>;   // [model][chunk atom][M×4]

var<workgroup> x0: array<f32, DIM>;
var<workgroup> fy: array<f32, FIT_YSUM>;
var<workgroup> fz: array<f32, FIT_YSUM>;
var<workgroup> gr: array<f32, M * 4u>;

fn fitIn(l: u32, k: u32) -> f32 {
  if (l == 0u) { return x0[k]; }
  return fy[FIT_Y[l - 1u] + k];
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let i = P.atomOffset + wid.x;
  let m = wid.y;
  let ca = m * P.chunkAtoms + wid.x;
  var net = types[i];
  if (FIT_MIXED) { net = 0u; }
  let nb = m * MODEL_STRIDE + OFF_FIT + net * FIT_STRIDE;
  for (var idx = lid; idx < DIM; idx += WG) { x0[idx] = dIn[ca * DIM + idx]; }
  for (var idx = lid; idx < M * 4u; idx += WG) { gr[idx] = grIn[ca * M * 4u + idx]; }
  workgroupBarrier();
  // Forward.
  for (var l = 0u; l < FIT_L; l++) {
    let nIn = FIT_NIN[l];
    let nOut = FIT_NOUT[l];
    for (var o = lid; o < nOut; o += WG) {
      var z = W[nb + FIT_B[l] + o];
      let wb = nb + FIT_W[l] + o;
      for (var k = 0u; k < nIn; k++) { z += fitIn(l, k) * W[wb + k * nOut]; }
      fz[FIT_Y[l] + o] = z;
      var y = activate(FIT_ACT[l], z, FIT_TH[l], FIT_SL[l], FIT_CO[l]).x * W[nb + FIT_I[l] + o];
      if (FIT_SKIP[l] != 0u) { y += fitIn(l, o % nIn); }
      fy[FIT_Y[l] + o] = y;
    }
    workgroupBarrier();
  }
  let last = FIT_L - 1u;
  if (lid == 0u) {
    atomE[m * P.natoms + i] = fy[FIT_Y[last]];
    fy[FIT_Y[last]] = 1.0;   // ∂E/∂out
  }
  workgroupBarrier();
  // Reverse: gz overwrites z; gx overwrites the layer input (y of the previous layer, or x0).
  for (var lr = 0u; lr < FIT_L; lr++) {
    let l = last - lr;
    let nIn = FIT_NIN[l];
    let nOut = FIT_NOUT[l];
    for (var o = lid; o < nOut; o += WG) {
      let zz = fz[FIT_Y[l] + o];
      fz[FIT_Y[l] + o] = fy[FIT_Y[l] + o] * activate(FIT_ACT[l], zz, FIT_TH[l], FIT_SL[l], FIT_CO[l]).y * W[nb + FIT_I[l] + o];
    }
    workgroupBarrier();
    for (var k = lid; k < nIn; k += WG) {
      var g = 0.0;
      let wb = nb + FIT_W[l] + k * nOut;
      for (var o = 0u; o < nOut; o++) { g += W[wb + o] * fz[FIT_Y[l] + o]; }
      if (FIT_SKIP[l] != 0u) {
        for (var o = k; o < nOut; o += nIn) { g += fy[FIT_Y[l] + o]; }
      }
      if (l == 0u) { x0[k] = g; } else { fy[FIT_Y[l - 1u] + k] = g; }
    }
    workgroupBarrier();
  }
  // δgr from δD (now in x0).
  for (var idx = lid; idx < M * 4u; idx += WG) {
    let c = idx / 4u;
    let k = idx % 4u;
    var acc = 0.0;
    for (var b = 0u; b < MA; b++) { acc += x0[c * MA + b] * gr[4u * b + k]; }
    if (c < MA) {
      for (var a = 0u; a < M; a++) { acc += x0[a * MA + c] * gr[4u * a + k]; }
    }
    dgrOut[ca * M * 4u + idx] = acc / f32(NNEI);
  }
}
