/** Helpers of the exploration e2e specs (structures, frames, inspector, NPT): page actions and pixel counts. */
import { expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { readExtxyz, type XyzFrame } from '../../src/core/io/extxyz.ts';
import { distinctColours, hexRgb, pngPixels } from './pixels.ts';

export { SHOTS, openStudio, plot, type PlotSummary } from './studio.ts';

export interface MdFormValues { steps: number; saveEvery: number; temperatureK?: number; ensemble?: string; engine?: 'auto' | 'webgpu' | 'cpu' }

/** Fill the inputs `data-testid → value` of a form. */
export async function fillFields(page: Page, fields: Record<string, string | number>): Promise<void> {
  for (const [id, v] of Object.entries(fields)) await page.getByTestId(id).fill(String(v));
}

/** Start MD of the structure on screen with the given form values (the run goes on). */
export async function startMd(page: Page, o: MdFormValues): Promise<void> {
  if (o.ensemble) await page.getByTestId('md-ensemble').selectOption(o.ensemble);
  if (o.temperatureK !== undefined) await page.getByTestId('md-temperature').fill(String(o.temperatureK));
  await page.getByTestId('md-steps').fill(String(o.steps));
  await page.getByTestId('md-save-every').fill(String(o.saveEvery));
  await page.getByTestId('engine-preference').selectOption(o.engine ?? 'auto');
  await page.getByTestId('run-md').click();
}

/** Run MD of the structure on screen to the end with the given form values. */
export async function runMd(page: Page, o: MdFormValues): Promise<void> {
  await startMd(page, o);
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
 * Pixels of a PNG within `tol` (sum of |ΔRGB|) of each of `colours` ('#rrggbb'), the total pixel
 * count and the distinct colours (4 bits per channel).
 */
export async function colourCounts(page: Page, png: Buffer, colours: string[], tol = 30): Promise<{ total: number; counts: number[]; distinct: number }> {
  const p = await pngPixels(page, png);
  const d = p.data;
  const want = colours.map(hexRgb);
  const counts = want.map(() => 0);
  for (let i = 0; i < d.length; i += 4) {
    want.forEach((w, k) => { if (Math.abs(d[i] - w[0]) + Math.abs(d[i + 1] - w[1]) + Math.abs(d[i + 2] - w[2]) <= tol) counts[k]++; });
  }
  return { total: d.length / 4, counts, distinct: distinctColours(p) };
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
  const d = (await pngPixels(page, png, clip)).data;
  const b = hexRgb(bg), l = hexRgb(line);
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
}
