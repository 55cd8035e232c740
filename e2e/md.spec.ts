import { expect, test } from '@playwright/test';

test('NVT MD with the demo ensemble: atoms move, deviation colours change, pause/resume', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  await page.waitForFunction(() => (window.__nanostudio?.framesRendered ?? 0) > 2);
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });

  const before = await page.evaluate(() => ({ ...window.__nanostudio! }));
  await page.getByTestId('run').click();
  await page.waitForFunction(() => (window.__nanostudio?.step ?? 0) >= 6, null, { timeout: 120_000 });
  const mid = await page.evaluate(() => ({ ...window.__nanostudio! }));
  expect(mid.positionKey).not.toBe(before.positionKey);
  expect(mid.colourKey).not.toBe(before.colourKey); // element colours → deviation colours
  await page.waitForFunction((k) => window.__nanostudio!.colourKey !== k && window.__nanostudio!.step > 6, mid.colourKey, { timeout: 120_000 });

  await expect(page.getByTestId('legend')).toBeVisible();
  await expect(page.getByTestId('max-devi')).toHaveText(/^\d+\.\d{4} eV\/Å$/);
  await expect(page.getByTestId('live-temperature')).toHaveText(/^\d+ K$/);
  await expect(page.getByTestId('md-engine')).toContainText('WebGPU'); // the GPU ensemble, not the CPU fallback

  // Pause: the step counter stops; resume: it goes on.
  await page.getByTestId('run').click();
  await expect(page.getByTestId('run')).toHaveText('Resume');
  await page.waitForTimeout(1500);
  const paused = await page.evaluate(() => window.__nanostudio!.step);
  await page.waitForTimeout(1500);
  expect(await page.evaluate(() => window.__nanostudio!.step)).toBe(paused);
  await page.getByTestId('run').click();
  await page.waitForFunction((s) => window.__nanostudio!.step > s, paused, { timeout: 120_000 });
  await page.screenshot({ path: 'test-results/e2e/studio-md.png' });
  expect(errors).toEqual([]);
});
