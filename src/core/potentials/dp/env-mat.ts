/**
 * The se_e2_a environment-matrix row of one neighbour and its derivative (docs/dp-se.md §3.3, §3.4, §4.2).
 *   u  = clamp((r − rs)/(rc − rs), 0, 1),  sw = u³(−6u² + 15u − 10) + 1,  dsw/dr = −30u²(1−u)²/(rc − rs)
 *   e  = sw · (1/ρ, x/ρ², y/ρ², z/ρ²),  ρ = r + p
 * Lengths in Å; e[0] in 1/Å, e[1..3] in 1/Å as well (x/ρ²).
 */

/** Smooth switch sw(r) and its derivative dsw/dr (1/Å) written to out[0], out[1]. */
export function smoothSwitch(r: number, rs: number, rc: number, out: Float64Array): void {
  if (r <= rs) {
    out[0] = 1;
    out[1] = 0;
    return;
  }
  if (r >= rc) {
    out[0] = 0;
    out[1] = 0;
    return;
  }
  const u = (r - rs) / (rc - rs);
  out[0] = u * u * u * (-6 * u * u + 15 * u - 10) + 1;
  out[1] = (-30 * u * u * (1 - u) * (1 - u)) / (rc - rs);
}

const swBuf = new Float64Array(2);

/**
 * Env-matrix row e (length 4) of a neighbour at displacement (x, y, z) Å; returns r (Å).
 * Also writes sw and dsw/dr into sw[0], sw[1] when given (needed by the backward pass).
 */
export function envRow(x: number, y: number, z: number, rs: number, rc: number, p: number, e: Float64Array, sw: Float64Array = swBuf): number {
  const r = Math.sqrt(x * x + y * y + z * z);
  smoothSwitch(r, rs, rc, sw);
  const w = sw[0];
  const rho = r + p;
  const inv = 1 / rho;
  const inv2 = inv * inv;
  e[0] = w * inv;
  e[1] = w * x * inv2;
  e[2] = w * y * inv2;
  e[3] = w * z * inv2;
  return r;
}

/**
 * Gradient g = ∂E/∂d (eV/Å) of a neighbour displacement d = (x, y, z) given
 * de[k] = ∂E/∂e[k] (docs/dp-se.md §4.2):
 *   g = de0·(w'/ρ − w/ρ²)·û + (de1 x + de2 y + de3 z)·(w'/ρ² − 2w/ρ³)·û + (w/ρ²)·(de1, de2, de3)
 */
export function envRowBackward(
  x: number, y: number, z: number, r: number, w: number, dw: number, p: number,
  de0: number, de1: number, de2: number, de3: number, g: Float64Array,
): void {
  const rho = r + p;
  const inv = 1 / rho;
  const inv2 = inv * inv;
  const inv3 = inv2 * inv;
  const a = de0 * (dw * inv - w * inv2) + (de1 * x + de2 * y + de3 * z) * (dw * inv2 - 2 * w * inv3);
  const ir = 1 / r;
  const c = w * inv2;
  g[0] = a * x * ir + c * de1;
  g[1] = a * y * ir + c * de2;
  g[2] = a * z * ir + c * de3;
}
