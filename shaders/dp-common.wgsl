// Shared functions of the DP-SE kernels (prepended after the generated architecture constants
// of src/gpu/dp-layout.ts). Spec: docs/dp-se.md §2.6 (layers), §3.3–3.4 (switch,
// env matrix), §4.2 (env-matrix backward). Units: Å, eV.

const INACTIVE: u32 = 0xffffffffu;

// Activation codes (dp-layout.ts ACTIVATION_CODES): 0 linear, 1 tanh, 2 relu, 3 relu6,
// 4 softplus, 5 sigmoid, 6 silu, 7 gelu (tanh approximation), 8 silut.
fn tanhSafe(x: f32) -> f32 {
  let t = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - t) / (1.0 + t);
}

fn sigmoid(x: f32) -> f32 {
  return 1.0 / (1.0 + exp(-x));
}

// (act(z), act'(z)); th/sl/co are silut's threshold, slope and constant.
fn activate(code: u32, z: f32, th: f32, sl: f32, co: f32) -> vec2f {
  switch code {
    case 1u: { let t = tanhSafe(z); return vec2f(t, 1.0 - t * t); }
    case 2u: { return select(vec2f(0.0), vec2f(z, 1.0), z > 0.0); }
    case 3u: { return vec2f(clamp(z, 0.0, 6.0), select(0.0, 1.0, z > 0.0 && z < 6.0)); }
    case 4u: {
      let s = sigmoid(z);
      return vec2f(select(log(1.0 + exp(z)), z, z > 20.0), s);
    }
    case 5u: { let s = sigmoid(z); return vec2f(s, s * (1.0 - s)); }
    case 6u: { let s = sigmoid(z); return vec2f(z * s, s + z * s * (1.0 - s)); }
    case 7u: {
      let c = 0.7978845608028654;
      let t = tanhSafe(c * (z + 0.044715 * z * z * z));
      return vec2f(0.5 * z * (1.0 + t), 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * c * (1.0 + 3.0 * 0.044715 * z * z));
    }
    case 8u: {
      if (z < th) { let s = sigmoid(z); return vec2f(z * s, s + z * s * (1.0 - s)); }
      let t = tanhSafe(sl * (z - th));
      return vec2f(t + co, sl * (1.0 - t * t));
    }
    default: { return vec2f(z, 1.0); }
  }
}

// Smooth switch (docs/dp-se.md §3.3): (sw, dsw/dr).
fn smoothSwitch(r: f32) -> vec2f {
  if (r <= RS) { return vec2f(1.0, 0.0); }
  if (r >= RC) { return vec2f(0.0, 0.0); }
  let u = (r - RS) / (RC - RS);
  return vec2f(u * u * u * (-6.0 * u * u + 15.0 * u - 10.0) + 1.0, -30.0 * u * u * (1.0 - u) * (1.0 - u) / (RC - RS));
}

// Env-matrix row e = sw·(1/ρ, x/ρ², y/ρ², z/ρ²), ρ = r + p (docs/dp-se.md §3.4).
fn envRow(d: vec3f, r: f32, sw: f32) -> vec4f {
  let inv = 1.0 / (r + PROT);
  return vec4f(sw * inv, sw * inv * inv * d);
}

// g = ∂E/∂d given de = ∂E/∂e (docs/dp-se.md §4.2).
fn envRowBackward(d: vec3f, r: f32, sw: vec2f, de: vec4f) -> vec3f {
  let rho = r + PROT;
  let inv = 1.0 / rho;
  let inv2 = inv * inv;
  let inv3 = inv2 * inv;
  let w = sw.x;
  let dw = sw.y;
  let a = de.x * (dw * inv - w * inv2) + dot(de.yzw, d) * (dw * inv2 - 2.0 * w * inv3);
  return a * d / r + w * inv2 * de.yzw;
}

// Index of the embedding network of (centre type ti, neighbour type tj) (docs/dp-se.md §2.5).
fn embNet(ti: u32, tj: u32) -> u32 {
  if (EMB_TWO_SIDE) { return ti + NTYPES * tj; }
  return tj;
}

struct DpParams {
  natoms: u32,      // atoms of the frame
  cap: u32,         // neighbour-list entries per atom
  atomOffset: u32,  // first atom of this chunk
  chunkAtoms: u32,  // atoms in this chunk (workgroups along x)
  nmodels: u32,
  fitGroup0: u32,   // first fitting group of this chunk (dp-fitting.wgsl)
  _p1: u32, _p2: u32,
}
