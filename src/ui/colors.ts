/** Display colours (CPK-like, with metallic tones for the paper's metals), radii, colour maps. */
import { trustLevelError } from '../core/potentials/dp/deviation.ts';
import type { FrameClass } from '../worker/frames.ts';

/** Colours of the frame classes under the trust levels, everywhere in the studio (timeline, maps, dashboard; .class-* in styles.css). */
export const CLASS_COLOURS: Record<FrameClass, string> = { good: '#6fcf97', decent: '#f2c94c', poor: '#eb5757' };
/** Points with no deviation recorded (references, data-set frames). */
export const NO_CLASS_COLOUR = '#7f8ea3';

/** How the viewer colours atoms: by element, or by the ensemble's per-atom force deviation. */
export const COLOUR_MODES = ['element', 'deviation'] as const;
export type ColourMode = (typeof COLOUR_MODES)[number];

const COLORS: Record<string, number> = {
  Cu: 0xc88033, Ag: 0xc0c0c0, Au: 0xffd123, Pt: 0xd0d0e0, Pd: 0x006985, Ni: 0x50d050,
  Ru: 0x248f8f, Rh: 0x0a7d8c, Al: 0xbfa6a6, Si: 0xf0c8a0, Fe: 0xe06633, Mg: 0x8aff00,
  H: 0xffffff, O: 0xff0d0d, C: 0x909090, N: 0x3050f8,
};

/** Sphere colour of an element (hex RGB). */
export function elementColor(symbol: string): number {
  return COLORS[symbol] ?? 0xff1493;
}

/** Sphere radius for display, Å: ~half the metallic nearest-neighbour distance. */
export function displayRadius(symbol: string): number {
  return symbol === 'H' ? 0.5 : 1.2;
}

/** Colour stops of the force-deviation scale: value as a fraction of the scale top, RGB 0–1. */
export const DEVIATION_STOPS: [number, [number, number, number]][] = [
  [0.0, [0.17, 0.24, 0.62]], // deep blue: models agree
  [0.33, [0.16, 0.68, 0.7]], // teal
  [0.5, [0.98, 0.85, 0.25]], // yellow: around fmax_lo
  [0.75, [0.96, 0.45, 0.12]], // orange
  [1.0, [0.86, 0.1, 0.1]], // red: at or beyond fmax_hi
];

/** Colour (RGB 0–1) of a per-atom force deviation ε, eV/Å. */
export type DeviationColour = (eps: number) => [number, number, number];

/**
 * The force-deviation colour scale of trust levels `lo`, `hi` (eV/Å): yellow at `lo`, red at
 * `hi` (the stops are placed so that ε = lo maps to 0.5 and ε = hi to 1). The levels are checked
 * once, here: levels without a scale (lo ≤ 0, lo ≥ hi, non-finite) throw the named trust-level
 * error; the returned per-atom function does no checks.
 */
export function deviationScale(lo: number, hi: number): DeviationColour {
  const bad = trustLevelError(lo, hi);
  if (bad) throw new Error(`deviation colours: ${bad}`);
  return (eps) => {
    // Piecewise-linear map ε → t: [0, lo] → [0, 0.5], [lo, hi] → [0.5, 1].
    const t = eps <= lo ? (0.5 * eps) / lo : Math.min(1, 0.5 + (0.5 * (eps - lo)) / (hi - lo));
    for (let k = 1; k < DEVIATION_STOPS.length; k++) {
      const [t1, c1] = DEVIATION_STOPS[k];
      if (t <= t1) {
        const [t0, c0] = DEVIATION_STOPS[k - 1];
        const u = (t - t0) / (t1 - t0);
        return [c0[0] + u * (c1[0] - c0[0]), c0[1] + u * (c1[1] - c0[1]), c0[2] + u * (c1[2] - c0[2])];
      }
    }
    return DEVIATION_STOPS[DEVIATION_STOPS.length - 1][1];
  };
}
