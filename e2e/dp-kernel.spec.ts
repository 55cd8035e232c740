import { expect, test } from '@playwright/test';

// The DP-SE WGSL kernels in Chromium (worker, SwiftShader in CI) against the float64 CPU
// evaluator on the same frame, with the spec §6 tolerances used by the Node kernel tests.
test('WGSL DP ensemble in Chromium matches the float64 evaluator on Cu55', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-engine', 'webgpu', { timeout: 120_000 });
  const r = await page.evaluate(() => window.__nanostudioCheckDp!());
  expect(r.natoms).toBe(55);
  expect(r.nmodels).toBe(4);
  expect(r.engine).toContain('WebGPU');
  expect(r.maxAtomicEnergyError).toBeLessThan(1e-4);
  expect(r.maxForceError).toBeLessThan(1e-4);
  expect(r.maxDeviError).toBeLessThan(1e-4);
  console.log(`Chromium DP check: ${JSON.stringify(r)}`);
});
