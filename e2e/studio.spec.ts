import { expect, test, type Page } from '@playwright/test';
import { writeFileSync, mkdirSync } from 'node:fs';

/** Pixel statistics of a PNG, decoded in the page (no image library needed in Node). */
async function pixelStats(page: Page, png: Buffer) {
  return page.evaluate(async (b64) => {
    const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
    const bmp = await createImageBitmap(blob);
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    const bg = [d[0], d[1], d[2]];
    let differ = 0, warm = 0;
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 4) {
      const dr = d[i] - bg[0], dg = d[i + 1] - bg[1], db = d[i + 2] - bg[2];
      if (Math.abs(dr) + Math.abs(dg) + Math.abs(db) > 30) differ++;
      if (d[i] > d[i + 2] + 40 && d[i] > 80) warm++; // copper-ish: red well above blue
      colours.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4));
    }
    const total = d.length / 4;
    return { width: bmp.width, height: bmp.height, fractionNonBackground: differ / total, fractionWarm: warm / total, distinctColours: colours.size };
  }, png.toString('base64'));
}

test('studio renders the Cu55 icosahedron and names a real WebGPU adapter', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  // First frame rendered by Three.js.
  await page.waitForFunction(() => (window.__nanostudio?.framesRendered ?? 0) > 2, null, { timeout: 60_000 });
  expect(await page.evaluate(() => window.__nanostudio!.natoms)).toBe(55);

  const canvas = page.locator('canvas[data-testid="viewer-canvas"]');
  const png = await canvas.screenshot();
  mkdirSync('test-results/e2e', { recursive: true });
  writeFileSync('test-results/e2e/studio-cu55.png', png);
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
  await page.screenshot({ path: 'test-results/e2e/studio-full.png' });
  expect(errors).toEqual([]);
});
