// `ener` fitting net, forward and reverse (docs/dp-se.md §3.7, §4.2), four atoms of one fitting
// net per workgroup (the host groups a chunk's atoms by net: fitGroups holds four chunk-local atom
// indices, INACTIVE where a group has fewer; P.fitGroup0 is the chunk's first group).
//   E_i(net) = FitNet_{ti}(D_i)[0]   (biases bias_atom_e + out_bias are added on the host in f64)
//   δD = ∂E_i/∂D by back-propagation of input gradients only: gz = gy ⊙ act'(z) ⊙ idt,
//   gx = W·gz (+ skip), then
//   δgr[c,k] = (Σ_{b<MA} δD[c·MA+b] gr[b,k] + [c<MA] Σ_a δD[a·MA+c] gr[a,k]) / NNEI.
// Register tiling: a layer value of the four atoms is one vec4 (one component per atom) and an
// invocation holds four columns of a layer at once, so per input k it loads four weights and one
// vec4 input for 16 FMAs (the old one-atom kernel: one weight and one input for one FMA).
// Forward reads w [nIn, nOut] with the invocations along nOut, the reverse reads wT [nOut, nIn]
// (dp-layout.ts) with the invocations along nIn: neighbouring invocations read neighbouring floats.
// act'(z)·idt of each column stays in the invocation that computed it (the reverse pass puts the
// gradient of a column in the same invocation). δD overwrites D (nothing reads D after this kernel).

@group(0) @binding(0) var<uniform> P: DpParams;
@group(0) @binding(1) var<storage, read> W: array<f32>;
@group(0) @binding(2) var<storage, read> types: array<u32>;
@group(0) @binding(3) var<storage, read> grIn: array<f32>;
@group(0) @binding(4) var<storage, read_write> dIO: array<f32>;     // [model][chunk atom][DIM]: D in, δD out
@group(0) @binding(5) var<storage, read_write> atomE: array<f32>;   // [model][atom], eV (net output)
@group(0) @binding(6) var<storage, read_write> dgrOut: array<f32>;  // [model][chunk atom][M×4]
@group(0) @binding(7) var<storage, read> fitGroups: array<vec4u>;

// Three layer buffers: the forward pass ping-pongs between 0 and 1, the reverse rotates
// gy → gz → gx through all three.
var<workgroup> buf: array<vec4f, 3u * FIT_MAXW>;

// Offsets of the invocation's four columns within a block of 4·WG columns.
const QUAD = vec4u(0u, WG, 2u * WG, 3u * WG);
const BLOCK: u32 = 4u * WG;

// z[c] += x · w[row + col[c]] for the four columns.
fn accumulate(z: ptr<function, array<vec4f, 4>>, x: vec4f, row: u32, col: vec4u) {
  (*z)[0] += x * W[row + col.x];
  (*z)[1] += x * W[row + col.y];
  (*z)[2] += x * W[row + col.z];
  (*z)[3] += x * W[row + col.w];
}

// D[k] of the four atoms' rows.
fn descriptorIn(rows: vec4u, k: u32) -> vec4f {
  return vec4f(dIO[rows.x * DIM + k], dIO[rows.y * DIM + k], dIO[rows.z * DIM + k], dIO[rows.w * DIM + k]);
}

