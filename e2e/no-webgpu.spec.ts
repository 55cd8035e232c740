import { expect, test } from '@playwright/test';

test('without a WebGPU adapter the studio says so and runs MD on the CPU path', async ({ page }) => {
  await page.goto('/');
  const status = page.getByTestId('status-bar');
  await expect(status).toHaveAttribute('data-engine', 'cpu', { timeout: 60_000 });
  await expect(status).toContainText('WebGPU unavailable — using the CPU path');
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });
  await page.getByTestId('run').click();
  await page.waitForFunction(() => (window.__nanostudio?.step ?? 0) >= 4, null, { timeout: 120_000 });
  await expect(page.getByTestId('md-engine')).toContainText('CPU');
});
