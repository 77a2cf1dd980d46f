/**
 * The job handler of `task:remind` / `task:timeout` jobs: runs the `runTaskTimeout` command
 * (engine/commands/runTaskTimeout.ts). Kept apart from timeouts.ts so the unit of work
 * (which schedules the jobs) does not import the task commands.
 */
import type { CommandDeps } from '../commands/runCommand.ts';
import { runTaskTimeout, type TaskJobResult } from '../commands/runTaskTimeout.ts';

export type { TaskJobResult };

/** Runs the leased `task:*` job `jobId` if `owner` still holds its lease; throws what the step throws. */
export function runTaskJob(deps: CommandDeps, jobId: string, owner: string): Promise<TaskJobResult> {
  return runTaskTimeout(deps, jobId, owner);
}
