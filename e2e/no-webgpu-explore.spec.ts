/**
 * Without a WebGPU adapter (the no-webgpu project: Chromium without --enable-unsafe-webgpu), the
 * exploration side works the same on the float64 CPU path, under an honest banner: an imported
 * structure (drag and drop), MD frames kept in IndexedDB with their classes on the timeline,
 * scrubbing with deviation colours, the decent inspector with heat maps, a reload that loses
 * nothing, NPT for a periodic cell, and named errors for a malformed file.
 */
import { expect } from '@playwright/test';
import { writeExtxyz } from '../src/core/io/extxyz.ts';
import { icosahedron } from '../src/core/build/index.ts';
import { classOf, dropFile, exportRun, openStudio, runMd, setTrust, SHOTS, studioState } from './support/explore.ts';
import { test } from './support/studio.ts';

test('without WebGPU: import, MD frames on the timeline, scrubbing, inspector, reload, NPT offered — all on the CPU with the banner', async ({ page }) => {
  test.setTimeout(420_000);
  await openStudio(page);
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-engine', 'cpu', { timeout: 60_000 });
  await expect(page.getByTestId('cpu-banner')).toContainText('No usable WebGPU: MD, BHMC and the deviation run on the float64 CPU path (all features available, slower)');
  await expect(page.getByTestId('gpu-status')).toContainText('WebGPU unavailable — using the CPU path');

  // A structure dropped on the viewer; a malformed one named, the first kept.
  await dropFile(page, 'cu13.xyz', writeExtxyz([icosahedron('Cu', 2)]));
  await page.waitForFunction(() => window.__nanostudio!.natoms === 13, null, { timeout: 30_000 });
  const kept = await studioState(page);
  await dropFile(page, 'broken.xyz', '2\n\nCu 0 0 0\n');
  await expect(page.getByTestId('structure-error')).toContainText('broken.xyz:1: frame announces 2 atoms but the file ends early');
  expect((await studioState(page)).positionKey).toBe(kept.positionKey);

  await runMd(page, { steps: 30, saveEvery: 5, temperatureK: 1500, ensemble: 'langevin', engine: 'auto' });
  await expect(page.getByTestId('engine')).toContainText('CPU float64 (MD): WebGPU unusable (no WebGPU adapter available');
  const n = 7;
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-frames', String(n));
  const frames = await exportRun(page);
  expect(frames).toHaveLength(n);
  const d = frames.map((f) => Number(f.info?.max_devi_f));
  const sorted = [...d].sort((a, b) => a - b);
  const lo = (sorted[1] + sorted[2]) / 2, hi = (sorted[4] + sorted[5]) / 2;
  await setTrust(page, lo, hi);
  const want = d.map((x) => classOf(x, lo, hi));
  for (const c of ['good', 'decent', 'poor'] as const) await expect(timeline).toHaveAttribute(`data-${c}`, String(want.filter((w) => w === c).length));

  // Scrub: the stored frame with its class; deviation colours differ between frames.
  const box = (await page.getByTestId('timeline-strip').boundingBox())!;
  const at = async (k: number) => {
    await page.mouse.click(box.x + ((k + 0.5) * box.width) / n, box.y + box.height * 0.9);
    await expect(timeline).toHaveAttribute('data-cursor', String(k));
    await expect(page.getByTestId('frame-class')).toHaveText(want[k]);
    return studioState(page);
  };
  const lowK = d.indexOf(sorted[0]), highK = d.indexOf(sorted[n - 1]);
  const a = await at(lowK), b = await at(highK);
  expect(a.source).toBe('replay');
  expect(b.step).toBe(frames[highK].info?.step);
  expect(b.colourKey).not.toBe(a.colourKey);

  // The inspector: the decent frames, largest deviation first, with heat maps.
  await page.getByTestId('tab-frames').click();
  const items = page.getByTestId('decent-list').getByTestId('decent-item');
  const decent = d.filter((x) => classOf(x, lo, hi) === 'decent').sort((x, y) => y - x);
  await expect(items).toHaveCount(decent.length);
  expect(await items.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-max-devi'))))).toEqual(decent);
  await expect(items.first().getByTestId('decent-thumb')).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/no-webgpu-frames.png` });

  // A reload loses nothing.
  await page.reload();
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-frames', String(n), { timeout: 60_000 });
  const again = await exportRun(page);
  again.forEach((f, k) => expect(Array.from(f.positions)).toEqual(Array.from(frames[k].positions)));

  // NPT for a periodic cell is offered (the CPU path has it).
  await page.getByTestId('structure').selectOption('Cu108 bulk fcc 3×3×3');
  await page.waitForFunction(() => window.__nanostudio!.cellDrawn, null, { timeout: 30_000 });
  expect(await page.getByTestId('md-ensemble').locator('option[value="npt"]').evaluate((o) => (o as HTMLOptionElement).disabled)).toBe(false);
});
