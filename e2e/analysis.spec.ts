/**
 * The Analysis tab on data the test produces: a short MD run of Cu55 in the page (its frames
 * are the "current trajectory"), P(CN) against bulk fcc with the cutoff edited, the descriptor
 * map (click a point -> that atom highlighted in its frame; brush -> all atoms of a region),
 * the melting ladder of Cu13 with EAM (CSV out), and parity of model 0 against EAM labels of a
 * data set of the real backend (click a point -> its frame). Screenshots in test-results/e2e/.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { cu13, startBackend, type E2eBackend } from './support/backend.ts';
import { openStudio, plot } from './support/explore.ts';

const SHOTS = 'test-results/e2e';
mkdirSync(SHOTS, { recursive: true });


/** Only these sources ticked in the open view's picker. */
async function pick(page: Page, view: string, ids: string[]): Promise<void> {
  const boxes = page.getByTestId(view).getByTestId('source-picker').locator('input[type=checkbox]');
  for (let k = 0; k < await boxes.count(); k++) {
    const b = boxes.nth(k);
    const want = ids.includes((await b.getAttribute('data-source'))!);
    if ((await b.isChecked()) !== want) await b.click();
  }
}

test('analysis: P(CN), descriptor map (click, brush) and melting ladder on data made in the page', async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await openStudio(page);

  // A short MD run of the Cu55 on screen, on the CPU path (3 frames saved): the current trajectory.
  await page.getByTestId('md-steps').fill('20');
  await page.getByTestId('md-save-every').fill('10');
  await page.getByTestId('engine-preference').selectOption('cpu');
  await page.getByTestId('run-md').click();
  await expect(page.getByTestId('md-state')).toContainText('finished', { timeout: 120_000 });
  await expect(page.getByTestId('md-frames')).toHaveText('3');

  await page.getByTestId('tab-analysis').click();
  const pcn = page.getByTestId('pcn-view');
  await expect(pcn).toBeVisible();
  // The default comparison: the run (current trajectory) and bulk fcc.
  const runBox = pcn.locator('input[data-source^="run:"]');
  await expect(runBox).toHaveCount(1);
  await expect(runBox).toBeChecked();
  await expect(pcn.locator('input[data-source="ref:fcc"]')).toBeChecked();
  const runId = (await runBox.getAttribute('data-source'))!;
  await pick(page, 'pcn-view', ['screen', runId, 'ref:fcc']);

  // Cutoff 3.0 Å (between the first and second neighbour shells): Cu55 Mackay has CN 12 (13 atoms), 8 (30 edge atoms), 6 (12 vertices).
  await page.getByTestId('pcn-cutoff').fill('3');
  await page.getByTestId('pcn-compute').click();
  const table = page.getByTestId('pcn-table');
  await expect(table.locator('tbody tr')).toHaveCount(3);
  const screenRow = table.locator('tbody tr', { hasText: 'on screen' });
  await expect(screenRow.locator('td').nth(1)).toHaveText('55');
  await expect(screenRow.locator('td').nth(2)).toHaveText('8');
  await expect(screenRow.locator('td').nth(3)).toHaveText((13 / 55).toFixed(3));
  const fccRow = table.locator('tbody tr', { hasText: 'bulk fcc' });
  await expect(fccRow.locator('td').nth(1)).toHaveText('108');
  await expect(fccRow.locator('td').nth(3)).toHaveText('1.000');
  await expect(table.locator('tbody tr', { hasText: 'run ' }).locator('td').nth(1)).toHaveText(String(3 * 55));
  await expect.poll(async () => (await plot(page, 'pcn-plot'))?.scales.x).toEqual([-0.5, 12.5]);
  expect((await plot(page, 'pcn-plot'))!.scales.y).toEqual([0, 1]);
  expect((await plot(page, 'pcn-plot'))!.counts).toEqual([13, 13, 13, 13]);
  await expect(page.getByTestId('pcn-plot')).toContainText('cutoff 3 Å');
  // Cutoff 4.0 Å takes in the second shell of fcc (6 more at a = 3.615 Å): CN 18 for every bulk atom.
  await page.getByTestId('pcn-cutoff').fill('4');
  await page.getByTestId('pcn-compute').click();
  await expect(fccRow.locator('td').nth(2)).toHaveText('18');
  await expect.poll(async () => (await plot(page, 'pcn-plot'))?.scales.x?.[1]).toBeGreaterThanOrEqual(18.5);
  await pcn.screenshot({ path: `${SHOTS}/analysis-pcn.png` });
  // Pictures and numbers out: PNG of the plot, CSV of its data.
  const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId('pcn-plot-png').click()]);
  expect(png.suggestedFilename()).toBe('pcn.png');
  const pngBytes = readFileSync((await png.path())!);
  expect(pngBytes.subarray(1, 4).toString()).toBe('PNG');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('pcn-plot-csv').click()]);
  const lines = readFileSync((await csv.path())!, 'utf8').trim().split('\n');
  expect(lines[0]).toContain('bulk fcc');
  expect(lines).toHaveLength(1 + (await plot(page, 'pcn-plot'))!.counts[0]);

  // Descriptor map of the run and bulk fcc, coloured by the force deviation of the run's frames.
  await page.getByTestId('analysis-tab-map').click();
  const map = page.getByTestId('map-view');
  await pick(page, 'map-view', [runId, 'ref:fcc']);
  await page.getByTestId('map-compute').click();
  await expect(page.getByTestId('map-summary')).toContainText(`${3 * 55 + 108} atoms`, { timeout: 120_000 });
  await expect(page.getByTestId('map-summary')).toContainText('descriptor length');
  await expect(map).toContainText('DP se_e2_a descriptor');
  expect(await page.evaluate(() => window.__nanostudioAnalysis?.map?.rows)).toBe(3 * 55 + 108);
  await page.getByTestId('map-colour').selectOption('deviation');
  await expect.poll(async () => (await plot(page, 'map-plot'))?.series.length).toBe(5);
  const byDev = (await plot(page, 'map-plot'))!;
  expect(byDev.counts.slice(1, 4).reduce((a, b) => a + b, 0)).toBe(3 * 55); // every atom of the run is good, decent or poor
  expect(byDev.counts[4]).toBe(108); // the reference has no deviation
  await page.getByTestId('map-colour').selectOption('source');
  await expect.poll(async () => (await plot(page, 'map-plot'))?.counts.slice(1)).toEqual([3 * 55, 108]);

  // Click the point of the centre atom of the last run frame: that atom is highlighted in its frame.
  const row = await page.evaluate(() => window.__nanostudioAnalysis!.map!.rowOf(0, 2, 0));
  expect(row).toBeGreaterThanOrEqual(0);
  const [px, py] = await page.evaluate((r) => window.__nanostudioAnalysis!.map!.pointOf(r), row);
  await page.mouse.click(px, py);
  await expect(page.getByTestId('frame-view-caption')).toContainText('frame 2');
  await expect(page.getByTestId('frame-view-caption')).toContainText('1 atom highlighted (0)');
  expect(await page.evaluate(() => window.__nanostudioAnalysis!.frameView)).toMatchObject({ natoms: 55, highlighted: [0] });
  await map.screenshot({ path: `${SHOTS}/analysis-map-click.png` });

  // Brush a small box around the bulk fcc point (all 108 atoms share one environment): all of them are highlighted.
  const fccRowIndex = await page.evaluate(() => window.__nanostudioAnalysis!.map!.rowOf(1, 0, 0));
  const [fx, fy] = await page.evaluate((r) => window.__nanostudioAnalysis!.map!.pointOf(r), fccRowIndex);
  await page.mouse.move(fx - 8, fy - 8);
  await page.mouse.down();
  await page.mouse.move(fx, fy, { steps: 3 });
  await page.mouse.move(fx + 8, fy + 8, { steps: 3 });
  await page.mouse.up();
  expect(await page.evaluate(() => window.__nanostudioPlots!['map-plot'].select().width)).toBeGreaterThan(10);
  await expect(page.getByTestId('frame-view-caption')).toContainText('108 atoms highlighted');
  expect(await page.evaluate(() => window.__nanostudioAnalysis!.frameView)).toMatchObject({ natoms: 108 });
  expect((await page.evaluate(() => window.__nanostudioAnalysis!.frameView!.highlighted)).length).toBe(108);
  await map.screenshot({ path: `${SHOTS}/analysis-map-brush.png` });

  // Melting ladder: Cu13 with EAM (Mishin), 5 rungs 300..1500 K on the CPU path; E_pot/atom rises with T.
  await page.getByTestId('analysis-tab-melting').click();
  await page.getByTestId('melting-cluster').selectOption('Cu13 icosahedron');
  await page.getByTestId('melting-potential').selectOption({ index: 0 });
  await page.getByTestId('melting-from').fill('300');
  await page.getByTestId('melting-to').fill('1500');
  await page.getByTestId('melting-step').fill('300');
  await page.getByTestId('melting-equil').fill('300');
  await page.getByTestId('melting-sample').fill('600');
  await page.getByTestId('melting-run').click();
  await expect(page.getByTestId('melting-estimate')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('melting-run')).toBeEnabled({ timeout: 120_000 });
  await expect.poll(async () => (await plot(page, 'melting-plot'))?.counts).toEqual([5, 5, 5]);
  const mp = (await plot(page, 'melting-plot'))!;
  expect(mp.scales.x[0]!).toBeGreaterThan(100);
  expect(mp.scales.x[1]!).toBeLessThan(2500);
  await expect(page.getByTestId('melting-estimate')).toContainText('δ');
  const [mcsv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('melting-plot-csv').click()]);
  const rows = readFileSync((await mcsv.path())!, 'utf8').trim().split('\n');
  expect(rows[0]).toBe('T (K),E_pot (eV/atom),Lindemann δ');
  const e = rows.slice(1).map((l) => l.split(',').map(Number));
  expect(e).toHaveLength(5);
  expect(e[4][1]).toBeGreaterThan(e[0][1]); // hotter: higher potential energy per atom
  expect(e[4][2]).toBeGreaterThan(e[0][2]); // and a larger Lindemann index
  await page.getByTestId('melting-view').screenshot({ path: `${SHOTS}/analysis-melting.png` });

  // The viewer as PNG.
  const [vpng] = await Promise.all([page.waitForEvent('download'), page.getByTestId('viewer-png').click()]);
  expect(vpng.suggestedFilename()).toMatch(/^nanostudio-Cu55.*\.png$/);
  expect(readFileSync((await vpng.path())!).subarray(1, 4).toString()).toBe('PNG');
  await page.screenshot({ path: `${SHOTS}/analysis-studio.png` });
  expect(errors).toEqual([]);
});

