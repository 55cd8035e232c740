// Evaluation of the tabulated embedding (prepended to dp-*-tab.wgsl after the generated
// TAB_* constants of src/gpu/dp-tabulate.ts). Table layout per net: [interval][channel][6]
// coefficients (a0 … a5) of G_a(x0 + t) = Σ_p a_p t^p, t ∈ [0, TAB_H].
// Returns (G_a(s), dG_a/ds); outside [TAB_LO, TAB_LO + TAB_NINT·TAB_H] linear extrapolation.

@group(0) @binding(11) var<storage, read> TAB: array<f32>;

fn tabEval(netBase: u32, s: f32, a: u32) -> vec2f {
  let x = (s - TAB_LO) / TAB_H;
  var k = i32(floor(x));
  var t = s - (TAB_LO + f32(k) * TAB_H);
  var extra = 0.0;
  if (k < 0) { k = 0; extra = s - TAB_LO; t = 0.0; }
  if (k >= i32(TAB_NINT)) { k = i32(TAB_NINT) - 1; extra = s - (TAB_LO + f32(TAB_NINT) * TAB_H); t = TAB_H; }
  let c = netBase + (u32(k) * M + a) * 6u;
  let a0 = TAB[c]; let a1 = TAB[c + 1u]; let a2 = TAB[c + 2u];
  let a3 = TAB[c + 3u]; let a4 = TAB[c + 4u]; let a5 = TAB[c + 5u];
  let v = a0 + t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5))));
  let d = a1 + t * (2.0 * a2 + t * (3.0 * a3 + t * (4.0 * a4 + t * 5.0 * a5)));
  return vec2f(v + d * extra, d);
}

// (G_a, dG_a/ds) of element idx = n·M + a of the current tile (tile neighbour n, channel a) in model m.
fn tabTile(m: u32, idx: u32) -> vec2f {
  let n = idx / M;
  return tabEval(m * TAB_MODEL_STRIDE + tNet[n] * TAB_NET_STRIDE, tR[n].x, idx % M);
}
