import { expect, test } from '@playwright/test';

// The DP-SE WGSL kernels in Chromium (worker, SwiftShader in CI) against the float64 CPU
// evaluator: at start the studio checks the loaded ensemble on Cu13 (status bar), and the
// diagnostics hook checks the structure on screen (Cu55), with the spec §6 tolerances.
// The first DP dispatches compile large kernels: minutes on SwiftShader on a loaded machine.
test('WGSL DP ensemble in Chromium matches the float64 evaluator on Cu13 (start-up check) and Cu55', async ({ page }) => {
  test.setTimeout(420_000);
  await page.goto('/');
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });
  await expect(page.getByTestId('dp-check')).toHaveAttribute('data-passed', 'true', { timeout: 300_000 });
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-engine', 'webgpu');
  await expect(page.getByTestId('dp-check')).toContainText('DP kernels on Cu13 icosahedron × 4 model(s) vs float64');
  const r = await page.evaluate(() => window.__nanostudioCheckDp!());
  expect(r.natoms).toBe(55);
  expect(r.nmodels).toBe(4);
  expect(r.engine).toContain('WebGPU');
  expect(r.maxAtomicEnergyError).toBeLessThan(1e-4);
  expect(r.maxForceError).toBeLessThan(1e-4);
  expect(r.maxDeviError).toBeLessThan(1e-4);
  expect(r.passed).toBe(true);
  console.log(`Chromium DP check: ${JSON.stringify(r)}`);
});
