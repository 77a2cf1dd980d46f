/**
 * Any engine module may be the first one a process imports (a script, a worker, a test):
 * each entry point below is imported first in a fresh Node process, which then deploys a
 * parent calling a child process (a call activity), completes the child's task and reports
 * both instances (test/fixtures/entry-points/callActivity.ts). Before issue #11 importing the
 * unit of work first met `callActivity` before it was initialised (an import cycle through
 * the interpreter). And a process that never installs the features is told so.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../helpers/database.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = 'test/fixtures/entry-points/callActivity.ts';
const run = promisify(execFile);

/** Modules a process might start from: the public face, the executors, and the runtime's own parts. */
const ENTRY_POINTS = [
  'engine/runtime/unitOfWork.ts',
  'engine/runtime/behaviors/callActivity.ts',
  'engine/runtime/behaviors/index.ts',
  'engine/runtime/interpreter.ts',
  'engine/approval/flow.ts',
  'engine/commands/runCommand.ts',
  'engine/bpmn/compile.ts',
  'engine/jobs/executor.ts',
  'engine/engine.ts',
];

async function runFresh(entry: string, url: string, ...flags: string[]): Promise<any> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, entry, url, ...flags], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

describe('engine entry points', () => {
  const database = useTestDatabase();

  it.each(ENTRY_POINTS)(
    'imported first in a fresh process, %s runs a call activity to its end',
    async (entry) => {
      const outcome = await runFresh(entry, database.url);
      expect(outcome).toEqual({
        waiting: { status: 'active', activeElementIds: ['call'] },
        child: { parentInstanceId: expect.any(String), amount: 7 },
        done: { status: 'completed', result: 'done', childStatus: 'completed' },
      });
    },
    60_000,
  );

  it('a process that never installs the features is refused by the core, naming installFeatures', async () => {
    const outcome = await runFresh('engine/runtime/unitOfWork.ts', database.url, '--without-features');
    expect(outcome.compiled).toBe(false);
    expect(outcome.error).toContain('installFeatures()');
  }, 60_000);
});
