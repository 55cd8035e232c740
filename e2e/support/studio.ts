/** Page helpers shared by the backend/analysis e2e specs: connect the studio to a service, read a plot's report. */
import { expect, type Page } from '@playwright/test';
import type { E2eBackend } from './backend.ts';

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
