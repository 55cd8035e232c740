/**
 * Scale ranges for scatter plots: margins around the data so that no point sits on the frame
 * (every point can be seen, clicked and brushed), and one common range for both axes of a parity
 * plot (so that y = x is the diagonal).
 */
import type uPlot from 'uplot';

/** [min, max] widened by `margin` of the span on each side (±0.5 when the span is zero). */
export function padRange(min: number, max: number, margin = 0.06): [number, number] {
  const m = max > min ? margin * (max - min) : 0.5;
  return [min - m, max + m];
}

/** uPlot range function: the scale's own data range with 6 % margins. */
export const padded = (_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax =>
  min === null || max === null ? [min, max] : padRange(min, max);

/** uPlot range function: one range over every finite value of every column (x and all series), with margins. */
export const commonRange = (u: uPlot): uPlot.Range.MinMax => {
  let lo = Infinity, hi = -Infinity;
  for (const col of u.data) for (const v of Array.from(col as ArrayLike<number | null | undefined>)) if (typeof v === 'number' && Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return lo > hi ? [null, null] : padRange(lo, hi);
};
