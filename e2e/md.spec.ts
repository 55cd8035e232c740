import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { loadDpModel } from '../src/core/potentials/dp/load.ts';
import { serializeDpModel } from '../src/core/potentials/dp/serialize.ts';

mkdirSync('test-results/e2e', { recursive: true });

async function openCu13(page: Page) {
  await page.goto('/');
  await page.waitForFunction(() => (window.__nanostudio?.framesRendered ?? 0) > 2);
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });
}

async function setNumber(page: Page, testId: string, v: number) {
  await page.getByTestId(testId).fill(String(v));
}

const num = (s: string | null) => Number.parseFloat(s ?? '');

test('MD in the browser: kernel check, engine measured, frames saved, live plots, pause/step/temperature at once', async ({ page }) => {
  test.setTimeout(480_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openCu13(page);
  // The DP kernels of the loaded ensemble were checked against float64 on a small cluster.
  const status = page.getByTestId('status-bar');
  await expect(status).toHaveAttribute('data-engine', 'webgpu', { timeout: 120_000 });
  const check = page.getByTestId('dp-check');
  await expect(check).toHaveAttribute('data-passed', 'true', { timeout: 300_000 });
  await expect(check).toContainText(/DP kernels on Cu13 icosahedron × 4 model\(s\) vs float64: max \|ΔE_i\| \S+ eV \(tol 0\.0001\), max \|ΔF\| \S+ eV\/Å \(tol 0\.0001\) — passed/);

  await setNumber(page, 'md-steps', 100000);
  await setNumber(page, 'md-save-every', 5);
  await page.getByTestId('md-ensemble').selectOption('langevin');
  const before = await page.evaluate(() => window.__nanostudio!.positionKey);
  await page.getByTestId('run-md').click();
  // auto: both engines measured on the first steps, the faster runs; the reason is shown.
  const engine = page.getByTestId('engine');
  await expect(engine).toContainText(/auto: (WebGPU|CPU) was faster on the first steps \(WebGPU [\d.]+ vs CPU [\d.]+ steps\/s\)/, { timeout: 120_000 });
  await expect.poll(async () => num(await page.getByTestId('steps-per-second').textContent()), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect.poll(async () => num(await page.getByTestId('md-frames').textContent()), { timeout: 120_000 }).toBeGreaterThanOrEqual(3);
  await expect.poll(async () => Number(await page.getByTestId('live-plots').getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('plot-deviation').locator('canvas')).toHaveCount(1);
  expect(await page.evaluate(() => window.__nanostudio!.positionKey)).not.toBe(before);

  // Pause holds the step; "Step" advances exactly one at once; a new temperature is accepted while paused.
  await page.getByTestId('run-md').click();
  await expect(page.getByTestId('run-md')).toHaveText('Resume');
  await expect(page.getByTestId('md-state')).toHaveAttribute('data-held', 'true', { timeout: 60_000 }); // the worker holds and shows its state
  const held = await page.evaluate(() => window.__nanostudio!.step);
  await page.waitForTimeout(800);
  expect(await page.evaluate(() => window.__nanostudio!.step)).toBe(held);
  await page.getByTestId('md-step').click();
  await page.waitForFunction((s) => window.__nanostudio!.step === s + 1, held, { timeout: 60_000 });
  await setNumber(page, 'md-temperature', 1200);
  await page.getByTestId('run-md').click();
  await page.waitForFunction((s) => window.__nanostudio!.step > s + 20, held, { timeout: 120_000 });
  // The new target shows in the live temperature: T heads for 1200 K.
  await expect.poll(async () => num((await page.getByTestId('md-state').textContent())!.split('T ')[1]), { timeout: 120_000 }).toBeGreaterThan(800);
  await page.getByTestId('md-stop').click();
  await expect(page.getByTestId('md-state')).toContainText('stopped', { timeout: 60_000 });
  await expect(page.getByTestId('md-error')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/e2e/md-auto.png' });
  expect(errors).toEqual([]);
});

test('MD engine override: Nosé–Hoover on WebGPU by choice, NVE on the CPU by choice', async ({ page }) => {
  await openCu13(page);
  await expect(page.getByTestId('status-bar')).toHaveAttribute('data-engine', 'webgpu', { timeout: 120_000 });
  await setNumber(page, 'md-steps', 10);
  await setNumber(page, 'md-save-every', 5);
  await page.getByTestId('md-ensemble').selectOption('nose-hoover');
  await page.getByTestId('engine-preference').selectOption('webgpu');
  await page.getByTestId('run-md').click();
  await expect(page.getByTestId('engine')).toContainText('WebGPU (MD): WebGPU chosen by the user', { timeout: 120_000 });
  await expect(page.getByTestId('md-state')).toContainText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('md-frames')).toHaveText('3');
  await expect(page.getByTestId('live-plots')).toHaveAttribute('data-points', '3');
  await page.screenshot({ path: 'test-results/e2e/md-webgpu-nhc.png' });

  await page.getByTestId('md-ensemble').selectOption('nve');
  await page.getByTestId('engine-preference').selectOption('cpu');
  await page.getByTestId('run-md').click();
  await expect(page.getByTestId('engine')).toContainText('CPU float64 (MD): CPU (float64) chosen by the user', { timeout: 60_000 });
  await expect(page.getByTestId('md-state')).toContainText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('md-frames')).toHaveText('3');
});

test('a model for another element gets a named error in the page', async ({ page }) => {
  const m = await loadDpModel(new Uint8Array(readFileSync('public/models/cu_eam_demo_0.dp')), 'cu_eam_demo_0.dp');
  // The same network relabelled as a silver model: every type_map in the file says Ag.
  const ag = JSON.stringify(serializeDpModel(m), (k, v: unknown) => (k === 'type_map' ? ['Ag'] : v));
  await openCu13(page);
  await page.locator('input[type=file][accept*=".dp"]').setInputFiles({ name: 'ag_model.json', mimeType: 'application/json', buffer: Buffer.from(ag) });
  await expect(page.getByTestId('models').locator('li')).toHaveCount(1, { timeout: 60_000 });
  await expect(page.getByTestId('element-mismatch')).toContainText('The loaded models (type_map [Ag]) have no Cu');
  await page.getByTestId('run-md').click();
  await expect(page.getByTestId('md-error')).toContainText("element Cu is not in the models' type_map [Ag]", { timeout: 60_000 });
  await page.screenshot({ path: 'test-results/e2e/md-wrong-element.png' });
});
