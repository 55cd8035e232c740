/** Helpers of the exploration e2e specs (structures, frames, inspector, NPT): page actions and pixel counts. */
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { readExtxyz, type XyzFrame } from '../../src/core/io/extxyz.ts';

export const SHOTS = 'test-results/e2e';

/** The studio open with the demo ensemble loaded (the DP kernel check may still be running). */
export async function openStudio(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await page.waitForFunction(() => (window.__nanostudio?.framesRendered ?? 0) > 2, null, { timeout: 60_000 });
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });
}

/** Run MD of the structure on screen to the end with the given form values. */
export async function runMd(page: Page, o: { steps: number; saveEvery: number; temperatureK?: number; ensemble?: string; engine?: 'auto' | 'webgpu' | 'cpu' }): Promise<void> {
  if (o.ensemble) await page.getByTestId('md-ensemble').selectOption(o.ensemble);
  if (o.temperatureK !== undefined) await page.getByTestId('md-temperature').fill(String(o.temperatureK));
  await page.getByTestId('md-steps').fill(String(o.steps));
  await page.getByTestId('md-save-every').fill(String(o.saveEvery));
  await page.getByTestId('engine-preference').selectOption(o.engine ?? 'auto');
  await page.getByTestId('run-md').click();
  await expect(page.getByTestId('md-state')).toContainText('finished', { timeout: 300_000 });
  await expect(page.getByTestId('md-error')).toHaveCount(0);
}

/** Click `button` and return the text of the file it downloads. */
export async function download(page: Page, button: Locator): Promise<{ name: string; text: string }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

/** The run on the timeline, exported as extended XYZ and parsed (what the browser stored). */
export async function exportRun(page: Page): Promise<XyzFrame[]> {
  const { text } = await download(page, page.getByTestId('export-run'));
  return readExtxyz(text, 'exported run');
}

/** Drop a file on the 3-D viewer as a user's drag and drop would. */
export async function dropFile(page: Page, name: string, content: string | Buffer): Promise<void> {
  const dt = await page.evaluateHandle(({ name, b64 }) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const d = new DataTransfer();
    d.items.add(new File([bytes], name));
    return d;
  }, { name, b64: Buffer.from(content).toString('base64') });
  const viewer = page.getByTestId('viewer');
  await viewer.dispatchEvent('dragover', { dataTransfer: dt });
  await viewer.dispatchEvent('drop', { dataTransfer: dt });
}

/** Set the trust levels lo/hi (eV/Å) through the inputs. */
export async function setTrust(page: Page, lo: number, hi: number): Promise<void> {
  // hi first when raising, so that every intermediate pair stays valid (lo < hi).
  const curHi = Number(await page.getByTestId('trust-hi').inputValue());
  if (hi > curHi) { await page.getByTestId('trust-hi').fill(String(hi)); await page.getByTestId('trust-lo').fill(String(lo)); }
  else { await page.getByTestId('trust-lo').fill(String(lo)); await page.getByTestId('trust-hi').fill(String(hi)); }
  await expect(page.getByTestId('trust-error')).toHaveCount(0);
}

/**
 * Pixels of a PNG (decoded in the page) within `tol` (sum of |ΔRGB|) of each of `colours`
 * ('#rrggbb'), and the total pixel count.
 */
export async function colourCounts(page: Page, png: Buffer, colours: string[], tol = 30): Promise<{ total: number; counts: number[]; distinct: number }> {
  return page.evaluate(async ({ b64, colours, tol }) => {
    const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
    const bmp = await createImageBitmap(blob);
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    const want = colours.map((h) => [1, 3, 5].map((k) => Number.parseInt(h.slice(k, k + 2), 16)));
    const counts = want.map(() => 0);
    const seen = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      seen.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4));
      want.forEach((w, k) => { if (Math.abs(d[i] - w[0]) + Math.abs(d[i + 1] - w[1]) + Math.abs(d[i + 2] - w[2]) <= tol) counts[k]++; });
    }
    return { total: d.length / 4, counts, distinct: seen.size };
  }, { b64: png.toString('base64'), colours, tol });
}

export const CLASS_HEX = { good: '#6fcf97', decent: '#f2c94c', poor: '#eb5757' } as const;

/** DP-GEN class of max_devi_f under [lo, hi) (computed here, independently of the studio). */
export function classOf(maxDeviF: number, lo: number, hi: number): 'good' | 'decent' | 'poor' {
  return maxDeviF >= hi || !Number.isFinite(maxDeviF) ? 'poor' : maxDeviF >= lo ? 'decent' : 'good';
}

export const studioState = (page: Page) => page.evaluate(() => ({ ...window.__nanostudio! }));

/**
 * Pixels of a PNG that lie on the colour segment from the background `bg` to a line colour
 * `line` (a thin antialiased line blends the two), at least `minMix` of the way to the line colour.
 */
export async function lineLikePixels(page: Page, png: Buffer, bg: string, line: string, clip?: { x: number; y: number; width: number; height: number }, minMix = 0.35): Promise<number> {
  return page.evaluate(async ({ b64, bg, line, minMix, clip }) => {
    const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
    const bmp = await createImageBitmap(blob);
    const r = clip ? { x: Math.round(clip.x), y: Math.round(clip.y), w: Math.round(clip.width), h: Math.round(clip.height) } : { x: 0, y: 0, w: bmp.width, h: bmp.height };
    const c = new OffscreenCanvas(r.w, r.h);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, r.x, r.y, r.w, r.h, 0, 0, r.w, r.h);
    const d = ctx.getImageData(0, 0, r.w, r.h).data;
    const rgb = (h: string) => [1, 3, 5].map((k) => Number.parseInt(h.slice(k, k + 2), 16));
    const b = rgb(bg), l = rgb(line);
    const v = [l[0] - b[0], l[1] - b[1], l[2] - b[2]];
    const vv = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      const p = [d[i] - b[0], d[i + 1] - b[1], d[i + 2] - b[2]];
      const t = (p[0] * v[0] + p[1] * v[1] + p[2] * v[2]) / vv;
      if (t < minMix || t > 1.3) continue;
      const off = Math.abs(p[0] - t * v[0]) + Math.abs(p[1] - t * v[1]) + Math.abs(p[2] - t * v[2]);
      if (off <= 18) n++;
    }
    return n;
  }, { b64: png.toString('base64'), bg, line, minMix, clip });
}

export type PlotSummary = { counts: number[]; scales: Record<string, [number | null, number | null]>; series: string[] };

/** What the uPlot chart `id` shows (point counts per series, scale ranges, series labels), or null before it draws. */
export const plot = (page: Page, id: string) => page.evaluate((k) => {
  const p = window.__nanostudioPlots?.[k];
  return p ? { counts: p.counts, scales: p.scales, series: p.series } : null;
}, id) as Promise<PlotSummary | null>;
