/** PNG screenshots decoded in the page (the browser has the decoder; no image library in Node). */
import type { Page } from '@playwright/test';

export interface Pixels { width: number; height: number; /** RGBA, row-major. */ data: Uint8Array }

/** The RGBA pixels of a PNG, optionally of the rectangle `clip` only (CSS pixels of the screenshot). */
export async function pngPixels(page: Page, png: Buffer, clip?: { x: number; y: number; width: number; height: number }): Promise<Pixels> {
  const { width, height, b64 } = await page.evaluate(async ({ b64, clip }) => {
    const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
    const bmp = await createImageBitmap(blob);
    const r = clip ? { x: Math.round(clip.x), y: Math.round(clip.y), w: Math.round(clip.width), h: Math.round(clip.height) } : { x: 0, y: 0, w: bmp.width, h: bmp.height };
    const c = new OffscreenCanvas(r.w, r.h);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, r.x, r.y, r.w, r.h, 0, 0, r.w, r.h);
    const d = ctx.getImageData(0, 0, r.w, r.h).data;
    let bin = '';
    for (let i = 0; i < d.length; i += 0x8000) bin += String.fromCharCode(...d.subarray(i, i + 0x8000));
    return { width: r.w, height: r.h, b64: btoa(bin) };
  }, { b64: png.toString('base64'), clip });
  return { width, height, data: new Uint8Array(Buffer.from(b64, 'base64')) };
}

/** '#rrggbb' → [r, g, b] (0–255). */
export const hexRgb = (h: string): [number, number, number] => [1, 3, 5].map((k) => Number.parseInt(h.slice(k, k + 2), 16)) as [number, number, number];

/** Distinct colours at 4 bits per channel. */
export function distinctColours(p: Pixels): number {
  const seen = new Set<number>();
  const d = p.data;
  for (let i = 0; i < d.length; i += 4) seen.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4));
  return seen.size;
}
