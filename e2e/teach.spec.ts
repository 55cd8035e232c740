import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';

// Teaching mode in Chromium: a lesson from the URL, play, heat with the slider and the keyboard,
// drag an atom (the steering spring pulls it), the help panel, and sharing by link and session file.
test('teaching mode: play, heat, drag an atom, help, share', async ({ page, browser }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  mkdirSync('test-results/e2e', { recursive: true });
  await page.goto('/?mode=teach&structure=Cu13%20icosahedron&potential=eam-mishin&T=300');
  await expect(page.getByTestId('teach-mode')).toBeVisible();
  await expect(page.getByTestId('teach-structure')).toHaveValue('Cu13 icosahedron');
  await expect(page.getByTestId('teach-target')).toHaveText('300 K');
  await expect(page.getByTestId('teach-play')).toBeEnabled({ timeout: 60_000 });

  // Play: time advances and the temperature readout is a number near the target.
  await page.getByTestId('teach-play').click();
  await page.waitForFunction(() => (window.__nanostudioTeach?.steps ?? 0) > 500, null, { timeout: 60_000 });
  const t1 = Number((await page.getByTestId('teach-readout-T').textContent())!.replace(' K', ''));
  expect(t1).toBeGreaterThan(50);
  expect(t1).toBeLessThan(900);

  // Press on an outer atom and drag it outwards: the grabbed atom is named and follows the mouse.
  const [ax, ay] = await page.evaluate(() => window.__nanostudioTeach!.atomScreen(5));
  const [cx, cy] = await page.evaluate(() => window.__nanostudioTeach!.atomScreen(0)); // the centre atom
  const dir = [ax - cx, ay - cy];
  const len = Math.hypot(dir[0], dir[1]) || 1;
  await page.mouse.move(ax, ay);
  await page.mouse.down();
  await page.waitForFunction(() => window.__nanostudioTeach!.dragging !== null, null, { timeout: 10_000 });
  const grabbed = await page.evaluate(() => window.__nanostudioTeach!.dragging);
  const [gx, gy] = await page.evaluate((i) => window.__nanostudioTeach!.atomScreen(i), grabbed!);
  const tx = ax + (dir[0] / len) * 120, ty = ay + (dir[1] / len) * 120;
  for (let k = 1; k <= 6; k++) await page.mouse.move(ax + ((tx - ax) * k) / 6, ay + ((ty - ay) * k) / 6);
  await expect(page.getByTestId('teach-readout-steer')).toContainText(`atom ${grabbed}`, { timeout: 30_000 });
  await page.waitForTimeout(1500); // let the spring pull (simulation time, not a speed assertion)
  const [bx, by] = await page.evaluate((i) => window.__nanostudioTeach!.atomScreen(i), grabbed!);
  expect(Math.hypot(bx - tx, by - ty)).toBeLessThan(Math.hypot(gx - tx, gy - ty) - 30);
  await page.screenshot({ path: 'test-results/e2e/teach-drag.png' });
  await page.mouse.up();
  await expect(page.getByTestId('teach-readout-steer')).toHaveText('nothing', { timeout: 30_000 });
  await page.getByTestId('teach-play').click(); // pause: the rest needs no dynamics
  await expect(page.getByTestId('teach-play')).toContainText('Play');

  // Heat with the slider and the keyboard; the URL follows.
  await page.getByTestId('teach-temperature').fill('1200');
  await expect(page.getByTestId('teach-target')).toHaveText('1200 K');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('teach-target')).toHaveText('1250 K');
  expect(new URL(page.url()).searchParams.get('T')).toBe('1250');

  // Help panel by keyboard.
  await page.keyboard.press('h');
  await expect(page.getByTestId('teach-help')).toContainText('play / pause');
  await page.screenshot({ path: 'test-results/e2e/teach-help.png' });
  await page.keyboard.press('h');
  await expect(page.getByTestId('teach-help')).toHaveCount(0);

  // Share by link: another browser context opens the same lesson.
  const link = await page.getByTestId('teach-share-link').inputValue();
  const other = await browser.newPage();
  await other.goto(link);
  await expect(other.getByTestId('teach-structure')).toHaveValue('Cu13 icosahedron');
  await expect(other.getByTestId('teach-target')).toHaveText('1250 K');
  await other.close();

  // Session file: download, then upload restores it (and a broken file gets a named error).
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('teach-session-download').click()]);
  const path = await dl.path();
  const session = JSON.parse(readFileSync(path!, 'utf8'));
  expect(session.settings).toEqual({ structure: 'Cu13 icosahedron', potential: 'eam-mishin', temperatureK: 1250 });
  expect(session.positions).toHaveLength(39);
  await page.getByTestId('teach-session-upload').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"x"}') });
  await expect(page.getByTestId('teach-error')).toContainText('not a nanostudio teaching session');
  await page.getByTestId('teach-session-upload').setInputFiles(path!);
  await expect(page.getByTestId('teach-notice')).toContainText('restored');
  await page.screenshot({ path: 'test-results/e2e/teach-mode.png' });
  expect(errors).toEqual([]);
});
