/** Statistics helpers for the MD tests: means, variances, integrated autocorrelation times. */

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

export function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / (x.length - 1);
}

/**
 * Integrated autocorrelation time τ_int = ½ + Σ_{t≥1} ρ(t) (in samples) with Sokal's automatic
 * window: sum until t ≥ c·τ_int (c = 6). A series of independent samples has τ_int = ½, so the
 * number of decorrelated samples is n_eff = n / (2 τ_int).
 */
export function integratedAutocorrelationTime(x: ArrayLike<number>, c = 6): number {
  const n = x.length;
  const m = mean(x);
  const d = Float64Array.from(x, (v) => v - m);
  let c0 = 0;
  for (let i = 0; i < n; i++) c0 += d[i] * d[i];
  if (c0 === 0) return 0.5;
  let tau = 0.5;
  for (let t = 1; t < n / 2; t++) {
    let ct = 0;
    for (let i = 0; i + t < n; i++) ct += d[i] * d[i + t];
    tau += ct / c0;
    if (t >= c * tau) break;
  }
  return Math.max(0.5, tau);
}

/**
 * Autocorrelation time from block averages (Flyvbjerg & Petersen, J. Chem. Phys. 91, 461 (1989)):
 * with nb blocks of b samples, τ ≈ b·Var(block means) / (2 Var(x)). Robust when the
 * autocorrelation function oscillates (harmonic-like motion), where a windowed sum can stop early.
 */
export function blockAutocorrelationTime(x: ArrayLike<number>, nb = 20): number {
  const b = Math.floor(x.length / nb);
  const means = Array.from({ length: nb }, (_, k) => mean(Array.prototype.slice.call(x, k * b, (k + 1) * b) as number[]));
  return Math.max(0.5, (b * variance(means)) / (2 * variance(x)));
}

/** Number of decorrelated samples n / (2 τ), τ the larger (more cautious) of the two estimates. */
export function effectiveSamples(x: ArrayLike<number>): number {
  return x.length / (2 * Math.max(integratedAutocorrelationTime(x), blockAutocorrelationTime(x)));
}
