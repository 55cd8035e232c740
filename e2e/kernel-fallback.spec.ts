import { expect } from '@playwright/test';
import { openStudio, SHOTS, test } from './support/studio.ts';
import { startMd } from './support/explore.ts';

// The start-up DP kernel check with a tolerance no float32 kernel can meet (test-only URL
// parameter dpCheckTolerance): the check fails on the real WGSL kernels, the status bar says so
// with the numbers, the studio falls back to the float64 CPU path and says why, and MD runs there.
test('a failed DP kernel check falls back to the CPU path and says why (dpCheckTolerance=1e-9)', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page, '/?dpCheckTolerance=1e-9');
  const check = page.getByTestId('dp-check');
  await expect(check).toHaveAttribute('data-passed', 'false', { timeout: 240_000 });
  // The real errors are shown, and they exceed the forced tolerance (float32 vs float64).
  const text = (await check.textContent()) ?? '';
  expect(text).toMatch(/DP kernels on Cu13 icosahedron × 4 model\(s\) vs float64: max \|ΔE_i\| \S+ eV \(tol 1e-9\), max \|ΔF\| \S+ eV\/Å \(tol 1e-9\) — FAILED/);
  const [dE, dF] = [...text.matchAll(/max \|Δ(?:E_i|F)\| (\S+) /g)].map((m) => Number(m[1]));
  expect(Math.max(dE, dF)).toBeGreaterThan(1e-9);
  expect(Math.max(dE, dF)).toBeLessThan(1e-4); // the kernels themselves are fine: only the forced tolerance fails
  const status = page.getByTestId('status-bar');
  await expect(status).toHaveAttribute('data-engine', 'cpu');
  // The adapter exists: the bar names it and the reason it is not used.
  await expect(page.getByTestId('gpu-status')).toContainText(/WebGPU \(.+\) not used — using the CPU path \(DP kernel check failed on Cu13 icosahedron: max \|ΔE_i\| \S+ eV \(tol 1e-9\)/);
  await expect(page.getByTestId('cpu-banner')).toContainText('No usable WebGPU: MD, BHMC and the deviation run on the float64 CPU path');
  await expect(page.getByTestId('cpu-banner')).toContainText('DP kernel check failed');

  // MD in auto mode does not measure the GPU: it runs on the CPU and the engine line says why.
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  await startMd(page, { steps: 20, saveEvery: 10, engine: 'auto' });
  await expect(page.getByTestId('engine')).toContainText('CPU float64 (MD): WebGPU unusable (DP kernel check failed on Cu13 icosahedron', { timeout: 60_000 });
  await expect(page.getByTestId('md-state')).toContainText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('md-frames')).toHaveText('3');
  await expect(page.getByTestId('md-engine')).toContainText('CPU float64 ensemble of 4');
  expect(Number.parseFloat((await page.getByTestId('steps-per-second').textContent()) ?? '')).toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}/kernel-check-fallback.png` });
});
