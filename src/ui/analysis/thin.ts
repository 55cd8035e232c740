/** Indices of at most `max` frames out of `n`, evenly spaced, ending with the last (all when n ≤ max). */
export function thinIndices(n: number, max: number): number[] {
  if (!(Number.isInteger(max) && max >= 1)) throw new Error(`thinIndices: max must be a positive integer, got ${max}`);
  if (n <= max) return Array.from({ length: n }, (_, k) => k);
  return Array.from({ length: max }, (_, k) => Math.round(((n - 1) * (k + 1)) / max));
}
