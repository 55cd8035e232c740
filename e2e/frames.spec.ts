/**
 * Frames of exploration runs in the studio (issue 9): MD on the all-GPU integrator saves frames
 * whose per-atom and per-frame deviation come from the GPU; every frame is kept in IndexedDB (a
 * reload loses nothing) with energy, max force deviation and class; the timeline is coloured
 * good/decent/poor; scrubbing replays the trajectory with atoms coloured by per-atom deviation;
 * live uPlot plots of E_pot, E_tot, T and max deviation with the lo/hi band; the decent-frame
 * inspector (sorted by deviation, heat-map thumbnails, view, select/deselect, cap, thinning).
 * Expected classes are computed here from the exported frames with trust levels chosen from
 * their own deviations, so every class occurs.
 */
import { expect, type Page } from '@playwright/test';
import type { XyzFrame } from '../src/core/io/extxyz.ts';
import { CLASS_HEX, classOf, colourCounts, exportRun, fillFields, openStudio, runMd, setTrust, SHOTS, studioState } from './support/explore.ts';
import { openWithKernelCheck, test } from './support/studio.ts';

const devi = (f: XyzFrame) => Number(f.info?.max_devi_f);
const mid = (a: number, b: number) => (a + b) / 2;

/** Click the timeline strip on frame `k` of `n`. */
async function scrubTo(page: Page, k: number, n: number): Promise<void> {
  const box = (await page.getByTestId('timeline-strip').boundingBox())!;
  await page.mouse.click(box.x + ((k + 0.5) * box.width) / n, box.y + box.height * 0.9);
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-cursor', String(k));
}

