import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.spec.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    // vitest's default of 1 s for expect.poll is short for a page on a busy CI machine (two specs, each with its own
    // server and Chromium, on two cores): a poll that would pass a moment later failed the run
    expect: { poll: { timeout: 10_000 } },
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ['./global-setup.ts'],
  },
});
