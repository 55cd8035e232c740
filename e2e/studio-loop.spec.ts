/**
 * Issue 9 "Done when": the whole active-learning loop in the studio against a real service
 * (`nanostudio serve` started here, with the token it generated and printed at start; EAM labeler;
 * a short training run of the tiny network). On the bundled demo ensemble: MD and BHMC produce
 * frames → the decent ones are selected → sent to label (progress live over SSE) → 4 models
 * trained (learning curves) → "use for exploration" → a second MD run explores with the new
 * ensemble → the Iterations tab shows both iterations with the numbers the service holds.
 * Screenshots of every step are attached to the test and saved under test-results/e2e/.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { PRINTED_TOKEN, startBackend, type E2eBackend } from './support/backend.ts';
import type { IterationSummary } from '../src/ui/backend/client.ts';

const SHOTS = 'test-results/e2e';
let backend: E2eBackend;

test.beforeAll(async ({ baseURL }) => {
  mkdirSync(SHOTS, { recursive: true });
  backend = await startBackend(new URL(baseURL!).origin, { printedToken: true });
});
test.afterAll(async () => { await backend?.stop(); });

/** Screenshot of the page (or one element) saved as test-results/e2e/loop-NN-name.png and attached to the report. */
async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  const path = `${SHOTS}/${name}.png`;
  await page.screenshot({ path });
  await info.attach(name, { path, contentType: 'image/png' });
}


async function runMd(page: Page, steps: number, every: number): Promise<number> {
  await page.getByTestId('md-steps').fill(String(steps));
  await page.getByTestId('md-save-every').fill(String(every));
  await page.getByTestId('md-temperature').fill('900');
  await page.getByTestId('md-ensemble').selectOption('langevin');
  await page.getByTestId('run-md').click();
  await expect(page.getByTestId('md-state')).toContainText('finished', { timeout: 240_000 });
  await expect(page.getByTestId('md-error')).toHaveCount(0);
  // 'finished' is shown once every frame is in IndexedDB (frame-keeper): the count is final at once.
  const frames = steps / every + 1;
  expect(await page.getByTestId('md-frames').textContent()).toBe(String(frames));
  return frames;
}

