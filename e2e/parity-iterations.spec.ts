/**
 * Issue 10, parity per iteration and analyses on the ensemble in use, against a real
 * `nanostudio serve`: iteration 0 (3 labeled Cu13 frames, an ensemble attached as
 * `nanostudio loop --server` does) and iteration 1 (5 labeled frames; its ensemble trained here
 * in the page). Per iteration the parity shows that iteration's frames against the ensemble
 * trained in it, with metrics equal to those computed here in Node from the same model files and
 * labels; a click opens the frame; after "use for exploration" the analyses name the new model.
 * Screenshots test-results/e2e/parity-iter-*.png.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addLabeledFrames, cu13, startBackend, type E2eBackend } from './support/backend.ts';
import { connectStudio, plot } from './support/studio.ts';
import { openStudio, SHOTS } from './support/explore.ts';
import { loadDpModel } from '../src/core/potentials/dp/load.ts';
import { DpCalculator } from '../src/core/potentials/dp/evaluator.ts';
import { makeFrame } from '../src/core/atoms.ts';

mkdirSync(SHOTS, { recursive: true });

let backend: E2eBackend | undefined;
test.afterAll(async () => { await backend?.stop(); });

interface ApiFrame { id: number; symbols: string[]; positions: number[][]; provenance: { iterationId?: number | null }; labels: { status: string; energy: number; forces: number[][] }[] }
interface Metrics { frames: number; e: [number, number, number]; f: [number, number, number] }

/** RMSE, mean signed error, mean unsigned error of pred − ref. */
function rmseMseMue(pred: number[], ref: number[]): [number, number, number] {
  let s = 0, s2 = 0, sa = 0;
  for (let k = 0; k < pred.length; k++) { const d = pred[k] - ref[k]; s += d; s2 += d * d; sa += Math.abs(d); }
  return [Math.sqrt(s2 / pred.length), s / pred.length, sa / pred.length];
}

/** The labeled frames of the data set explored in iteration `iterationId`, from the service. */
async function labeledOf(b: E2eBackend, datasetId: number, iterationId: number): Promise<ApiFrame[]> {
  const { frames } = await b.api<{ frames: ApiFrame[] }>('GET', `/datasets/${datasetId}/frames?labels=true`);
  return frames.filter((f) => f.provenance.iterationId === iterationId && f.labels.some((l) => l.status === 'ok'));
}

/** Energy-per-atom and force-component metrics of model `model` (or the mean) of ensemble `ensembleId`, evaluated here in Node. */
async function expected(b: E2eBackend, ensembleId: number, frames: ApiFrame[], model: number | 'mean'): Promise<Metrics> {
  const ens = await b.api<{ models: { id: number }[] }>('GET', `/ensembles/${ensembleId}`);
  const calcs = await Promise.all(ens.models.map(async (m) => {
    const bytes = new Uint8Array(await (await fetch(`${b.base}/models/${m.id}/file`)).arrayBuffer());
    return new DpCalculator(await loadDpModel(bytes, `model-${m.id}.dp`), { onWarning: () => {} });
  }));
  const used = model === 'mean' ? calcs : [calcs[model]];
  const eP: number[] = [], eR: number[] = [], fP: number[] = [], fR: number[] = [];
  for (const f of frames) {
    const n = f.symbols.length;
    const fr = makeFrame(f.symbols, Float64Array.from(f.positions.flat()), null, [false, false, false]);
    const rs = used.map((c) => c.compute(fr));
    const label = f.labels.find((l) => l.status === 'ok')!;
    eP.push(rs.reduce((a, r) => a + r.energy, 0) / rs.length / n);
    eR.push(label.energy / n);
    const ref = label.forces.flat();
    for (let c = 0; c < 3 * n; c++) { fP.push(rs.reduce((a, r) => a + r.forces[c], 0) / rs.length); fR.push(ref[c]); }
  }
  return { frames: frames.length, e: rmseMseMue(eP, eR), f: rmseMseMue(fP, fR) };
}

