/**
 * Viewer frame rate (issue 10): the studio's Three.js viewer (one InstancedMesh of spheres,
 * 32×16 segments each) drawing Cu147 (Mackay icosahedron), Cu1103 and Cu3535 (spherical cuts of
 * fcc Cu, as bench/eam-md.ts) in headless Chromium with SwiftShader (software WebGL/WebGPU, the
 * flags of playwright.config.ts), at the e2e viewport 1100×720. The structure is opened through
 * a share link (`#atoms=…`); after a settling time the viewer's frame counter
 * (window.__nanostudio.framesRendered, one per requestAnimationFrame) is read over a window.
 * Needs the built site: `npx vite build && npm run bench -- viewer` (options: --port 4419,
 * --seconds 8). Headless Chromium caps requestAnimationFrame at 60 Hz.
 */
import { spawn } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.ts';
import { icosahedron } from '../src/core/build/icosahedron.ts';
import { shareToQuery } from '../src/ui/share/studio-share.ts';
import type { Frame } from '../src/core/atoms.ts';
import { fccSphere } from './eam-md.ts';

const arg = (name: string, fallback: number): number => {
  const k = process.argv.indexOf(`--${name}`);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
};

async function waitForServer(url: string, ms: number): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    if (Date.now() - t0 > ms) throw new Error(`vite preview did not answer at ${url} within ${ms / 1000} s (run npx vite build first)`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function link(base: string, title: string, f: Frame): string {
  return `${base}/#${shareToQuery({
    structure: { title, symbols: f.symbols, positions: f.positions, cell: null, pbc: [false, false, false] },
    potential: { kind: 'demo' },
    settings: { md: { ensemble: 'langevin', temperatureK: 600, dtFs: 2, steps: 2000, saveEvery: 10, frictionPerFs: 0.01, tauTFs: 100, pressureBar: 1, seed: 1 }, engine: 'auto', trustLo: 0.05, trustHi: 0.15, colourMode: 'element' },
  })}`;
}

export async function run(): Promise<void> {
  const port = arg('port', 4419);
  const seconds = arg('seconds', 8);
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['node_modules/vite/bin/vite.js', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
  try {
    await waitForServer(`${base}/`, 60_000);
    const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const rows: string[] = [];
    const load0 = loadavg()[0];
    for (const [title, frame] of [
      ['Cu147 Mackay icosahedron', icosahedron('Cu', 4)],
      ['Cu1103 fcc sphere', fccSphere('Cu', 1103)],
      ['Cu3535 fcc sphere', fccSphere('Cu', 3535)],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
      try {
        await page.goto(link(base, title, frame), { waitUntil: 'domcontentloaded', timeout: 180_000 });
      } catch (e) {
        // (the message would repeat the whole link)
        throw new Error(`${title}: the page did not load: ${(e instanceof Error ? e.message : String(e)).slice(0, 120)}…`);
      }
      await page.waitForFunction((n) => window.__nanostudio?.natoms === n && window.__nanostudio.framesRendered > 2, frame.symbols.length, { timeout: 120_000 });
      await page.waitForTimeout(5000); // start-up work (worker, model loading, GPU probe) settles
      const a = await page.evaluate(() => ({ f: window.__nanostudio!.framesRendered, t: performance.now() }));
      await page.waitForTimeout(seconds * 1000);
      const b = await page.evaluate(() => ({ f: window.__nanostudio!.framesRendered, t: performance.now() }));
      const fps = ((b.f - a.f) * 1000) / (b.t - a.t);
      rows.push(`| ${title.padEnd(24)} | ${String(frame.symbols.length).padStart(5)} | ${fps.toFixed(1).padStart(5)} | ${(1000 / fps).toFixed(0).padStart(7)} |`);
      console.log(rows[rows.length - 1]);
      await page.close();
    }
    await browser.close();
    console.log(`\nChromium headless, SwiftShader (software), viewport 1100×720, ${cpus().length} cores ${cpus()[0]?.model ?? ''}, load average ${load0.toFixed(1)} → ${loadavg()[0].toFixed(1)}; ${seconds} s window after 5 s settling`);
    console.log('| structure                | atoms |   fps | ms/frame |');
    console.log('|:-------------------------|------:|------:|--------:|');
    for (const r of rows) console.log(r);
  } finally {
    server.kill();
  }
}
