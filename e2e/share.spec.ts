/**
 * Sharing the main studio: the link restores the structure on screen (a preset by name, a built
 * random cluster by its atoms), the potential and the settings in another browser context; the
 * session file restores the same state after upload; broken links and files get named errors.
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';

const SHOTS = 'test-results/e2e';
mkdirSync(SHOTS, { recursive: true });

const hashParams = (link: string) => new URLSearchParams(new URL(link).hash.slice(1));

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => (window.__nanostudio?.framesRendered ?? 0) > 2, null, { timeout: 60_000 });
}

/** Positions (Å) of the structure on screen, through the studio's own extxyz export. */
async function exported(page: Page): Promise<number[]> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-xyz').click()]);
  const lines = readFileSync((await dl.path())!, 'utf8').trim().split('\n');
  return lines.slice(2).flatMap((l) => l.trim().split(/\s+/).slice(1, 4).map(Number));
}

test('share: link and session file restore structure, potential and settings', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto('/');
  await ready(page);

  // A preset with changed settings: the link names the preset.
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  await page.getByTestId('md-temperature').fill('900');
  await page.getByTestId('md-ensemble').selectOption('nose-hoover');
  await page.getByTestId('trust-lo').fill('0.03');
  await page.getByTestId('trust-hi').fill('0.25');
  await page.getByTestId('engine-preference').selectOption('cpu');
  const presetLink = await page.getByTestId('share-link').inputValue();
  expect(hashParams(presetLink).get('structure')).toBe('Cu13 icosahedron');
  expect(hashParams(presetLink).get('T')).toBe('900');

  const other = await browser.newPage();
  other.on('pageerror', (e) => errors.push(String(e)));
  await other.goto(presetLink);
  await ready(other);
  await expect(other.getByTestId('structure')).toHaveValue('Cu13 icosahedron');
  await expect(other.getByTestId('md-temperature')).toHaveValue('900');
  await expect(other.getByTestId('md-ensemble')).toHaveValue('nose-hoover');
  await expect(other.getByTestId('trust-lo')).toHaveValue('0.03');
  await expect(other.getByTestId('trust-hi')).toHaveValue('0.25');
  await expect(other.getByTestId('engine-preference')).toHaveValue('cpu');
  await expect(other.getByTestId('share-notice')).toContainText('restored from the link: Cu13 icosahedron (13 atoms)');
  expect(await other.evaluate(() => window.__nanostudio!.natoms)).toBe(13);
  await other.screenshot({ path: `${SHOTS}/share-link-preset.png` });

  // A built random cluster (not a preset): the link carries the atoms (to 1e-4 Å).
  await page.getByTestId('builder').locator('summary').click();
  await page.getByTestId('build-kind').selectOption('random');
  await page.getByTestId('build-natoms').fill('21'); // Cu20 seed 1 is a preset of the menu
  await page.getByTestId('md-temperature').fill('950'); // differs from what `other` holds (900): the link must carry it
  await page.getByTestId('build').click();
  await expect(page.getByTestId('status-bar')).toContainText('Cu21 random cluster');
  const atomsLink = await page.getByTestId('share-link').inputValue();
  expect(hashParams(atomsLink).get('atoms')).toBeTruthy();
  const here = await exported(page);
  expect(here).toHaveLength(63);
  await other.goto(atomsLink); // same document, new fragment: restored on hashchange
  await ready(other);
  await expect(other.getByTestId('status-bar')).toContainText('Cu21 random cluster');
  const there = await exported(other);
  expect(there).toHaveLength(63);
  expect(Math.max(...there.map((v, i) => Math.abs(v - here[i])))).toBeLessThanOrEqual(0.6e-4);
  await expect(other.getByTestId('md-temperature')).toHaveValue('950');
  await other.screenshot({ path: `${SHOTS}/share-link-atoms.png` });

  // A broken link opened fresh: a named error, and the default structure instead.
  await other.goto('about:blank');
  await other.goto(atomsLink.replace(/T=950/, 'T=hot'));
  await ready(other);
  await expect(other.getByTestId('share-error')).toContainText('link parameter "T" is not a number: "hot"');
  await expect(other.getByTestId('structure')).toHaveValue('Cu55 Mackay icosahedron');

  // Session file: download here, upload there (full precision), a broken file is named.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('session-download').click()]);
  const session = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
  expect(session.format).toBe('nanostudio-session');
  expect(session.structure.positions).toHaveLength(63);
  expect(session.settings.md.temperatureK).toBe(950);
  expect(session.potential).toEqual({ kind: 'demo' });
  await other.getByTestId('session-upload').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"nanostudio-session","version":1}') });
  await expect(other.getByTestId('share-error')).toContainText('broken.json: the session file is not a nanostudio studio session: structure');
  await other.getByTestId('trust-hi').fill('0.4'); // the session must bring 0.25 back
  await expect(other.getByTestId('trust-hi')).toHaveValue('0.4');
  await other.getByTestId('session-upload').setInputFiles((await dl.path())!);
  await expect(other.getByTestId('share-notice')).toContainText('Cu21 random cluster');
  const restored = await exported(other);
  expect(Math.max(...restored.map((v, i) => Math.abs(v - here[i])))).toBeLessThan(1e-6);
  await expect(other.getByTestId('trust-hi')).toHaveValue('0.25');
  await other.screenshot({ path: `${SHOTS}/share-session.png` });
  await other.close();
  expect(errors).toEqual([]);
});
