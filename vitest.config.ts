import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/globalSetup.ts'],
    // What createEngine does at start, for tests that use engine modules directly.
    setupFiles: ['test/helpers/features.ts'],
    // Two cores: integration files each hold a database and a server; keep parallelism modest.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