// Entry k of the input of layer l for the four atoms.
fn layerIn(l: u32, inBuf: u32, rows: vec4u, k: u32) -> vec4f {
  if (l == 0u) { return descriptorIn(rows, k); }
  return buf[inBuf + k];
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let m = wid.y;
  let ids = fitGroups[P.fitGroup0 + wid.x];
  let valid = ids != vec4u(INACTIVE);
  // A missing atom repeats the group's first one: computed, never written.
  let rows = vec4u(m * P.chunkAtoms) + select(vec4u(ids.x), ids, valid);
  var net = types[P.atomOffset + ids.x];
  if (FIT_MIXED) { net = 0u; }
  let nb = m * MODEL_STRIDE + OFF_FIT + net * FIT_STRIDE;
  var dact: array<array<vec4f, 4>, FIT_NSLOT>;

  // Forward: layer l reads buffer (l+1)%2 (layer 0: D) and writes buffer l%2.
  for (var l = 0u; l < FIT_L; l++) {
    let nIn = FIT_NIN[l];
    let nOut = FIT_NOUT[l];
    let inBuf = ((l + 1u) % 2u) * FIT_MAXW;
    let outBuf = (l % 2u) * FIT_MAXW;
    let wb = nb + FIT_W[l];
    for (var j0 = 0u; j0 < nOut; j0 += BLOCK) {
      // Clamped columns (past nOut) are computed and never stored.
      let col = min(vec4u(j0 + lid) + QUAD, vec4u(nOut - 1u));
      var z: array<vec4f, 4>;
      let bb = nb + FIT_B[l];
      z[0] = vec4f(W[bb + col.x]);
      z[1] = vec4f(W[bb + col.y]);
      z[2] = vec4f(W[bb + col.z]);
      z[3] = vec4f(W[bb + col.w]);
      if (l == 0u) {
        for (var k = 0u; k < nIn; k++) { accumulate(&z, descriptorIn(rows, k), wb + k * nOut, col); }
      } else {
        for (var k = 0u; k < nIn; k++) { accumulate(&z, buf[inBuf + k], wb + k * nOut, col); }
      }
      let slot = FIT_SLOT[l] + j0 / BLOCK;
      for (var c = 0u; c < 4u; c++) {
        let o = j0 + QUAD[c] + lid;
        let idt = W[nb + FIT_I[l] + col[c]];
        var y: vec4f;
        var d: vec4f;
        for (var a = 0u; a < 4u; a++) {
          let ad = activate(FIT_ACT[l], z[c][a], FIT_TH[l], FIT_SL[l], FIT_CO[l]);
          y[a] = ad.x;
          d[a] = ad.y;
        }
        y *= idt;
        dact[slot][c] = d * idt;
        if (o < nOut) {
          if (FIT_SKIP[l] != 0u) { y += layerIn(l, inBuf, rows, o % nIn); }
          buf[outBuf + o] = y;
        }
      }
    }
    workgroupBarrier();
  }
  let last = FIT_L - 1u;
  if (lid == 0u) {
    let e = buf[(last % 2u) * FIT_MAXW];
    for (var a = 0u; a < 4u; a++) {
      if (valid[a]) { atomE[m * P.natoms + P.atomOffset + ids[a]] = e[a]; }
    }
  }
  // ∂E/∂out (the net's one output) into buffer 2.
  for (var o = lid; o < FIT_NOUT[last]; o += WG) { buf[2u * FIT_MAXW + o] = select(vec4f(0.0), vec4f(1.0), o == 0u); }
  storageBarrier();   // every read of D is done before δD overwrites it
  workgroupBarrier();

  // Reverse.
  var gyBuf = 2u;
  for (var lr = 0u; lr < FIT_L; lr++) {
    let l = last - lr;
    let nIn = FIT_NIN[l];
    let nOut = FIT_NOUT[l];
    let gy = gyBuf * FIT_MAXW;
    let gz = ((gyBuf + 1u) % 3u) * FIT_MAXW;
    let gxBuf = (gyBuf + 2u) % 3u;
    // gz = gy ⊙ act'(z)·idt, in the invocation that saved the column's derivative.
    for (var j0 = 0u; j0 < nOut; j0 += BLOCK) {
      let slot = FIT_SLOT[l] + j0 / BLOCK;
      for (var c = 0u; c < 4u; c++) {
        let o = j0 + QUAD[c] + lid;
        if (o < nOut) { buf[gz + o] = buf[gy + o] * dact[slot][c]; }
      }
    }
    workgroupBarrier();
    // gx[k] = Σ_o wT[o, k] gz[o] (+ Σ_{o ≡ k mod nIn} gy[o] across a skip), invocations along k.
    let wtb = nb + FIT_WT[l];
    for (var j0 = 0u; j0 < nIn; j0 += BLOCK) {
      let col = min(vec4u(j0 + lid) + QUAD, vec4u(nIn - 1u));
      // Zeroed explicitly: on Dawn + SwiftShader a `var g: …;` in this loop kept the previous
      // block's (and layer's) sums (the zero value was stored once, not at every iteration).
      var g = array<vec4f, 4>(vec4f(0.0), vec4f(0.0), vec4f(0.0), vec4f(0.0));
      for (var o = 0u; o < nOut; o++) { accumulate(&g, buf[gz + o], wtb + o * nIn, col); }
      for (var c = 0u; c < 4u; c++) {
        let k = j0 + QUAD[c] + lid;
        if (k < nIn) {
          var gk = g[c];
          // A skip adds x (nOut = nIn) or (x, x) (nOut = 2·nIn, dp-layout.ts layerSkip).
          if (FIT_SKIP[l] != 0u) {
            gk += buf[gy + k];
            if (nOut == 2u * nIn) { gk += buf[gy + nIn + k]; }
          }
          if (l == 0u) {
            for (var a = 0u; a < 4u; a++) {
              if (valid[a]) { dIO[rows[a] * DIM + k] = gk[a]; }
            }
          } else {
            buf[gxBuf * FIT_MAXW + k] = gk;
          }
        }
      }
    }
    workgroupBarrier();
    gyBuf = gxBuf;
  }
  storageBarrier();   // δD of every invocation is visible

  // δgr from δD, atom by atom.
  for (var a = 0u; a < 4u; a++) {
    if (!valid[a]) { continue; }
    let dBase = rows[a] * DIM;
    let gBase = rows[a] * M * 4u;
    for (var idx = lid; idx < M * 4u; idx += WG) {
      let c = idx / 4u;
      let k = idx % 4u;
      var acc = 0.0;
      for (var b = 0u; b < MA; b++) { acc += dIO[dBase + c * MA + b] * grIn[gBase + 4u * b + k]; }
      if (c < MA) {
        for (var a2 = 0u; a2 < M; a2++) { acc += dIO[dBase + a2 * MA + c] * grIn[gBase + 4u * a2 + k]; }
      }
      dgrOut[gBase + idx] = acc / f32(NNEI);
    }
  }
}
