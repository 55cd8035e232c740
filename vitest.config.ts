import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure TypeScript (float64 physics, CLI, backend); `gpu` runs real WGSL
// through Dawn (npm `webgpu`) on whatever Vulkan adapter the machine has (SwiftShader in CI).
// GPU tests run in one worker: a software adapter already uses both cores.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['test/gpu/**', 'node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'gpu',
          include: ['test/gpu/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
