import { expect, test } from '@playwright/test';

// The same browser without --enable-unsafe-webgpu: no adapter. Every engine feature runs on the
// float64 CPU path, and the page says so.
test('without a WebGPU adapter: honest banner, MD and BHMC on the CPU path with frames, engine and steps/s', async ({ page }) => {
  await page.goto('/');
  const status = page.getByTestId('status-bar');
  await expect(status).toHaveAttribute('data-engine', 'cpu', { timeout: 60_000 });
  await expect(status).toContainText('WebGPU unavailable — using the CPU path');
  await expect(page.getByTestId('cpu-banner')).toContainText('No usable WebGPU: MD, BHMC and the deviation run on the float64 CPU path');
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });

  await page.getByTestId('md-steps').fill('40');
  await page.getByTestId('md-save-every').fill('10');
  await page.getByTestId('md-ensemble').selectOption('nose-hoover');
  await page.getByTestId('engine-preference').selectOption('webgpu'); // asked for, unavailable: falls back and says why
  await page.getByTestId('run-md').click();
  await expect(page.getByTestId('engine')).toContainText('CPU float64 (MD): WebGPU requested but unusable (no WebGPU adapter available', { timeout: 60_000 });
  await expect(page.getByTestId('md-state')).toContainText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('md-frames')).toHaveText('5');
  await expect(page.getByTestId('live-plots')).toHaveAttribute('data-points', '5');
  expect(Number.parseFloat((await page.getByTestId('steps-per-second').textContent()) ?? '')).toBeGreaterThan(0);

  await page.getByTestId('bhmc-natoms').fill('6');
  await page.getByTestId('bhmc-trials').fill('2');
  await page.getByTestId('run-bhmc').click();
  await expect(page.getByTestId('engine')).toContainText('CPU float64 (BHMC)', { timeout: 60_000 });
  await expect(page.getByTestId('bhmc-state')).toContainText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('bhmc-chain')).toHaveAttribute('data-points', '3');
  await expect(page.getByTestId('bhmc-minima').locator('li').first()).toBeVisible();
  await page.screenshot({ path: 'test-results/e2e/no-webgpu.png' });
});