let backend: E2eBackend | undefined;
test.afterAll(async () => { await backend?.stop(); });

test('analysis: parity of model 0 against EAM labels of a backend data set, click opens the frame', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  backend = await startBackend(new URL(baseURL!).origin);
  const ds = await backend.api<{ id: number }>('POST', '/datasets', { name: 'parity cu13' });
  const { ids } = await backend.api<{ ids: number[] }>('POST', `/datasets/${ds.id}/frames`, { frames: Array.from({ length: 5 }, (_, k) => cu13(k + 11)) });
  const job = await backend.api<{ id: number }>('POST', '/jobs', { kind: 'label', datasetId: ds.id, frameIds: ids, calculator: { kind: 'eam' } });
  await expect.poll(async () => (await backend!.api<{ state: string }>('GET', `/jobs/${job.id}`)).state, { timeout: 60_000 }).toBe('succeeded');

  await openStudio(page);
  await page.getByTestId('tab-backend').click();
  await page.getByTestId('backend-url').fill(backend.base);
  await page.getByTestId('backend-token').fill(backend.token);
  await page.getByTestId('backend-connect').click();
  await expect(page.getByTestId('backend-status')).toContainText('connected');
  await page.getByTestId('dataset-select').selectOption(String(ds.id));

  await page.getByTestId('tab-analysis').click();
  await page.getByTestId('analysis-tab-parity').click();
  await expect(page.getByTestId('parity-source')).toContainText('parity cu13');
  await page.getByTestId('parity-compute').click();
  const metrics = page.getByTestId('parity-metrics');
  await expect(metrics.locator('tbody tr').first()).toContainText('all', { timeout: 120_000 });
  await expect(metrics.locator('tbody tr').first().locator('td').nth(1)).toHaveText('5');
  const rmseF = Number(await metrics.locator('tbody tr').first().locator('td').nth(5).textContent());
  expect(rmseF).toBeGreaterThan(0);
  expect(rmseF).toBeLessThan(2); // the demo model was trained on EAM Cu: same physics, not the same numbers
  await expect.poll(async () => (await plot(page, 'parity-energy'))?.counts).toEqual([5, 5, 5]);
  expect((await plot(page, 'parity-force'))!.counts[1]).toBe(5 * 13 * 3);
  // The data set's frames are in the map's and P(CN)'s sources too.
  await page.getByTestId('analysis-tab-pcn').click();
  await expect(page.getByTestId('pcn-view').locator('input[data-source^="dataset:"]')).toBeChecked();
  await page.getByTestId('analysis-tab-parity').click();

  // Click the highest-energy point: its frame opens.
  const [x, y] = await page.evaluate(() => window.__nanostudioPlots!['parity-energy'].point(1, 4));
  await page.mouse.click(x, y);
  await expect(page.getByTestId('frame-view-caption')).toContainText('labeled frame');
  expect(await page.evaluate(() => window.__nanostudioAnalysis!.frameView!.natoms)).toBe(13);
  await page.getByTestId('parity-view').screenshot({ path: `${SHOTS}/analysis-parity.png` });
});
