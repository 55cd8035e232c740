/** Display colours (CPK-like, with metallic tones for the paper's metals) and radii (Å). */
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
