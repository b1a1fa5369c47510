import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.spec.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 90_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2,
    globalSetup: ['./global-setup.ts'],
  },
});
