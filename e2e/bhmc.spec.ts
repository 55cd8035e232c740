import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';

mkdirSync('test-results/e2e', { recursive: true });

// Basin hopping in the browser (worker, ask–tell state machine of core/bhmc.ts) with the demo
// ensemble: the chain plot gets one point per relaxation, the distinct minima are listed,
// clicking one shows it, every relaxation frame is kept as a candidate frame.
test('BHMC of Cu7: chain plot, minima list, click a minimum to view it, relaxation frames kept', async ({ page }) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  await page.waitForFunction(() => (window.__nanostudio?.framesRendered ?? 0) > 2);
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });
  await page.getByTestId('bhmc-natoms').fill('7');
  await page.getByTestId('bhmc-trials').fill('5');
  await page.getByTestId('bhmc-temperature').fill('2000');
  await page.getByTestId('bhmc-fmax').fill('0.1');
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
  await page.screenshot({ path: 'test-results/e2e/bhmc.png' });
  expect(errors).toEqual([]);
});