/** The 'all' row of the parity table: frame count and the six metrics at full precision. */
async function shownMetrics(page: Page): Promise<Metrics> {
  const row = page.getByTestId('parity-metrics').locator('tbody tr').first();
  await expect(row.locator('td').first()).toHaveText('all');
  const v = await row.locator('td[data-value]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
  return { frames: Number(await row.locator('td').nth(1).textContent()), e: [v[0], v[1], v[2]], f: [v[3], v[4], v[5]] };
}

function expectMetrics(got: Metrics, want: Metrics): void {
  expect(got.frames).toBe(want.frames);
  // Same float64 evaluator on the same model files and labels: equal to rounding.
  for (let k = 0; k < 3; k++) {
    expect(got.e[k]).toBeCloseTo(want.e[k], 9);
    expect(got.f[k]).toBeCloseTo(want.f[k], 9);
  }
}

/** Parity of iteration `number` with the ensemble its picker defaults to (the one trained in it); waits for the table. */
async function parityOfIteration(page: Page, iterationId: number, ensembleId: number, model: number | 'mean'): Promise<void> {
  await page.getByTestId('parity-iteration').selectOption(String(iterationId));
  await expect(page.getByTestId('parity-ensemble')).toHaveValue(String(ensembleId));
  await page.getByTestId('parity-model').selectOption(String(model));
  await page.getByTestId('parity-compute').click();
  await expect(page.getByTestId('parity-compute')).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByTestId('parity-error')).toHaveCount(0);
}

