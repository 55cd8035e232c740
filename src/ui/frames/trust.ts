/**
 * Trust levels (DP-GEN's model_devi_f_trust_lo/hi, eV/Å) and the class of a frame under them:
 * good (max ε_f < lo), decent (lo ≤ max ε_f < hi), poor (max ε_f ≥ hi).
 */
import type { FrameClass } from '../../worker/frames.ts';

/** The problem with a pair of trust levels (eV/Å), or null when they can be used (one rule for the studio and the worker). */
export { trustLevelError } from '../../core/potentials/dp/deviation.ts';

/** Class of a frame whose largest per-atom force deviation is `maxDeviF` (eV/Å) under trust levels [lo, hi). */
export function classifyMaxDevi(maxDeviF: number, lo: number, hi: number): FrameClass {
  if (!(maxDeviF < hi)) return 'poor'; // NaN counts as poor: nothing to trust
  return maxDeviF >= lo ? 'decent' : 'good';
}

/** Counts of each class. */
export function classCounts(frames: { frameClass: FrameClass }[]): Record<FrameClass, number> {
  const c: Record<FrameClass, number> = { good: 0, decent: 0, poor: 0 };
  for (const f of frames) c[f.frameClass]++;
  return c;
}