test('the active-learning loop: explore, select, label, train, use, explore again, two iterations', async ({ page }, info) => {
  test.setTimeout(900_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${String(e)}\n${e.stack ?? ''}`));
  const sse: string[] = [];
  page.on('request', (r) => { if (/\/jobs\/\d+\/events$/.test(r.url())) sse.push(r.url()); });
  const t0 = Date.now();
  const lap = (what: string) => console.log(`[loop] ${what}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  // 1. The studio on the bundled demo ensemble, a Cu13 icosahedron.
  await page.goto('/');
  await page.waitForFunction(() => (window.__nanostudio?.framesRendered ?? 0) > 2);
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });
  await expect(page.getByTestId('models')).toContainText('cu_eam_demo_0');
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  await page.getByTestId('trust-lo').fill('0.02');
  await page.getByTestId('trust-hi').fill('0.5');
  lap('open');

  // 2. MD: its saved frames land on the timeline, classified.
  const md1 = await runMd(page, 60, 5);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-frames', String(md1));
  console.log('[loop] md1', await timeline.getAttribute('data-good'), await timeline.getAttribute('data-decent'), await timeline.getAttribute('data-poor'));
  await shot(page, info, 'loop-01-md');
  lap('md1');

  // 3. BHMC: every relaxation frame is a frame too.
  await page.getByTestId('bhmc-natoms').fill('7');
  await page.getByTestId('bhmc-trials').fill('2');
  await page.getByTestId('bhmc-temperature').fill('2000');
  await page.getByTestId('bhmc-fmax').fill('0.1');
  await page.getByTestId('run-bhmc').click();
  await expect(page.getByTestId('bhmc-state')).toContainText('finished', { timeout: 300_000 });
  // Final at 'finished' (the end waits for the frame store), and it holds.
  const bhmcFrames = Number(await page.getByTestId('bhmc-frames').textContent());
  await page.waitForTimeout(2000);
  expect(Number(await page.getByTestId('bhmc-frames').textContent())).toBe(bhmcFrames);
  await expect(timeline).toHaveAttribute('data-frames', String(bhmcFrames));
  expect(bhmcFrames).toBeGreaterThan(3);
  console.log('[loop] bhmc', bhmcFrames, await timeline.getAttribute('data-frames'), await timeline.getAttribute('data-good'), await timeline.getAttribute('data-decent'), await timeline.getAttribute('data-poor'));
  await shot(page, info, 'loop-02-bhmc');
  lap('bhmc');

  // 4. Decent frames: listed by deviation and selected (cap per run).
  await page.getByTestId('tab-frames').click();
  await page.getByTestId('decent-cap').fill('4');
  const selected = page.getByTestId('decent-selected');
  await expect.poll(async () => Number(await selected.getAttribute('data-selected'))).toBeGreaterThan(0);
  const nSelected = Number(await selected.getAttribute('data-selected'));
  console.log('[loop] selected', nSelected, await selected.textContent());
  await shot(page, info, 'loop-03-decent');
  lap('select');

  // 5. Connect with the token the service printed at start; a new data set.
  await page.getByTestId('tab-backend').click();
  await expect(page.getByTestId('backend-status')).toHaveText('not connected');
  await page.getByTestId('backend-url').fill(backend.base);
  // Pasted as the service printed it: the whole line "token (new, stored in …): HEX".
  const printed = PRINTED_TOKEN.exec(backend.proc.output())![0];
  await page.getByTestId('backend-token').fill(printed);
  await page.getByTestId('backend-connect').click();
  await expect(page.getByTestId('backend-status')).toContainText(`connected to ${backend.base}`);
  await expect(page.getByTestId('backend-token')).toHaveValue(backend.token);
  await page.getByTestId('dataset-name').fill('studio loop');
  await page.getByTestId('dataset-create').click();
  await expect(page.getByTestId('dataset-select')).toContainText('studio loop (0/0 labeled)');
  await shot(page, info, 'loop-04-connected');

  // 6. Send the selection to label with EAM; the job's progress follows its event stream.
  await page.getByTestId('labeler').selectOption('eam');
  await page.getByTestId('send-to-label').click();
  const job = page.getByTestId('job-progress');
  await expect(job).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
  await expect(job).toContainText(`${nSelected}/${nSelected} frames, ${nSelected} labeled, 0 failed`);
  await expect(page.getByTestId('backend-notice')).toContainText(`${nSelected} frame(s) sent`);
  await expect(page.getByTestId('dataset-select')).toContainText(`studio loop (${nSelected}/${nSelected} labeled)`);
  expect(sse.length).toBeGreaterThanOrEqual(1);
  await shot(page, info, 'loop-05-labeled');
  lap('label');

  // 7. Train 4 models (tiny network, few steps): live learning curves, the new ensemble.
  await page.getByTestId('train-network').selectOption('demo');
  await page.getByTestId('train-steps').fill('60');
  await page.getByTestId('train-start').click();
  const train = page.getByTestId('train-progress');
  await expect(train).toHaveAttribute('data-state', 'succeeded', { timeout: 300_000 });
  expect(sse.length).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('trained-ensemble')).toContainText('4 models');
  await expect(page.getByTestId('curve-summary')).toContainText('4 model curve(s)');
  await expect(page.getByTestId('learning-curves').locator('canvas')).toHaveCount(1);
  await shot(page, info, 'loop-06-trained');
  await train.scrollIntoViewIfNeeded();
  await train.screenshot({ path: `${SHOTS}/loop-06b-learning-curves.png` });
  await info.attach('loop-06b-learning-curves', { path: `${SHOTS}/loop-06b-learning-curves.png`, contentType: 'image/png' });
  lap('train');

  // 8. One click: the worker explores with the new ensemble.
  await page.getByTestId('use-ensemble').click();
  await expect(page.getByTestId('active-ensemble')).toContainText('4 models');
  await expect(page.getByTestId('models')).toContainText('backend-ensemble-');
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4);
  await shot(page, info, 'loop-07-use-ensemble');

  // 9. The second exploration with it: MD again; its frames are recorded in the next iteration.
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  const md2 = await runMd(page, 40, 5);
  await page.getByTestId('record-exploration').click();
  await expect(page.getByTestId('backend-notice')).toContainText('exploration recorded in iteration 1');
  await shot(page, info, 'loop-08-explore-again');
  lap('md2');

  // 10. The Iterations tab: two iterations with the service's numbers, as a table and plots.
  await page.getByTestId('tab-iterations').click();
  const rows = page.getByTestId('iterations-table').getByTestId('iteration-row');
  await expect(rows).toHaveCount(2);
  const ds = (await backend.api<{ datasets: Array<{ id: number; name: string }> }>('GET', '/datasets')).datasets.find((d) => d.name === 'studio loop')!;
  const its = (await backend.api<{ iterations: IterationSummary[] }>('GET', `/datasets/${ds.id}/iterations`)).iterations;
  expect(its.map((i) => [i.number, i.status])).toEqual([[0, 'done'], [1, 'exploring']]);
  const [it0, it1] = its;
  // Iteration 0: the MD and BHMC runs explored with the demo ensemble, the selection labeled, the ensemble trained in it.
  expect(it0.exploration.map((e) => e.frames)).toEqual([md1, bhmcFrames]);
  expect(it0.exploration.every((e) => !e.system.includes('with ensemble'))).toBe(true);
  expect([it0.framesSelected, it0.framesLabeled, it0.framesFailed, it0.datasetSize]).toEqual([nSelected, nSelected, 0, nSelected]);
  expect(it0.ensembleId).not.toBeNull();
  expect(it0.rmse.train?.energyPerAtom).toBeGreaterThan(0);
  expect(it0.rmse.validation?.force).toBeGreaterThan(0);
  // Iteration 1: the second MD run, explored with that ensemble.
  expect(it1.exploration).toHaveLength(1);
  expect(it1.exploration[0].frames).toBe(md2);
  expect(it1.exploration[0].system).toContain(`with ensemble ${it0.ensembleId}`);
  // An iteration's cells: its exploration row, then its labels-and-training row without the repeated number.
  const trainRows = page.getByTestId('iterations-table').getByTestId('iteration-train-row');
  const cells = async (k: number): Promise<string[]> => [
    ...await rows.nth(k).locator('td').allInnerTexts(), ...(await trainRows.nth(k).locator('td').allInnerTexts()).slice(1),
  ].map((t) => t.trim());
  const pct = (n: number, of: number): string => `${((100 * n) / of).toFixed(1)} %`;
  const sum = (it: IterationSummary, k: 'accurate' | 'candidate' | 'failed'): number => it.exploration.reduce((a, e) => a + e[k], 0);
  const explored0 = md1 + bhmcFrames;
  expect(await cells(0)).toEqual([
    '0', 'done', String(explored0), pct(sum(it0, 'accurate'), explored0), pct(sum(it0, 'candidate'), explored0), pct(sum(it0, 'failed'), explored0),
    `${nSelected}/${nSelected}`, '0', String(nSelected), String(it0.ensembleId),
    it0.rmse.train!.energyPerAtom.toExponential(2), it0.rmse.train!.force.toExponential(2),
    it0.rmse.validation!.energyPerAtom.toExponential(2), it0.rmse.validation!.force.toExponential(2),
  ]);
  expect(await cells(1)).toEqual([
    '1', 'exploring', String(md2), pct(sum(it1, 'accurate'), md2), pct(sum(it1, 'candidate'), md2), pct(sum(it1, 'failed'), md2),
    '0/0', '0', String(nSelected), '–', '–', '–', '–', '–',
  ]);
  for (const plot of ['iterations-fractions', 'iterations-rmse-e', 'iterations-rmse-f']) await expect(page.getByTestId(plot).locator('canvas')).toHaveCount(1);
  // Written by someone else (as `nanostudio loop --server` does): the open tab re-reads it by itself.
  await backend.api('POST', `/iterations/${it1.id}/exploration`, { system: 'loop: Cu55 icosahedron 600 K', kind: 'cluster', frames: 10, accurate: 4, candidate: 5, failed: 1, trustLo: 0.02, trustHi: 0.5 });
  await expect(rows.nth(1).locator('td').nth(2)).toHaveText(String(md2 + 10), { timeout: 20_000 });
  await shot(page, info, 'loop-09-iterations');
  await page.getByTestId('iterations-panel').screenshot({ path: `${SHOTS}/loop-10-dashboard.png` });
  await info.attach('loop-10-dashboard', { path: `${SHOTS}/loop-10-dashboard.png`, contentType: 'image/png' });
  lap('dashboard');
  expect(errors).toEqual([]);
});

