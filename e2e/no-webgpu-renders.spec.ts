/**
 * The Backend tab re-renders only when what it shows changes: not with every snapshot of a
 * running simulation (the studio store) and not when another section edits the backend store.
 * CPU path (no WebGPU needed): the snapshots come at once.
 */
import { expect } from '@playwright/test';
import { openStudio, runMd } from './support/explore.ts';
import { test } from './support/studio.ts';
import { countRenders, renders } from './support/renders.ts';

test('the backend panel does not re-render with the run\'s snapshots or another section\'s input', async ({ page }) => {
  await openStudio(page);
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  await page.getByTestId('tab-backend').click(); // (switching tabs renders them: counted from here)
  await countRenders(page, 'backend-panel');
  await countRenders(page, 'backend-url');

  // Another section's field: the URL input re-renders (so the count works), the panel does not.
  await page.getByTestId('backend-url').fill('http://127.0.0.1:9');
  expect(await renders(page, 'backend-url')).toBeGreaterThan(0);
  expect(await renders(page, 'backend-panel')).toBe(0);

  // A run: many snapshots and frames, nothing the panel shows.
  await runMd(page, { steps: 200, saveEvery: 5, engine: 'cpu' });
  expect(Number(await page.getByTestId('md-frames').textContent())).toBeGreaterThanOrEqual(40);
  expect(await renders(page, 'backend-panel')).toBe(0);

  // The count does see the panel render: switching tabs renders them.
  await page.getByTestId('tab-run').click();
  await page.getByTestId('tab-backend').click();
  await expect.poll(() => renders(page, 'backend-panel')).toBeGreaterThan(0);
});
