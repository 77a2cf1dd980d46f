import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/helpers/sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/globalSetup.ts'],
    // What createEngine does at start, for tests that use engine modules directly.
    setupFiles: ['test/helpers/features.ts'],
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
