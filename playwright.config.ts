import { defineConfig } from '@playwright/test';

// Chromium from Debian (`npx playwright install` cannot download here). WebGPU runs on the
// SwiftShader Vulkan driver that ships inside the chromium package; the flags are the tested
// set from shared/docs/webgpu-on-cpu.md. Playwright's own --enable-features entries are
// repeated because the last --enable-features switch wins.
const PW_FEATURES = 'CDPScreenshotNewSurface,SkipListAccountsWithoutGaiaCookies';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic',
  '--enable-unsafe-webgpu',
  `--enable-features=Vulkan,${PW_FEATURES}`,
  '--use-vulkan=swiftshader', '--use-angle=swiftshader',
];

const PORT = Number(process.env.E2E_PORT ?? 4317);

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1, // 2 cores: one browser at a time; SwiftShader uses both cores itself
  retries: 0,
  outputDir: 'test-results/e2e',
  webServer: {
    command: `node node_modules/vite/bin/vite.js preview --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    viewport: { width: 1100, height: 720 },
  },
  projects: [
    {
      name: 'webgpu',
      testIgnore: /no-webgpu|trust-levels/,
      use: { launchOptions: { executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS } },
    },
    {
      // The same browser without --enable-unsafe-webgpu: no adapter on a CPU-only machine, so
      // the studio must fall back to the CPU path and say so.
      name: 'no-webgpu',
      testMatch: /no-webgpu|trust-levels/, // trust levels need no GPU: the CPU path starts at once
      use: { launchOptions: { executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu') } },
    },
  ],
});
