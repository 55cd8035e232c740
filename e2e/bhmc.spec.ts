import { expect } from '@playwright/test';
import { openStudio, SHOTS, test } from './support/studio.ts';
import { fillFields } from './support/explore.ts';

// Basin hopping in the browser (worker, ask–tell state machine of core/bhmc.ts) with the demo
// ensemble: the chain plot gets one point per relaxation, the distinct minima are listed,
// clicking one shows it, every relaxation frame is kept as a candidate frame.
test('BHMC of Cu7: chain plot, minima list, click a minimum to view it, relaxation frames kept', async ({ page }) => {
  test.setTimeout(420_000);
  await openStudio(page);
  await fillFields(page, { 'bhmc-natoms': 7, 'bhmc-trials': 5, 'bhmc-temperature': 2000, 'bhmc-fmax': 0.1 });
  await page.getByTestId('run-bhmc').click();
  // The engine is named with the reason (auto: measured, or the CPU when WebGPU is unusable).
  await expect(page.getByTestId('engine')).toContainText(/(WebGPU|CPU float64) \(BHMC\): /, { timeout: 300_000 });
  await expect(page.getByTestId('bhmc-state')).toContainText('finished', { timeout: 300_000 });
  await expect(page.getByTestId('bhmc-state')).toContainText('5 / 5 trials');
  // Start relaxation + 5 trials = 6 points on the chain plot, drawn by uPlot.
  await expect(page.getByTestId('bhmc-chain')).toHaveAttribute('data-points', '6');
  await expect(page.getByTestId('bhmc-chain').locator('canvas')).toHaveCount(1);
  const minima = page.getByTestId('bhmc-minima').locator('li');
  expect(await minima.count()).toBeGreaterThan(0);
  // Every evaluation of every relaxation is a frame: far more frames than relaxations.
  expect(Number(await page.getByTestId('bhmc-frames').textContent())).toBeGreaterThan(6 * 5);
  await expect(page.getByTestId('bhmc-error')).toHaveCount(0);

  // Clicking a minimum puts it in the viewer (7 atoms, new positions).
  const before = await page.evaluate(() => ({ ...window.__nanostudio! }));
  expect(before.natoms).toBe(55);
  await minima.first().locator('button').click();
  await page.waitForFunction(() => window.__nanostudio!.natoms === 7, null, { timeout: 30_000 });
  const shown = await page.evaluate(() => ({ ...window.__nanostudio! }));
  expect(shown.positionKey).not.toBe(before.positionKey);
  await expect(minima.first().locator('button')).toHaveClass(/shown/);
  if ((await minima.count()) > 1) {
    await minima.nth(1).locator('button').click();
    await page.waitForFunction((k) => window.__nanostudio!.positionKey !== k, shown.positionKey, { timeout: 30_000 });
  }
  await page.screenshot({ path: `${SHOTS}/bhmc.png` });
});
