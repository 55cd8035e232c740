/**
 * What every studio spec starts with: the screenshot folder, a `test` that fails on any
 * uncaught page error (an automatic fixture, checked when the test ends), opening the studio,
 * and the backend/analysis helpers: connect the studio to a service, read a plot's report.
 */
import { expect, test as base, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import type { E2eBackend } from './backend.ts';

export const SHOTS = 'test-results/e2e';
mkdirSync(SHOTS, { recursive: true });

/** Playwright's `test`, failing when the page throws an uncaught error (message and stack listed). */
export const test = base.extend<{ pageErrors: string[] }>({
  pageErrors: [async ({ page }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`${String(e)}\n${e.stack ?? ''}`));
    await use(errors);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  }, { auto: true }],
});

/** The studio open with the demo ensemble loaded (the DP kernel check may still be running). */
export async function openStudio(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await page.waitForFunction(() => (window.__nanostudio?.framesRendered ?? 0) > 2, null, { timeout: 60_000 });
  await expect(page.getByTestId('models').locator('li')).toHaveCount(4, { timeout: 60_000 });
}

/** The studio open on `structure` with the start-up DP kernel check passed (WebGPU usable for the ensemble). */
export async function openWithKernelCheck(page: Page, structure = 'Cu13 icosahedron'): Promise<void> {
  await openStudio(page);
  await page.getByTestId('structure').selectOption(structure);
  await expect(page.getByTestId('dp-check')).toHaveAttribute('data-passed', 'true', { timeout: 300_000 });
}

/** Connect the Backend tab to `backend` with its token and choose data set `datasetId`. */
export async function connectStudio(page: Page, backend: E2eBackend, datasetId: number): Promise<void> {
  await page.getByTestId('tab-backend').click();
  await page.getByTestId('backend-url').fill(backend.base);
  await page.getByTestId('backend-token').fill(backend.token);
  await page.getByTestId('backend-connect').click();
  await expect(page.getByTestId('backend-status')).toContainText('connected');
  await page.getByTestId('dataset-select').selectOption(String(datasetId));
}

export type PlotSummary = { counts: number[]; scales: Record<string, [number | null, number | null]>; series: string[] };

/** What plot `id` shows (window.__nanostudioPlots), or null before it exists. */
export const plot = (page: Page, id: string) => page.evaluate((k) => {
  const p = window.__nanostudioPlots?.[k];
  return p ? { counts: p.counts, scales: p.scales, series: p.series } : null;
}, id) as Promise<PlotSummary | null>;
