/**
 * Runs one leased `task:remind` / `task:timeout` job (engine/approval/timeouts.ts has the
 * design): one command that locks the instance, then the job row, checks the lease, deletes
 * the job, re-reads the task and — if it is still open — reminds or runs the node's timeout
 * action. The action is the ordinary task command nested in this one (a savepoint, its
 * events held until this commit), so the job is gone exactly when its action commits; a
 * failure rolls both back for the retry → incident policy.
 */
import { remindTask, runTimeoutAction } from '../approval/timeoutActions.ts';
import { REMIND_JOB, TIMEOUT_JOB } from '../approval/timeouts.ts';
import { timeoutSettingsOf } from '../approval/timeoutSettings.ts';
import { definitionById } from '../store/definitions.ts';
import { lockInstance } from '../store/instances.ts';
import { findJob, lockJob } from '../store/jobs.ts';
import { findTask } from '../store/tasks.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export type TaskJobResult =
  | { ran: true; outcome: 'reminded' | 'acted' | 'task_closed' | 'task_held' }
  | { ran: false; reason: 'gone' | 'lease_lost' };

/** Runs the leased `task:*` job `jobId` if `owner` still holds its lease; throws what the step throws. */
export async function runTaskTimeout(deps: CommandDeps, jobId: string, owner: string): Promise<TaskJobResult> {
  // The unit of work loads nothing here: the nested task command loads and flushes the instance.
  return runCommand(deps, async ({ trx }, scope): Promise<TaskJobResult> => {
    const peek = await findJob(trx, jobId);
    if (!peek) return { ran: false, reason: 'gone' };
    if (peek.instanceId) await lockInstance(trx, peek.instanceId);
    const job = await lockJob(trx, jobId);
    if (!job) return { ran: false, reason: 'gone' };
    if (job.lockedBy !== owner) return { ran: false, reason: 'lease_lost' };
    await trx('jobs').where({ id: job.id }).delete();

    const task = typeof job.payload.taskId === 'string' ? await findTask(trx, job.payload.taskId) : null;
    // Closed meanwhile (normally its jobs went with it; this covers any other path).
    if (!task || task.status !== 'open') return { ran: true, outcome: 'task_closed' };
    // On hold behind a signer added before it (前加签): that signer's own task carries the
    // node's deadline, so acting on the held one now would only fail with 409 and retry.
    if (task.held) return { ran: true, outcome: 'task_held' };
    const instance = await lockInstance(trx, task.instanceId);
    const definition = instance && (await definitionById(trx, instance.definitionId));
    const node = definition?.process.nodes[task.elementId];
    const settings = node && timeoutSettingsOf(node);
    if (!definition || !node || !settings) return { ran: true, outcome: 'task_closed' };

    if (job.type === REMIND_JOB) {
      await remindTask(scope.nested(), task, node, settings);
      return { ran: true, outcome: 'reminded' };
    }
    if (job.type === TIMEOUT_JOB) {
      await runTimeoutAction(scope.nested(), task, definition.process, settings);
      return { ran: true, outcome: 'acted' };
    }
    throw new Error(`No handler for job type "${job.type}"`);
  });
}
