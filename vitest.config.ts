import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/helpers/sequencer.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/globalSetup.ts'],
    // What createEngine does at start, for tests that use engine modules directly; then the
    // engine's process-wide settings put back to a fresh process's (see isolate below).
    setupFiles: ['test/helpers/features.ts', 'test/helpers/freshState.ts'],
    // Each file loads its modules afresh. Sharing them between the files of a worker
    // (`isolate: false`) saved about a quarter of the suite's CPU, but a file then saw state an
    // earlier one left: after miwg-round-trip, scheduled-automation's dropdowns never closed,
    // and scheduled-automations lost a run in one CI run. docs/testing.md.
    isolate: true,
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
