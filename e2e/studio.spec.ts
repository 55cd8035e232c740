import { expect, type Page } from '@playwright/test';
import { SHOTS, test } from './support/studio.ts';
import { distinctColours, pngPixels } from './support/pixels.ts';
import { writeFileSync } from 'node:fs';

/** Pixel statistics of a PNG: fractions differing from the background (the first pixel) and copper-ish, distinct colours. */
async function pixelStats(page: Page, png: Buffer) {
  const p = await pngPixels(page, png);
  const d = p.data;
  const bg = [d[0], d[1], d[2]];
  let differ = 0, warm = 0;
  for (let i = 0; i < d.length; i += 4) {
    const dr = d[i] - bg[0], dg = d[i + 1] - bg[1], db = d[i + 2] - bg[2];
    if (Math.abs(dr) + Math.abs(dg) + Math.abs(db) > 30) differ++;
    if (d[i] > d[i + 2] + 40 && d[i] > 80) warm++; // copper-ish: red well above blue
  }
  const total = d.length / 4;
  return { width: p.width, height: p.height, fractionNonBackground: differ / total, fractionWarm: warm / total, distinctColours: distinctColours(p) };
}

test('studio renders the Cu55 icosahedron and names a real WebGPU adapter', async ({ page }) => {
  await page.goto('/');
  // First frame rendered by Three.js.
  await page.waitForFunction(() => (window.__nanostudio?.framesRendered ?? 0) > 2, null, { timeout: 60_000 });
  expect(await page.evaluate(() => window.__nanostudio!.natoms)).toBe(55);

  const canvas = page.locator('canvas[data-testid="viewer-canvas"]');
  const png = await canvas.screenshot();
  writeFileSync(`${SHOTS}/studio-cu55.png`, png);
  const stats = await pixelStats(page, png);
  // Atoms visible: a sizeable, shaded copper-coloured blob on the dark background.
  expect(stats.fractionNonBackground).toBeGreaterThan(0.05);
  expect(stats.fractionWarm).toBeGreaterThan(0.03);
  expect(stats.distinctColours).toBeGreaterThan(50);

  // The status bar reports a real WebGPU adapter (software SwiftShader in CI), not the CPU fallback.
  const status = page.getByTestId('status-bar');
  await expect(status).toHaveAttribute('data-engine', 'webgpu', { timeout: 120_000 });
  await expect(status).toContainText(/WebGPU: .*(SwiftShader|Vulkan|GPU|swiftshader)/i);
  await expect(status).toContainText('kernel self-test passed');
  await page.screenshot({ path: `${SHOTS}/studio-full.png` });
});
