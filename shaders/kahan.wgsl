// Kahan-compensated f32 summation, shared by the one-workgroup reductions (md-reduce,
// dp-deviation): s = (sum, compensation), kahanAdd(s, v) = s + v.

fn kahanAdd(s: vec2f, v: f32) -> vec2f {
  let y = v - s.y;
  let t = s.x + y;
  return vec2f(t, (t - s.x) - y);
}