test('frames: GPU MD frames with GPU deviation, timeline classes, scrubbing replays with deviation colours, live plots with bands, a reload loses nothing', async ({ page }) => {
  test.setTimeout(480_000);
  await openWithKernelCheck(page);
  await runMd(page, { steps: 60, saveEvery: 4, temperatureK: 1500, ensemble: 'langevin', engine: 'webgpu' });
  await expect(page.getByTestId('engine')).toContainText('WebGPU (MD): WebGPU chosen by the user');
  const n = 16; // steps 0, 4, …, 60
  await expect(page.getByTestId('md-frames')).toHaveText(String(n));
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-frames', String(n));

  // Live plots: one point per saved frame, each curve drawn in its colour, lo/hi lines on the deviation plot.
  await expect(page.getByTestId('live-plots')).toHaveAttribute('data-points', String(n));
  const plotColours = async (id: string, hex: string[]) => (await colourCounts(page, await page.getByTestId(id).screenshot(), hex, 40)).counts;
  const [epot, etot] = await plotColours('plot-energy', ['#e8a15a', '#6fa8ff']);
  const [temp] = await plotColours('plot-temperature', ['#eb5757']);
  const [maxDev, lo, hi] = await plotColours('plot-deviation', ['#f2f2f2', '#f2c94c', '#eb5757']);
  for (const [name, v] of Object.entries({ epot, etot, temp, maxDev, lo, hi })) expect(v, `${name} curve pixels`).toBeGreaterThan(20);

  // What the browser stored: GPU per-atom deviation whose maximum is the GPU per-frame max_devi_f.
  const frames = await exportRun(page);
  expect(frames).toHaveLength(n);
  expect(frames.map((f) => f.info?.step)).toEqual(Array.from({ length: n }, (_, k) => 4 * k));
  for (const f of frames) {
    const a = f.arrays.devi_f;
    expect(a).toHaveLength(13);
    expect(Math.max(...a)).toBeGreaterThan(0);
    expect(Math.abs(Math.max(...a) - devi(f))).toBeLessThan(1e-6 * Math.max(1, devi(f)));
  }
  expect(new Set(frames.map((f) => f.positions.slice(0, 6).join(','))).size).toBe(n); // the trajectory moves

  // Trust levels at the thirds of the run's own deviations: all three classes occur.
  const sorted = frames.map(devi).sort((a, b) => a - b);
  expect(new Set(sorted).size).toBe(n);
  const tLo = mid(sorted[4], sorted[5]), tHi = mid(sorted[10], sorted[11]);
  await setTrust(page, tLo, tHi);
  const want = frames.map((f) => classOf(devi(f), tLo, tHi));
  const count = (c: string) => String(want.filter((x) => x === c).length);
  await expect(timeline).toHaveAttribute('data-good', count('good'));
  await expect(timeline).toHaveAttribute('data-decent', count('decent'));
  await expect(timeline).toHaveAttribute('data-poor', count('poor'));
  await expect(page.getByTestId('timeline-counts')).toHaveText(`${n} frames: ${count('good')} good · ${count('decent')} decent · ${count('poor')} poor`);
  const strip = await colourCounts(page, await page.getByTestId('timeline-strip').screenshot(), [CLASS_HEX.good, CLASS_HEX.decent, CLASS_HEX.poor], 24);
  strip.counts.forEach((c, k) => expect(c, `${['good', 'decent', 'poor'][k]} bars on the timeline`).toBeGreaterThan(30));

  // Scrubbing replays the stored frames: step, class and positions of the frame under the cursor.
  const keys: string[] = [];
  for (const k of [0, 7, n - 1]) {
    await scrubTo(page, k, n);
    const s = await studioState(page);
    expect(s.source).toBe('replay');
    expect(s.step).toBe(frames[k].info?.step);
    await expect(page.getByTestId('frame-class')).toHaveText(want[k]);
    await expect(timeline).toContainText(`frame ${k + 1}/${n} · step ${frames[k].info?.step}`);
    keys.push(`${s.positionKey}|${s.colourKey}`);
  }
  expect(new Set(keys.map((x) => x.split('|')[0])).size).toBe(3);
  // Atoms coloured by per-atom deviation: the colours change from frame to frame …
  const [lowK, highK] = [frames.findIndex((f) => devi(f) === sorted[0]), frames.findIndex((f) => devi(f) === sorted[n - 1])];
  await scrubTo(page, lowK, n);
  const lowColours = (await studioState(page)).colourKey;
  await scrubTo(page, highK, n);
  const highColours = (await studioState(page)).colourKey;
  expect(highColours).not.toBe(lowColours);
  await page.screenshot({ path: `${SHOTS}/frames-replay-deviation-colours.png` });
  // … and are the element's alone when colouring by deviation is off.
  await page.getByTestId('colour-by-deviation').uncheck();
  const elemHigh = (await studioState(page)).colourKey;
  await scrubTo(page, lowK, n);
  expect((await studioState(page)).colourKey).toBe(elemHigh);
  expect(elemHigh).not.toBe(highColours);
  await page.getByTestId('colour-by-deviation').check();
  // Drag and keys scrub too; "live" returns to the run's last state.
  const box = (await page.getByTestId('timeline-strip').boundingBox())!;
  await page.mouse.move(box.x + (2.5 * box.width) / n, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + (10.5 * box.width) / n, box.y + box.height / 2, { steps: 6 });
  await page.mouse.up();
  await expect(timeline).toHaveAttribute('data-cursor', '10');
  await timeline.press('ArrowLeft');
  await expect(timeline).toHaveAttribute('data-cursor', '9');
  await timeline.press('Home');
  await expect(timeline).toHaveAttribute('data-cursor', '0');
  await timeline.press('End');
  await expect(timeline).toHaveAttribute('data-cursor', String(n - 1));
  await page.screenshot({ path: `${SHOTS}/frames-timeline.png` });
  await page.getByTestId('timeline-live').click();
  await expect(timeline).toHaveAttribute('data-cursor', '-1');
  expect((await studioState(page)).source).not.toBe('replay');

  // A reload loses nothing: the same frames (positions, deviations) come back from IndexedDB,
  // classified with the trust levels in use (kept across the reload).
  await page.reload();
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-frames', String(n), { timeout: 60_000 });
  await expect(page.getByTestId('timeline-run').locator('option')).toHaveCount(1);
  await expect(page.getByTestId('timeline-run')).toContainText(`MD · Cu13 icosahedron · langevin 1500 K · ${n} frames`);
  const [dLo, dHi] = [Number(await page.getByTestId('trust-lo').inputValue()), Number(await page.getByTestId('trust-hi').inputValue())];
  const again = frames.map((f) => classOf(devi(f), dLo, dHi));
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-decent', String(again.filter((c) => c === 'decent').length));
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-good', String(again.filter((c) => c === 'good').length));
  const reloaded = await exportRun(page);
  expect(reloaded).toHaveLength(n);
  reloaded.forEach((f, k) => {
    expect(f.info?.step).toBe(frames[k].info?.step);
    expect(devi(f)).toBe(devi(frames[k]));
    expect(Array.from(f.positions)).toEqual(Array.from(frames[k].positions));
    expect(f.info?.class).toBe(again[k]);
  });
  await scrubTo(page, 3, n);
  expect((await studioState(page)).step).toBe(frames[3].info?.step);
  await page.screenshot({ path: `${SHOTS}/frames-after-reload.png` });
});

