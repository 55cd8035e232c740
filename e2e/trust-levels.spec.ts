import { expect, type Page } from '@playwright/test';
import { openStudio, SHOTS, test } from './support/studio.ts';

// Issue 12: changing the trust levels during a studio run re-classifies the frames (the class on
// the timeline and on the frame on screen, not only the atom colours), and lo = 0 or lo ≥ hi is a
// named error while the last valid levels stay in use (no NaN colours); a reload keeps the levels in use.

const attr = async (page: Page, name: string) => Number(await page.getByTestId('timeline').getAttribute(name));
const counts = async (page: Page) => ({
  frames: await attr(page, 'data-frames'), good: await attr(page, 'data-good'), decent: await attr(page, 'data-decent'), poor: await attr(page, 'data-poor'),
});
async function setLevels(page: Page, lo: string, hi: string) {
  await page.getByTestId('trust-lo').fill(lo);
  await page.getByTestId('trust-hi').fill(hi);
}

test('trust levels: a change during a run re-classifies every frame; lo = 0 and lo ≥ hi are named errors', async ({ page }) => {
  test.setTimeout(300_000);
  await openStudio(page);
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  await page.getByTestId('colour-by-deviation').check();

  // A long CPU run saving a frame every 10 steps, paused after its first frames: the levels change
  // during the run, and the frames it saves after that (the worker classifies them with the run's
  // levels 0.05 / 0.15) get the new levels too. The run is stopped early to keep the page quiet.
  await page.getByTestId('engine-preference').selectOption('cpu');
  await page.getByTestId('md-ensemble').selectOption('langevin');
  await page.getByTestId('md-steps').fill('100000');
  await page.getByTestId('md-save-every').fill('10');
  const t0 = Date.now();
  const mark = (what: string) => console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s: ${what}`);
  const runButton = page.getByTestId('run-md');
  await runButton.click();
  await expect.poll(async () => (await counts(page)).frames, { timeout: 120_000 }).toBeGreaterThanOrEqual(2);
  await runButton.click(); // pause
  await expect(runButton).toHaveText('Resume', { timeout: 60_000 });
  mark('paused after 2 frames');

  // Levels far below every deviation: every frame is poor (and recoloured).
  const colourBefore = await page.evaluate(() => window.__nanostudio!.colourKey);
  await setLevels(page, '0.000001', '0.000002');
  await expect(page.getByTestId('trust-error')).toHaveCount(0);
  const allPoor = async () => { const c = await counts(page); return c.frames > 0 && c.poor === c.frames && c.good === 0 && c.decent === 0; };
  await expect.poll(allPoor, { timeout: 60_000 }).toBe(true);
  await expect.poll(() => page.evaluate(() => window.__nanostudio!.colourKey), { timeout: 60_000 }).not.toBe(colourBefore);
  const atChange = (await counts(page)).frames;
  await runButton.click(); // resume
  await expect.poll(async () => (await counts(page)).frames, { timeout: 120_000 }).toBeGreaterThanOrEqual(atChange + 1);
  await page.getByTestId('md-stop').click();
  await expect(page.getByTestId('md-state')).toContainText('stopped', { timeout: 60_000 });
  mark('stopped');
  expect((await counts(page)).frames).toBeGreaterThan(atChange);
  await expect.poll(allPoor, { timeout: 60_000 }).toBe(true);
  await expect(page.getByTestId('timeline-counts')).toContainText(/(\d+) frames: 0 good · 0 decent · \1 poor/);

  // The frame on screen: replay the first frame; its class follows each change of the levels.
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('Home');
  const badge = page.getByTestId('frame-class');
  await expect(badge).toHaveText('poor');
  const onScreen = await page.locator('.timeline .on-screen').textContent();
  const eps = Number(/max ε_f ([\d.]+) eV\/Å/.exec(onScreen ?? '')?.[1]);
  expect(eps).toBeGreaterThan(0);
  await setLevels(page, '50', '100');
  await expect(badge).toHaveText('good');
  await expect.poll(async () => { const c = await counts(page); return c.good === c.frames; }).toBe(true);
  await setLevels(page, String(eps / 2), String(eps * 4)); // lo ≤ ε < hi for the frame on screen
  await expect(badge).toHaveText('decent');
  const valid = await counts(page);
  expect(valid.decent).toBeGreaterThanOrEqual(1);
  const colourValid = await page.evaluate(() => window.__nanostudio!.colourKey);

  // lo = 0: a named error, the last valid levels stay in use (classes and colours unchanged).
  await page.getByTestId('trust-lo').fill('0');
  await expect(page.getByTestId('trust-error')).toContainText(`trust level lo must be > 0 eV/Å, got 0 — still using lo = ${eps / 2}, hi = ${eps * 4}`);
  await expect(page.getByTestId('trust-lo')).toHaveAttribute('aria-invalid', 'true');
  await expect(badge).toHaveText('decent');
  expect(await counts(page)).toEqual(valid);
  expect(await page.evaluate(() => window.__nanostudio!.colourKey)).toBe(colourValid);

  // lo ≥ hi: named as well (hi first, so that no valid pair passes on the way).
  await page.getByTestId('trust-hi').fill('0.2');
  await page.getByTestId('trust-lo').fill('0.3');
  await expect(page.getByTestId('trust-error')).toContainText('trust levels must satisfy lo < hi, got lo = 0.3 ≥ hi = 0.2');
  await page.getByTestId('trust-hi').fill('0.3');
  await expect(page.getByTestId('trust-error')).toContainText('trust levels must satisfy lo < hi, got lo = 0.3 ≥ hi = 0.3');
  await expect(badge).toHaveText('decent');
  expect(await counts(page)).toEqual(valid);
  expect(await page.evaluate(() => window.__nanostudio!.colourKey)).toBe(colourValid);
  mark('errors shown');
  await page.screenshot({ path: `${SHOTS}/trust-levels-error.png` });

  // Valid again: applied at once, the error goes.
  await setLevels(page, '50', '100');
  await expect(page.getByTestId('trust-error')).toHaveCount(0);
  await expect(badge).toHaveText('good');

  // A reload keeps the levels in use: the fields show them and the stored frames come back classified with them.
  const frames = (await counts(page)).frames;
  await page.reload();
  await expect(page.getByTestId('trust-lo')).toHaveValue('50', { timeout: 60_000 });
  await expect(page.getByTestId('trust-hi')).toHaveValue('100');
  await expect.poll(() => counts(page), { timeout: 60_000 }).toEqual({ frames, good: frames, decent: 0, poor: 0 });
  mark('done');
});
