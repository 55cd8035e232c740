/**
 * A frame's thumbnail: an orthographic view along −z (as the 3-D viewer's default camera),
 * atoms as discs painted far to near, coloured by per-atom force deviation on the trust-level
 * scale (a per-atom heat map). Pure geometry in `thumbnailDiscs`; drawing on a 2-D canvas.
 */
import { deviationScale, displayRadius } from '../colors.ts';

export interface Disc { x: number; y: number; r: number; rgb: [number, number, number] }

/**
 * Discs (canvas pixels) of the atoms at `positions` (Å, 3N) fitted into a `size`×`size` square,
 * sorted far (low z) to near, coloured by `deviation` (eV/Å, N) with trust levels lo/hi.
 */
export function thumbnailDiscs(symbols: string[], positions: ArrayLike<number>, deviation: ArrayLike<number>, lo: number, hi: number, size: number): Disc[] {
  const n = symbols.length;
  if (!n) return [];
  const colour = deviationScale(lo, hi);
  let cx = 0, cy = 0;
  for (let i = 0; i < n; i++) { cx += positions[3 * i]; cy += positions[3 * i + 1]; }
  cx /= n; cy /= n;
  let extent = 1;
  for (let i = 0; i < n; i++) extent = Math.max(extent, Math.abs(positions[3 * i] - cx) + displayRadius(symbols[i]), Math.abs(positions[3 * i + 1] - cy) + displayRadius(symbols[i]));
  const scale = (size / 2 - 1) / extent;
  const order = [...Array(n).keys()].sort((a, b) => positions[3 * a + 2] - positions[3 * b + 2]);
  return order.map((i) => ({
    x: size / 2 + (positions[3 * i] - cx) * scale,
    y: size / 2 - (positions[3 * i + 1] - cy) * scale,
    r: displayRadius(symbols[i]) * scale,
    rgb: colour(deviation[i]),
  }));
}

/** Paint the discs with a little shading (darker rim) on a canvas context. */
export function drawDiscs(ctx: CanvasRenderingContext2D, discs: Disc[], size: number): void {
  ctx.fillStyle = '#11151c';
  ctx.fillRect(0, 0, size, size);
  for (const d of discs) {
    const [r, g, b] = d.rgb.map((v) => Math.round(v * 255));
    const grad = ctx.createRadialGradient(d.x - d.r * 0.35, d.y - d.r * 0.35, d.r * 0.1, d.x, d.y, d.r);
    grad.addColorStop(0, `rgb(${Math.min(255, r + 60)},${Math.min(255, g + 60)},${Math.min(255, b + 60)})`);
    grad.addColorStop(1, `rgb(${Math.round(r * 0.55)},${Math.round(g * 0.55)},${Math.round(b * 0.55)})`);
    ctx.fillStyle = grad;
    ctx.beginPath();
    ctx.arc(d.x, d.y, d.r, 0, 2 * Math.PI);
    ctx.fill();
  }
}
