/**
 * The melting ladder of Cu1103 (fcc sphere) on WebGPU in real Chromium (SwiftShader): the DP
 * ensemble's model 0 on the all-GPU integrator in the simulation worker. A 2-rung ladder with few
 * steps (SwiftShader runs Cu1103 at tens of seconds per MD step on a loaded 2-core machine) must
 * name the WebGPU engine, plot one point per rung over the rungs' temperatures with finite E_pot
 * per atom in the range of Cu, and say why there is no melting estimate; then a longer ladder is
 * stopped after its first point: the view shows "stopped" at once and takes no more points.
 * Screenshot: test-results/e2e/melting-gpu-cu1103.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { download, openStudio, plot, SHOTS } from './support/explore.ts';

mkdirSync(SHOTS, { recursive: true });

async function setLadder(page: Page, o: { from: number; to: number; step: number; equil: number; sample: number; every: number }): Promise<void> {
  await page.getByTestId('melting-from').fill(String(o.from));
  await page.getByTestId('melting-to').fill(String(o.to));
  await page.getByTestId('melting-step').fill(String(o.step));
  await page.getByTestId('melting-equil').fill(String(o.equil));
  await page.getByTestId('melting-sample').fill(String(o.sample));
  await page.getByTestId('melting-every').fill(String(o.every));
}

test('melting ladder: Cu1103 on WebGPU (DP model 0), points as rungs finish, Stop acts at once', async ({ page }) => {
  test.setTimeout(2_400_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openStudio(page);
  await expect(page.getByTestId('dp-check')).toHaveAttribute('data-passed', 'true', { timeout: 600_000 });
  await page.getByTestId('tab-analysis').click();
  await page.getByTestId('analysis-tab-melting').click();
  const view = page.getByTestId('melting-view');
  await page.getByTestId('melting-cluster').selectOption('Cu1103 fcc sphere');
  await page.getByTestId('melting-potential').selectOption('DP model 0 of the ensemble');
  await page.getByTestId('melting-engine-pref').selectOption('webgpu');
  await expect(view).toContainText('Engine: WebGPU with these settings');

  // Two rungs, 300 and 1500 K: no equilibration, 2 samples each (every step) — 4 MD steps.
  await setLadder(page, { from: 300, to: 1500, step: 1200, equil: 0, sample: 2, every: 1 });
  const t0 = Date.now();
  await page.getByTestId('melting-run').click();
  await expect(page.getByTestId('melting-state')).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('melting-engine')).toHaveAttribute('data-engine', 'webgpu');
  await expect(page.getByTestId('melting-state')).toHaveAttribute('data-state', 'finished', { timeout: 1_500_000 });
  const wallS = (Date.now() - t0) / 1000;
  const engine = (await page.getByTestId('melting-engine').textContent()) ?? '';
  console.log(`Cu1103 WebGPU ladder (2 rungs × 2 steps, set-up included): ${wallS.toFixed(0)} s wall in the test; view: ${engine}`);
  expect(engine).toContain('engine: WebGPU — WebGPU, model 0 of 4');
  expect(engine).toContain('WebGPU chosen by the user');
  await expect(page.getByTestId('melting-points')).toHaveText('2');
  await expect(page.getByTestId('melting-error')).toHaveCount(0);
  await expect.poll(async () => (await plot(page, 'melting-plot'))?.counts).toEqual([2, 2, 2]);

  // The numbers behind the plot (CSV): T, E_pot/atom, δ per rung.
  const { text } = await download(page, page.getByTestId('melting-plot-csv'));
  const rows = text.trim().split('\n');
  expect(rows[0]).toBe('T (K),E_pot (eV/atom),Lindemann δ');
  const pts = rows.slice(1).map((l) => l.split(',').map(Number));
  expect(pts).toHaveLength(2);
  const x = (await plot(page, 'melting-plot'))!.scales.x;
  for (const [t, e, d] of pts) {
    expect(t).toBeGreaterThan(0);
    expect(t).toBeGreaterThanOrEqual(x[0]!);
    expect(t).toBeLessThanOrEqual(x[1]!);
    // Cu: cohesive energy 3.49 eV/atom in the bulk; a 1103-atom particle (~25 % surface atoms) is less bound.
    expect(Number.isFinite(e)).toBe(true);
    expect(e).toBeGreaterThan(-3.7);
    expect(e).toBeLessThan(-2.8);
    expect(d).toBeGreaterThan(0);
    expect(d).toBeLessThan(0.1); // two steps of 2 fs: nothing melts
  }
  // No estimate from 2 rungs, and the view says why.
  await expect(page.getByTestId('melting-estimate')).toContainText('at least 4 rungs are needed');
  await expect(page.getByTestId('melting-estimate')).toContainText('δ stays below 0.1');
  await view.screenshot({ path: `${SHOTS}/melting-gpu-cu1103.png` });

  // Stop: a 5-rung ladder stopped after its first point. The view shows "stopped" at once (not
  // after the GPU step in flight) and the point count no longer grows, also after the worker returns.
  await setLadder(page, { from: 300, to: 1500, step: 300, equil: 0, sample: 2, every: 1 });
  await page.getByTestId('melting-run').click();
  await expect(page.getByTestId('melting-points')).toHaveText('1', { timeout: 1_200_000 });
  await page.getByTestId('melting-stop').click();
  await expect(page.getByTestId('melting-state')).toHaveAttribute('data-state', 'stopped', { timeout: 2_000 });
  await expect(page.getByTestId('melting-state')).toContainText('stopped by the user after 1 rungs');
  await expect(page.getByTestId('melting-run')).toBeEnabled({ timeout: 600_000 }); // the worker ended after the steps in flight
  await page.waitForTimeout(3_000);
  await expect(page.getByTestId('melting-points')).toHaveText('1');
  await expect.poll(async () => (await plot(page, 'melting-plot'))?.counts).toEqual([1, 1, 1]);
  expect(errors).toEqual([]);
});
