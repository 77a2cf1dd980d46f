import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/helpers/sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/globalSetup.ts'],
    // What createEngine does at start, for tests that use engine modules directly; then the
    // engine's process-wide settings put back to a fresh process's (see isolate below).
    setupFiles: ['test/helpers/features.ts', 'test/helpers/freshState.ts'],
    // Files in one worker share the loaded modules instead of loading the engine, the server
    // and their dependencies again for every file (that was about a third of the suite's CPU
    // time). Each file still gets its own database, server, browser contexts and vitest config;
    // the engine's few process-wide settings are reset by freshState.ts. docs/testing.md.
    isolate: false,
    // Two cores: integration files each hold a database and a server; keep parallelism modest
    // (three workers was slower). What a run shares, and why: docs/testing.md.
    maxWorkers: 2,
    // Long (browser) files first, so short ones fill the end instead of one long file.
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for what a person would see next (a socket event, a re-render). Its
    // default of 1 s is less than one round trip on a busy 2-core CI machine.
    expect: { poll: { timeout: 10_000 } },
  },
});