test('decent-frame inspector: sorted by deviation, heat-map thumbnails, view one, select/deselect, cap per run, thinning, kept across a reload', async ({ page }) => {
  test.setTimeout(480_000);
  await openStudio(page);
  await page.getByTestId('structure').selectOption('Cu13 icosahedron');
  await runMd(page, { steps: 80, saveEvery: 4, temperatureK: 1500, ensemble: 'langevin', engine: 'auto' });
  const frames = await exportRun(page);
  const n = frames.length;
  expect(n).toBe(21);
  const sorted = frames.map(devi).sort((a, b) => a - b);
  const q = 5; // the 5 lowest are good, the rest decent, none poor
  const tLo = mid(sorted[q - 1], sorted[q]), tHi = 2 * sorted[n - 1] + 1;
  await setTrust(page, tLo, tHi);
  const decentDevi = sorted.slice(q).reverse();
  await page.getByTestId('tab-frames').click();
  const list = page.getByTestId('decent-list');
  await expect(list).toHaveAttribute('data-count', String(n - q));
  const items = list.getByTestId('decent-item');
  await expect(items).toHaveCount(n - q);
  // Largest max force deviation first: exactly the run's decent frames.
  const shown = (await items.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-max-devi')))));
  expect(shown).toEqual(decentDevi);

  // Each has a heat-map thumbnail (atoms drawn, coloured by per-atom deviation: several colours, differing between frames).
  const thumbs = await items.getByTestId('decent-thumb').evaluateAll((els) => els.slice(0, 4).map((el) => {
    const c = el as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] + d[i + 1] + d[i + 2] > 60) { drawn++; colours.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4)); }
    return { drawn: drawn / (d.length / 4), colours: colours.size, url: c.toDataURL() };
  }));
  for (const t of thumbs) { expect(t.drawn).toBeGreaterThan(0.05); expect(t.colours).toBeGreaterThan(3); }
  expect(new Set(thumbs.map((t) => t.url)).size).toBe(thumbs.length);

  // Click one: the 3-D viewer shows that stored frame, the timeline cursor is on it, its class is shown.
  const third = items.nth(2);
  const id = Number(await third.getAttribute('data-frame-id'));
  await third.locator('button.thumb-button').click();
  await page.waitForFunction((id) => window.__nanostudio!.source === 'replay' && window.__nanostudio!.frameId === id, id, { timeout: 30_000 });
  await expect(third).toHaveClass(/shown/);
  await expect(page.getByTestId('frame-class')).toHaveText('decent');
  const k3 = frames.findIndex((f) => devi(f) === decentDevi[2]);
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-cursor', String(k3));
  expect((await studioState(page)).step).toBe(frames[k3].info?.step);

  // Cap per run: the 5 largest deviations are selected automatically.
  const selected = page.getByTestId('decent-selected');
  const checks = items.getByTestId('decent-select');
  const checkedIdx = async () => (await checks.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked))).flatMap((c, k) => (c ? [k] : []));
  await expect(selected).toHaveAttribute('data-run-selected', String(Math.min(20, n - q))); // default cap 20
  await page.getByTestId('decent-cap').fill('5');
  await expect(selected).toHaveAttribute('data-run-selected', '5');
  expect(await checkedIdx()).toEqual([0, 1, 2, 3, 4]);
  // Deselect the first by hand: the next one fills the slot; select the last by hand: it takes a slot.
  await checks.nth(0).uncheck();
  await expect(items.nth(0)).toContainText('by hand');
  await expect.poll(checkedIdx).toEqual([1, 2, 3, 4, 5]);
  const last = n - q - 1;
  await checks.nth(last).check();
  await expect(items.nth(last)).toContainText('by hand');
  await expect.poll(checkedIdx).toEqual([1, 2, 3, 4, last]);
  await expect(selected).toHaveAttribute('data-run-selected', '5');
  // Diversity thinning (farthest point on the CN histogram): still 5, hand choices kept, starting from the largest automatic one.
  await page.getByTestId('decent-thinning').check();
  await expect(selected).toHaveAttribute('data-run-selected', '5');
  const thinned = await checkedIdx();
  expect(thinned).toHaveLength(5);
  expect(thinned).toContain(1);
  expect(thinned).toContain(last);
  expect(thinned).not.toContain(0);
  const ids = async () => (await items.evaluateAll((els) => els.filter((e) => (e.querySelector('[data-testid="decent-select"]') as HTMLInputElement).checked).map((e) => e.getAttribute('data-frame-id')))).sort();
  const chosen = await ids();
  await page.screenshot({ path: `${SHOTS}/inspector.png` });

  // A reload keeps the frames, the hand choices, the cap and the thinning.
  await page.reload();
  await expect(page.getByTestId('timeline')).toHaveAttribute('data-frames', String(n), { timeout: 60_000 });
  await setTrust(page, tLo, tHi);
  await page.getByTestId('tab-frames').click();
  await expect(page.getByTestId('decent-cap')).toHaveValue('5');
  await expect(page.getByTestId('decent-thinning')).toBeChecked();
  await expect(list).toHaveAttribute('data-count', String(n - q));
  await expect.poll(ids).toEqual(chosen);
  await expect(items.nth(0)).toContainText('by hand');
  await expect(checks.nth(0)).not.toBeChecked();
  await page.screenshot({ path: `${SHOTS}/inspector-after-reload.png` });
});