test('parity per iteration (its frames, the ensemble trained in it) equals Node; click opens the frame; analyses follow "use for exploration"', async ({ page, baseURL }) => {
  test.setTimeout(600_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const t0 = Date.now();
  const lap = (what: string) => console.log(`[parity-iter] ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  backend = await startBackend(new URL(baseURL!).origin);
  const b = backend;

  // Iteration 0: 3 frames labeled with EAM, an ensemble (demo models 0 and 1) attached to it, done.
  const ds = await b.api<{ id: number }>('POST', '/datasets', { name: 'parity per iteration' });
  const it0 = await b.api<{ id: number }>('POST', `/datasets/${ds.id}/iterations`, { note: 'e2e iteration 0' });
  const ids0 = await addLabeledFrames(b, ds.id, Array.from({ length: 3 }, (_, k) => cu13(k + 1, 0.1)), { source: 'e2e', iterationId: it0.id });
  const demo = (k: number) => readFileSync(resolve(`public/models/cu_eam_demo_${k}.dp`)).toString('base64');
  const { ensembleId: ens0 } = await b.api<{ ensembleId: number }>('POST', `/iterations/${it0.id}/ensemble`, {
    name: 'e2e iteration 0', trainingFrames: ids0,
    models: [0, 1].map((k) => ({ seed: k, format: 'dp', content: demo(k), metrics: {} })),
  });
  await b.api('PATCH', `/iterations/${it0.id}`, { status: 'done' });
  // Iteration 1: 5 more strongly displaced frames, labeled; its ensemble is trained in the page below.
  const it1 = await b.api<{ id: number }>('POST', `/datasets/${ds.id}/iterations`, { note: 'e2e iteration 1' });
  const ids1 = await addLabeledFrames(b, ds.id, Array.from({ length: 5 }, (_, k) => cu13(k + 20, 0.3)), { source: 'e2e', iterationId: it1.id });

  lap('seeded');
  await openStudio(page);
  // Before anything else: the analyses use the bundled demo ensemble and say so.
  await page.getByTestId('tab-analysis').click();
  await page.getByTestId('analysis-tab-map').click();
  await expect(page.getByTestId('map-model-name')).toContainText('model 0 (cu_eam_demo_0.dp) of Cu demo ensemble');

  // Train iteration 1's ensemble in the studio (tiny network, few steps) and use it for exploration.
  await connectStudio(page, b, ds.id);
  await page.getByTestId('train-network').selectOption('demo');
  await page.getByTestId('train-steps').fill('20');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-progress')).toHaveAttribute('data-state', 'succeeded', { timeout: 300_000 });
  lap('trained');
  await page.getByTestId('use-ensemble').click();
  await expect(page.getByTestId('active-ensemble')).toContainText('4 models');
  const its = (await b.api<{ iterations: { id: number; number: number; ensembleId: number | null; status: string }[] }>('GET', `/datasets/${ds.id}/iterations`)).iterations;
  expect(its.map((i) => [i.id, i.ensembleId, i.status])).toEqual([[it0.id, ens0, 'done'], [it1.id, expect.any(Number), 'done']]);
  const ens1 = its[1].ensembleId!;
  expect(ens1).not.toBe(ens0);

  // The analyses now name the new ensemble's model (descriptor map, parity, melting).
  await page.getByTestId('tab-analysis').click();
  await expect(page.getByTestId('map-model-name')).toContainText(`model 0 (backend-ensemble-${ens1}-seed`);
  await expect(page.getByTestId('map-model-name')).toContainText(`of backend ensemble ${ens1} `);
  await page.getByTestId('analysis-tab-melting').click();
  await expect(page.getByTestId('melting-potential')).toContainText(`DP: model 0 (backend-ensemble-${ens1}-seed`);
  await page.getByTestId('analysis-tab-parity').click();
  await expect(page.getByTestId('parity-ensemble')).toHaveValue('in-use');
  await expect(page.getByTestId('parity-ensemble').locator('option:checked')).toContainText(`in use: backend ensemble ${ens1} `);
  await expect(page.getByTestId('parity-model-name')).toContainText(`of backend ensemble ${ens1} `);
  // All iterations with the ensemble in use: 8 frames, one row per iteration.
  await page.getByTestId('parity-compute').click();
  await expect(page.getByTestId('parity-metrics').locator('tbody tr')).toHaveCount(3, { timeout: 120_000 });
  expect((await shownMetrics(page)).frames).toBe(8);
  await expect(page.getByTestId('parity-result-model')).toContainText(`model 0 (backend-ensemble-${ens1}-seed`);

  lap('all iterations');
  // Iteration 0: its 3 frames, model 0 of the ensemble attached to it.
  const frames0 = await labeledOf(b, ds.id, it0.id);
  expect(frames0.map((f) => f.id)).toEqual(ids0);
  await parityOfIteration(page, it0.id, ens0, 0);
  const m0 = await shownMetrics(page);
  expectMetrics(m0, await expected(b, ens0, frames0, 0));
  await expect(page.getByTestId('parity-result-model')).toContainText(`model 0 (backend-ensemble-${ens0}-seed0.dp) of backend ensemble ${ens0} 'e2e iteration 0' vs the 3 labeled frames of iteration 0`);
  await expect.poll(async () => (await plot(page, 'parity-energy'))?.counts).toEqual([3, 3, 3]);
  await page.getByTestId('parity-metrics').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/parity-iter-0.png` });

  // Iteration 1: its 5 frames, the ensemble trained in the page; model 0 and the ensemble mean.
  const frames1 = await labeledOf(b, ds.id, it1.id);
  expect(frames1.map((f) => f.id)).toEqual(ids1);
  await parityOfIteration(page, it1.id, ens1, 0);
  const m1 = await shownMetrics(page);
  expectMetrics(m1, await expected(b, ens1, frames1, 0));
  expect(m1.frames).not.toBe(m0.frames);
  expect(m1.f[0]).not.toBeCloseTo(m0.f[0], 6);
  await expect.poll(async () => (await plot(page, 'parity-force'))?.counts[1]).toBe(5 * 13 * 3);
  await parityOfIteration(page, it1.id, ens1, 'mean');
  expectMetrics(await shownMetrics(page), await expected(b, ens1, frames1, 'mean'));
  await expect(page.getByTestId('parity-result-model')).toContainText(`mean of the 4 models of backend ensemble ${ens1}`);

  // Click the point of the highest label energy per atom: that frame opens.
  const top = frames1.reduce((a, f) => (f.labels[0].energy / f.symbols.length > a.labels[0].energy / a.symbols.length ? f : a));
  await expect.poll(async () => (await plot(page, 'parity-energy'))?.counts).toEqual([5, 5, 5]);
  await page.getByTestId('parity-energy').scrollIntoViewIfNeeded();
  const [x, y] = await page.evaluate(() => window.__nanostudioPlots!['parity-energy'].point(1, 4));
  await page.mouse.click(x, y);
  await expect(page.getByTestId('frame-view-caption')).toContainText(`labeled frame ${top.id}`);
  expect(await page.evaluate(() => window.__nanostudioAnalysis!.frameView!.natoms)).toBe(13);
  await page.screenshot({ path: `${SHOTS}/parity-iter-1-click.png` });
  await page.getByTestId('parity-metrics').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/parity-iter-1.png` });

  lap('iteration 1');
  // The Iterations tab at this viewport: the whole table is inside the tab (no column cut off).
  await page.getByTestId('tab-iterations').click();
  const table = page.getByTestId('iterations-table');
  await expect(table.getByTestId('iteration-row')).toHaveCount(2);
  const fit = await page.evaluate(() => {
    const t = document.querySelector('[data-testid="iterations-table"]')!.getBoundingClientRect();
    const tab = document.querySelector('[data-testid="tabpanel-iterations"]')!.getBoundingClientRect();
    return { right: t.right, tabRight: tab.right, left: t.left, tabLeft: tab.left };
  });
  expect(fit.right).toBeLessThanOrEqual(fit.tabRight);
  expect(fit.left).toBeGreaterThanOrEqual(fit.tabLeft);
  await page.screenshot({ path: `${SHOTS}/parity-iter-iterations.png` });
  expect(errors).toEqual([]);
});
