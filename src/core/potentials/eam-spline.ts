/**
 * The cubic interpolation LAMMPS uses for every EAM table (pair_eam.cpp, `interpolate()`):
 * a uniform grid f[1..n] with spacing Δ, slopes (per grid step) from the 5-point stencil
 *   s[m] = ((f[m−2] − f[m+2]) + 8 (f[m+1] − f[m−1])) / 12      (3 ≤ m ≤ n−2)
 * with central differences at m = 2, n−1 and one-sided ones at m = 1, n, and on interval m
 * (x in grid units p ∈ [0, 1]) the cubic Hermite polynomial
 *   c4 = 3 (f[m+1] − f[m]) − 2 s[m] − s[m+1],   c3 = s[m] + s[m+1] − 2 (f[m+1] − f[m])
 *   f(p)  = ((c3 p + c4) p + s[m]) p + f[m]
 *   f'(x) = ((3 c3 p + 2 c4) p + s[m]) / Δ.
 * It is a local (not a global C² natural) spline: reproducing LAMMPS bit for bit needs exactly
 * this, since e.g. the Cu_u3 embedding table has a kink a global spline smooths differently.
 *
 * Storage: 7 coefficients per node, node m (1-based, as LAMMPS) at offset 7m:
 *   [0] 3c3/Δ  [1] 2c4/Δ  [2] s/Δ   (derivative)   [3] c3  [4] c4  [5] s  [6] f   (value)
 * Node 0 is unused padding so indices match the LAMMPS source and its documentation.
 */

/** A LAMMPS-style spline table: n nodes, spacing delta, 7·(n+1) coefficients. */
export interface EamSpline {
  /** Number of grid nodes. */
  n: number;
  /** Grid spacing (units of the argument: Å for r, density units for ρ). */
  delta: number;
  /** Coefficients, 7 per node, node m at 7m (m = 1…n). */
  c: Float64Array;
}

/**
 * Build the spline of values f[0..n−1] (node m = index + 1) on a uniform grid of spacing delta.
 * Needs n ≥ 5 (the 5-point slope stencil).
 */
export function makeEamSpline(values: ArrayLike<number>, delta: number): EamSpline {
  const n = values.length;
  if (n < 5) throw new Error(`an EAM table needs at least 5 grid points, got ${n}`);
  if (!(delta > 0)) throw new Error(`an EAM table needs a positive grid spacing, got ${delta}`);
  const c = new Float64Array(7 * (n + 1));
  const f = (m: number): number => c[7 * m + 6];
  for (let m = 1; m <= n; m++) c[7 * m + 6] = values[m - 1];
  // Slopes per grid step.
  c[7 * 1 + 5] = f(2) - f(1);
  c[7 * 2 + 5] = 0.5 * (f(3) - f(1));
  c[7 * (n - 1) + 5] = 0.5 * (f(n) - f(n - 2));
  c[7 * n + 5] = f(n) - f(n - 1);
  for (let m = 3; m <= n - 2; m++) {
    c[7 * m + 5] = (f(m - 2) - f(m + 2) + 8 * (f(m + 1) - f(m - 1))) / 12;
  }
  for (let m = 1; m <= n - 1; m++) {
    const s0 = c[7 * m + 5], s1 = c[7 * (m + 1) + 5], d = f(m + 1) - f(m);
    c[7 * m + 4] = 3 * d - 2 * s0 - s1;
    c[7 * m + 3] = s0 + s1 - 2 * d;
  }
  c[7 * n + 4] = 0;
  c[7 * n + 3] = 0;
  for (let m = 1; m <= n; m++) {
    c[7 * m + 2] = c[7 * m + 5] / delta;
    c[7 * m + 1] = (2 * c[7 * m + 4]) / delta;
    c[7 * m + 0] = (3 * c[7 * m + 3]) / delta;
  }
  return { n, delta, c };
}

/**
 * Locate x (≥ 0) on a grid of n nodes, spacing delta, as LAMMPS does for r:
 * p = x/Δ + 1, m = min(int p, n−1), p = min(p − m, 1). Returns the coefficient offset 7m and p.
 * (For ρ LAMMPS also clamps m ≥ 1; with ρ ≥ 0 that never matters, but locateRho does it.)
 */
export function locateR(x: number, invDelta: number, n: number): { off: number; p: number } {
  let p = x * invDelta + 1.0;
  let m = Math.trunc(p);
  if (m > n - 1) m = n - 1;
  p -= m;
  if (p > 1) p = 1;
  return { off: 7 * m, p };
}

/** Spline value at the located point (off = 7m, p in grid units). */
export function splineValue(c: Float64Array, off: number, p: number): number {
  return ((c[off + 3] * p + c[off + 4]) * p + c[off + 5]) * p + c[off + 6];
}

/** Spline derivative (per unit of the argument) at the located point. */
export function splineDerivative(c: Float64Array, off: number, p: number): number {
  return (c[off] * p + c[off + 1]) * p + c[off + 2];
}