test('BHMC relaxation frames are candidate frames: on the timeline, replayable, in the inspector', async ({ page }) => {
  test.setTimeout(420_000);
  await openStudio(page);
  await fillFields(page, { 'bhmc-natoms': 6, 'bhmc-trials': 2, 'bhmc-fmax': 0.1 });
  await page.getByTestId('run-bhmc').click();
  await expect(page.getByTestId('bhmc-state')).toContainText('finished', { timeout: 360_000 });
  const kept = Number(await page.getByTestId('bhmc-frames').textContent());
  expect(kept).toBeGreaterThan(3);
  const timeline = page.getByTestId('timeline');
  await expect(timeline).toHaveAttribute('data-frames', String(kept), { timeout: 30_000 });
  await expect(page.getByTestId('timeline-run')).toContainText(`BHMC · Cu6 basin hopping · bhmc`);
  const frames = await exportRun(page);
  expect(frames).toHaveLength(kept);
  for (const f of frames) { expect(f.symbols).toHaveLength(6); expect(Number.isFinite(devi(f))).toBe(true); }
  // Every relaxation frame a candidate: with lo below the smallest deviation, all are decent and listed.
  const sorted = frames.map(devi).sort((a, b) => a - b);
  await setTrust(page, sorted[0] / 2, 2 * sorted[kept - 1] + 1);
  await page.getByTestId('tab-frames').click();
  await expect(page.getByTestId('decent-list')).toHaveAttribute('data-count', String(kept));
  await page.getByTestId('decent-list').getByTestId('decent-item').first().locator('button.thumb-button').click();
  await page.waitForFunction(() => window.__nanostudio!.source === 'replay' && window.__nanostudio!.natoms === 6, null, { timeout: 30_000 });
  await page.screenshot({ path: `${SHOTS}/bhmc-frames-inspector.png` });
});
