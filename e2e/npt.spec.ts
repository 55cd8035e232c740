/**
 * NPT in the studio (issue 9): offered only for cells periodic in x, y and z, run on the float64
 * CPU path (the GPU integrator has no barostat) even when WebGPU is asked for, and the page says
 * which engine runs and why; the cell is drawn as a box, the live volume is shown, and the saved
 * frames carry the fluctuating cell.
 */
import { expect } from '@playwright/test';
import { cellVolume, det3 } from '../src/core/atoms.ts';
import { bulk } from '../src/core/build/index.ts';
import { exportRun, openStudio, SHOTS, studioState } from './support/explore.ts';
import { test } from './support/studio.ts';

test('NPT of a periodic fcc Cu32 cell runs on the CPU path, says so, draws the cell and saves the changing cell', async ({ page }) => {
  test.setTimeout(420_000);
  await openStudio(page);
  const npt = page.getByTestId('md-ensemble').locator('option[value="npt"]');
  expect(await npt.evaluate((o) => (o as HTMLOptionElement).disabled)).toBe(true); // Cu55 cluster: no cell
  await expect(npt).toContainText('needs a periodic cell');

  await page.getByTestId('builder').locator('summary').click();
  await page.getByTestId('build-kind').selectOption('bulk');
  await page.getByTestId('build-lattice').selectOption('fcc');
  for (const id of ['build-nx', 'build-ny', 'build-nz']) await page.getByTestId(id).fill('2');
  await page.getByTestId('build').click();
  await page.waitForFunction(() => window.__nanostudio!.natoms === 32 && window.__nanostudio!.cellDrawn, null, { timeout: 30_000 });
  expect(await npt.evaluate((o) => (o as HTMLOptionElement).disabled)).toBe(false);

  await page.getByTestId('md-ensemble').selectOption('npt');
  await expect(page.getByTestId('run-controls')).toContainText('NPT runs on the CPU (float64): the GPU integrator has no barostat.');
  await page.getByTestId('md-pressure').fill('1000');
  await page.getByTestId('md-temperature').fill('900');
  await page.getByTestId('md-steps').fill('20');
  await page.getByTestId('md-save-every').fill('5');
  await page.getByTestId('engine-preference').selectOption('webgpu'); // asked for; NPT still runs on the CPU, and says why
  await page.getByTestId('run-md').click();
  await expect(page.getByTestId('engine')).toContainText('CPU float64 (MD): NPT (the GPU integrator has no barostat): runs on the CPU (float64)', { timeout: 120_000 });
  await expect(page.getByTestId('md-state')).toContainText('finished', { timeout: 300_000 });
  await expect(page.getByTestId('md-error')).toHaveCount(0);
  await expect(page.getByTestId('md-frames')).toHaveText('5');
  await expect(page.getByTestId('md-engine')).toContainText('CPU float64');
  await expect(page.getByTestId('live-volume')).toContainText(/^\d+\.\d\d Å³$/);
  const s = await studioState(page);
  expect(s.source).toBe('live');
  expect(s.cellDrawn).toBe(true);
  await expect(page.getByTestId('timeline-run')).toContainText('MD · Cu32 bulk fcc 2×2×2 · npt 900 K · 5 frames');
  await page.screenshot({ path: `${SHOTS}/npt-cpu.png` });

  // The saved frames carry the cell the barostat moves (periodic in x, y, z); the last live volume is the last frame's.
  const frames = await exportRun(page);
  expect(frames.map((f) => f.info?.step)).toEqual([0, 5, 10, 15, 20]);
  const volumes = frames.map((f) => { expect(f.pbc).toEqual([true, true, true]); return Math.abs(det3(f.cell!)); });
  expect(volumes[0]).toBeCloseTo(cellVolume(bulk('Cu', 'fcc', { repeat: [2, 2, 2], cubic: true })), 6); // the built cell at step 0
  expect(Math.abs(volumes[4] - volumes[0])).toBeGreaterThan(1e-4);
  expect(Number.parseFloat((await page.getByTestId('live-volume').textContent())!)).toBeCloseTo(volumes[4], 1);
});
