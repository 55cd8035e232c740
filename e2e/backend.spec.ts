/**
 * The studio's backend panels against the real service (`nanostudio serve` started by the test):
 * connection errors named in the page (unreachable, wrong token), the connection kept across a
 * reload, a failed job with its reason, then a train job on an EAM-labeled data set with live
 * learning curves, the new ensemble loaded into the worker, and the iteration on the dashboard.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { cu13, startBackend, type E2eBackend } from './support/backend.ts';

const SHOTS = 'test-results/e2e';
let backend: E2eBackend;

test.beforeAll(async ({ baseURL }) => {
  mkdirSync(SHOTS, { recursive: true });
  backend = await startBackend(new URL(baseURL!).origin);
});
test.afterAll(async () => { await backend?.stop(); });

async function openPanel(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('tab-backend').click();
}

async function connectWith(page: Page, url: string, token: string): Promise<void> {
  await page.getByTestId('backend-url').fill(url);
  await page.getByTestId('backend-token').fill(token);
  await page.getByTestId('backend-connect').click();
}

test('connection: unreachable and wrong token are named; the right token connects and survives a reload', async ({ page }) => {
  await openPanel(page);
  await expect(page.getByTestId('backend-status')).toHaveText('not connected');
  // A port nothing listens on (the service's port + 1 is very unlikely to be taken; the message must name unreachability either way).
  const dead = backend.base.replace(/:(\d+)$/, (_m, p: string) => `:${Number(p) === 65535 ? 1 : Number(p) + 1}`);
  await connectWith(page, dead, backend.token);
  await expect(page.getByTestId('backend-status')).toContainText('unreachable');
  await expect(page.getByTestId('backend-status')).toContainText(dead);
  await page.screenshot({ path: `${SHOTS}/backend-unreachable.png` });

  await connectWith(page, backend.base, 'not-the-token');
  await expect(page.getByTestId('backend-status')).toContainText('wrong token (401)');
  await page.screenshot({ path: `${SHOTS}/backend-wrong-token.png` });

  await connectWith(page, backend.base, backend.token);
  await expect(page.getByTestId('backend-status')).toContainText(`connected to ${backend.base}`);
  await page.reload();
  // Entered once: the saved URL and token reconnect without typing.
  await expect(page.getByTestId('backend-status')).toContainText(`connected to ${backend.base}`);
});

test('train on a labeled data set: failed job named, live curves, use the ensemble, dashboard row', async ({ page }) => {
  test.setTimeout(420_000); // two train jobs on a shared 2-core machine
  await openPanel(page);
  await connectWith(page, backend.base, backend.token);
  await expect(page.getByTestId('backend-status')).toContainText('connected');

  // A new, empty data set: training must fail with the service's reason, shown in the page.
  await page.getByTestId('dataset-name').fill('empty set');
  await page.getByTestId('dataset-create').click();
  await expect(page.getByTestId('dataset-select')).toContainText('empty set');
  await page.getByTestId('train-steps').fill('60');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-progress')).toContainText('failed', { timeout: 60_000 });
  await expect(page.getByTestId('train-progress')).toContainText('at least 2 are needed');
  await page.screenshot({ path: `${SHOTS}/backend-train-failed.png` });

  // A data set labeled with EAM through the API (as an earlier session of the studio would have).
  const ds = await backend.api<{ id: number }>('POST', '/datasets', { name: 'cu13 seeds' });
  const frames = Array.from({ length: 6 }, (_, k) => cu13(k + 1));
  const { ids } = await backend.api<{ ids: number[] }>('POST', `/datasets/${ds.id}/frames`, { frames });
  const job = await backend.api<{ id: number }>('POST', '/jobs', { kind: 'label', datasetId: ds.id, frameIds: ids, calculator: { kind: 'eam' } });
  await expect.poll(async () => (await backend.api<{ state: string }>('GET', `/jobs/${job.id}`)).state, { timeout: 60_000 }).toBe('succeeded');

  await page.reload();
  await page.getByTestId('tab-backend').click();
  await expect(page.getByTestId('backend-status')).toContainText('connected');
  await page.getByTestId('dataset-select').selectOption(String(ds.id));
  await expect(page.getByTestId('dataset-select')).toContainText('cu13 seeds (6/6 labeled)');
  await page.getByTestId('train-steps').fill('80');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-progress')).toContainText('running', { timeout: 60_000 });
  await expect(page.getByTestId('train-progress')).toContainText('succeeded', { timeout: 170_000 });
  await expect(page.getByTestId('trained-ensemble')).toContainText('4 models');
  await expect(page.getByTestId('curve-summary')).toContainText('4 model curve(s)');
  const points = Number(/(\d+) points/.exec(await page.getByTestId('curve-summary').innerText())?.[1]);
  expect(points).toBeGreaterThanOrEqual(8); // ~50 rows per model requested; at least a few per model
  await page.getByTestId('train-progress').screenshot({ path: `${SHOTS}/backend-learning-curves.png` });
  await page.screenshot({ path: `${SHOTS}/backend-trained.png` });

  await page.getByTestId('use-ensemble').click();
  await expect(page.getByTestId('active-ensemble')).toContainText('4 models');
  // The worker now holds the backend's models (the control panel lists them).
  await expect(page.getByTestId('models')).toContainText('backend-ensemble-');

  await page.getByTestId('tab-iterations').click();
  const table = page.getByTestId('iterations-table');
  await expect(table.getByTestId('iteration-row')).toHaveCount(1);
  await expect(table.getByTestId('iteration-row').first()).toContainText('done');
  await expect(table.getByTestId('iteration-train-row').first()).toContainText('6'); // the data set's size
  await page.screenshot({ path: `${SHOTS}/backend-dashboard.png`, fullPage: true });
});
