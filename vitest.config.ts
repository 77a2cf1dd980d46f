import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/helpers/sequencer.ts';

/** What every test file gets, in both projects below. */
const perFile = {
  // What createEngine does at start, for tests that use engine modules directly; then the
  // engine's process-wide settings put back to a fresh process's (test/helpers/freshState.ts).
  setupFiles: ['test/helpers/features.ts', 'test/helpers/freshState.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  // expect.poll waits for what a person would see next (a socket event, a re-render). Its
  // default of 1 s is less than one round trip on a busy 2-core CI machine.
  expect: { poll: { timeout: 10_000 } },
};

export default defineConfig({
  test: {
    // Once per run, for both projects: PostgreSQL, the template database, the shared Chromium.
    globalSetup: ['test/helpers/globalSetup.ts'],
    projects: [
      {
        test: {
          ...perFile,
          name: 'api',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          // A worker loads the engine, the server and their dependencies once and runs its files
          // in that module graph, instead of a fresh process per file (about a third of these
          // files' CPU). freshState.ts puts back what a file may change. docs/testing.md.
          isolate: false,
        },
      },
      {
        test: {
          ...perFile,
          name: 'browser',
          include: ['test/e2e/**/*.test.ts'],
          // A fresh process per browser file, as before: few files, each long, so loading the
          // modules again costs little here. docs/testing.md says what was seen sharing them.
          isolate: true,
        },
      },
    ],
    // Two cores: integration files each hold a database and a server; keep parallelism modest
    // (three workers was slower). What a run shares, and why: docs/testing.md.
    maxWorkers: 2,
    // Long (browser) files first, so short ones fill the end instead of one long file.
    sequence: { sequencer: LongestFirstSequencer },
  },
});
