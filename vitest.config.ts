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
    // expect.poll waits for what a person would see next (a socket event, a re-render). Its
    // default of 1 s is less than one round trip on a busy 2-core CI machine.
    expect: { poll: { timeout: 10_000 } },
  },
});
