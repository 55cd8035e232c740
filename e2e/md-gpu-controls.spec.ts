/**
 * The all-GPU MD integrator in the worker (state on the device, as `md --engine webgpu`) under the
 * studio's controls (issue 9): pause holds the step, "Step" advances exactly one step and shows it
 * at once, a new temperature set while paused drives the Langevin thermostat after resuming, and
 * the saved frames come with the GPU ensemble deviation. WebGPU is chosen explicitly, so the GPU
 * path is exercised even where auto would pick the CPU (software adapters).
 */
import { expect } from '@playwright/test';
import { SHOTS, startMd, studioState } from './support/explore.ts';
import { openWithKernelCheck, test } from './support/studio.ts';

const liveT = async (text: string | null) => Number.parseFloat((text ?? '').split('T ')[1] ?? '');

test('GPU MD: pause holds, Step advances one step at once, a temperature set while paused acts on resume', async ({ page }) => {
  test.setTimeout(480_000);
  await openWithKernelCheck(page);
  await startMd(page, { ensemble: 'langevin', temperatureK: 300, steps: 100000, saveEvery: 10, engine: 'webgpu' });
  await expect(page.getByTestId('engine')).toContainText('WebGPU (MD): WebGPU chosen by the user', { timeout: 120_000 });
  await expect(page.getByTestId('md-engine')).toContainText('WebGPU ensemble of 4', { timeout: 120_000 });
  await expect.poll(async () => Number(await page.getByTestId('md-frames').textContent()), { timeout: 180_000 }).toBeGreaterThanOrEqual(3);
  expect(Number.parseFloat((await page.getByTestId('steps-per-second').textContent()) ?? '')).toBeGreaterThan(0);
  // The GPU deviation of the saved frames is on screen (a positive max ε_f).
  expect(Number.parseFloat((await page.getByTestId('max-devi').textContent()) ?? '')).toBeGreaterThan(0);

  await page.getByTestId('run-md').click(); // pause
  await expect(page.getByTestId('run-md')).toHaveText('Resume');
  // "pausing…" until the worker holds and has shown the state it stopped at (one GPU snapshot:
  // seconds on a loaded software adapter), then "paused" and the step holds.
  await expect(page.getByTestId('md-state')).toHaveAttribute('data-held', 'true', { timeout: 120_000 });
  const held = await studioState(page);
  await expect(page.getByTestId('md-state')).toContainText(`paused · step ${held.step} `);
  await page.waitForTimeout(1500);
  expect((await studioState(page)).step).toBe(held.step);
  for (let k = 1; k <= 3; k++) {
    await page.getByTestId('md-step').click();
    await page.waitForFunction((s) => window.__nanostudio!.step === s, held.step + k, { timeout: 60_000 });
  }
  const stepped = await studioState(page);
  expect(stepped.positionKey).not.toBe(held.positionKey);
  await page.waitForTimeout(800);
  expect((await studioState(page)).step).toBe(held.step + 3); // still paused after stepping
  await page.screenshot({ path: `${SHOTS}/md-gpu-paused-stepped.png` });

  const t0 = await liveT(await page.getByTestId('md-state').textContent());
  expect(t0).toBeLessThan(900);
  await page.getByTestId('md-temperature').fill('2000');
  await page.getByTestId('run-md').click(); // resume
  await expect(page.getByTestId('run-md')).toHaveText('Pause');
  await expect.poll(async () => liveT(await page.getByTestId('md-state').textContent()), { timeout: 240_000 }).toBeGreaterThan(1200);
  await page.getByTestId('md-stop').click();
  await expect(page.getByTestId('md-state')).toContainText('stopped', { timeout: 60_000 });
  await expect(page.getByTestId('md-error')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/md-gpu-heated.png` });
});