test('backend errors are named in the page and nothing collected is lost: wrong token, unreachable service, token changed under the page', async ({ page, baseURL }, info) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`${String(e)}\n${e.stack ?? ''}`));
  // A service of its own: this test stops it and starts it again with another token.
  const svc = await startBackend(new URL(baseURL!).origin);
  try {
    await page.goto('/');
    await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });
    await page.getByTestId('structure').selectOption('Cu13 icosahedron');
    await page.getByTestId('trust-lo').fill('0.02');
    await page.getByTestId('trust-hi').fill('0.5');
    const nFrames = await runMd(page, 10, 5);
    await page.getByTestId('tab-frames').click();
    const selected = page.getByTestId('decent-selected');
    await expect.poll(async () => Number(await selected.getAttribute('data-selected'))).toBeGreaterThan(0);
    const nSelected = Number(await selected.getAttribute('data-selected'));
    /** What the studio collected is all still there: the run's frames and the selection, none sent. */
    const collected = async (sent: number): Promise<void> => {
      await page.getByTestId('tab-frames').click();
      await expect(page.getByTestId('timeline')).toHaveAttribute('data-frames', String(nFrames));
      await expect(selected).toHaveAttribute('data-selected', sent ? '0' : String(nSelected));
      if (sent) await expect(selected).toContainText(`${sent} sent`);
      else await expect(selected).not.toContainText('sent');
      await page.getByTestId('tab-backend').click();
    };

    // A wrong token: named, with where the right one comes from.
    await page.getByTestId('tab-backend').click();
    await page.getByTestId('backend-url').fill(svc.base);
    await page.getByTestId('backend-token').fill('not-the-token');
    await page.getByTestId('backend-connect').click();
    await expect(page.getByTestId('backend-status')).toContainText('wrong token (401)');
    await expect(page.getByTestId('backend-status')).toContainText('use the token `nanostudio serve` printed at start');
    await collected(0);
    await shot(page, info, 'errors-01-wrong-token');

    // Connected, a data set; then the service goes away and the user sends: unreachable, named, nothing sent.
    await page.getByTestId('backend-token').fill(svc.token);
    await page.getByTestId('backend-connect').click();
    await expect(page.getByTestId('backend-status')).toContainText(`connected to ${svc.base}`);
    await page.getByTestId('dataset-name').fill('kept');
    await page.getByTestId('dataset-create').click();
    await expect(page.getByTestId('dataset-select')).toContainText('kept (0/0 labeled)');
    await svc.halt();
    await page.getByTestId('send-to-label').click();
    await expect(page.getByTestId('backend-status')).toContainText(`unreachable: backend unreachable at ${svc.base}`);
    await expect(page.getByTestId('backend-error')).toContainText(`send to label: backend unreachable at ${svc.base}`);
    await expect(page.getByTestId('backend-error')).toContainText(`nothing was sent: the ${nSelected} selected frame(s) stay selected in this browser`);
    await collected(0);
    await shot(page, info, 'errors-02-unreachable');

    // Back with the same token: reconnects. Then the service restarts with a new token under the page.
    await svc.restart(svc.token);
    await page.getByTestId('backend-connect').click();
    await expect(page.getByTestId('backend-status')).toContainText(`connected to ${svc.base}`);
    await expect(page.getByTestId('send-to-label')).toBeEnabled(); // the connect's reads are done
    const oldToken = svc.token;
    await svc.restart(`${oldToken}-rotated`);
    await page.getByTestId('send-to-label').click();
    await expect(page.getByTestId('backend-status')).toContainText('wrong token (401)');
    await expect(page.getByTestId('backend-error')).toContainText('send to label: wrong token (401)');
    await expect(page.getByTestId('backend-error')).toContainText(`nothing was sent: the ${nSelected} selected frame(s) stay selected in this browser`);
    await collected(0);
    await shot(page, info, 'errors-03-token-changed');

    // The new token: the same data set, and the frames kept all along go to label.
    await page.getByTestId('backend-token').fill(svc.token);
    await page.getByTestId('backend-connect').click();
    await expect(page.getByTestId('backend-status')).toContainText(`connected to ${svc.base}`);
    await expect(page.getByTestId('dataset-select')).toContainText('kept (0/0 labeled)');
    await page.getByTestId('send-to-label').click();
    await expect(page.getByTestId('job-progress')).toHaveAttribute('data-state', 'succeeded', { timeout: 120_000 });
    await expect(page.getByTestId('job-progress')).toContainText(`${nSelected}/${nSelected} frames, ${nSelected} labeled, 0 failed`);
    await expect(page.getByTestId('backend-error')).toHaveCount(0);
    await collected(nSelected);
    // A reload keeps the frames (IndexedDB) and the connection (the last token that worked).
    await page.reload();
    await expect(page.getByTestId('backend-status')).toContainText(`connected to ${svc.base}`);
    await collected(nSelected);
    await shot(page, info, 'errors-04-recovered');
    expect(errors).toEqual([]);
  } finally {
    await svc.stop();
  }
});
