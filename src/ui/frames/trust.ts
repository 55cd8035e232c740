/**
 * Trust levels (DP-GEN's model_devi_f_trust_lo/hi, eV/Å) and the class of a frame under them:
 * good (max ε_f < lo), decent (lo ≤ max ε_f < hi), poor (max ε_f ≥ hi).
 */
import type { FrameClass } from '../../worker/frames.ts';
import { trustLevelError } from '../../core/potentials/dp/deviation.ts';

/** The problem with a pair of trust levels (eV/Å), or null when they can be used (one rule for the studio and the worker). */
export { trustLevelError };

/** Trust levels lo/hi, eV/Å. */
export interface TrustLevels { trustLo: number; trustHi: number }

/** The studio's levels before the user sets any, eV/Å. */
export const DEFAULT_TRUST: TrustLevels = { trustLo: 0.05, trustHi: 0.15 };

/** Where this browser keeps the levels in use, so that a reload keeps them. */
export const TRUST_KEY = 'nanostudio.trustLevels';

/** The levels kept in this browser, or null when there are none or they are unusable (then the defaults apply). */
export function savedTrustLevels(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): TrustLevels | null {
  try {
    const t = JSON.parse(storage?.getItem(TRUST_KEY) ?? 'null') as Partial<TrustLevels> | null;
    if (t && typeof t.trustLo === 'number' && typeof t.trustHi === 'number' && trustLevelError(t.trustLo, t.trustHi) === null) return { trustLo: t.trustLo, trustHi: t.trustHi };
  } catch { /* unreadable: none kept */ }
  return null;
}

/** Keep the levels in use (valid ones only) for the next page load. */
export function saveTrustLevels(t: TrustLevels, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  if (trustLevelError(t.trustLo, t.trustHi) === null) storage?.setItem(TRUST_KEY, JSON.stringify({ trustLo: t.trustLo, trustHi: t.trustHi }));
}

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
