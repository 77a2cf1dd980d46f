/**
 * Runs one leased `task:remind` / `task:timeout` job (see timeouts.ts for the design): one
 * transaction that locks the instance, then the job row, checks the lease, deletes the job,
 * re-reads the task and — if it is still open — reminds or runs the timeout action. The
 * action is the ordinary task command inside this transaction (a savepoint), so the job is
 * gone exactly when its action commits; a failure rolls both back for the retry → incident
 * policy. Events are held and published after the commit. Kept apart from timeouts.ts so the
 * unit of work (which schedules the jobs) does not import the task commands.
 */
import type { CommandDeps } from '../commands/runCommand.ts';
import { EventBus, type DomainEvent } from '../events.ts';
import { definitionById } from '../store/definitions.ts';
import { lockInstance } from '../store/instances.ts';
import { findJob, lockJob } from '../store/jobs.ts';
import { findTask } from '../store/tasks.ts';
import { remindTask, runTimeoutAction } from './timeoutActions.ts';
import { REMIND_JOB, TIMEOUT_JOB } from './timeouts.ts';
import { timeoutSettingsOf } from './timeoutSettings.ts';

export type TaskJobResult =
  | { ran: true; outcome: 'reminded' | 'acted' | 'task_closed' | 'task_held' }
  | { ran: false; reason: 'gone' | 'lease_lost' };

/** Runs the leased `task:*` job `jobId` if `owner` still holds its lease; throws what the step throws. */
export async function runTaskJob(deps: CommandDeps, jobId: string, owner: string): Promise<TaskJobResult> {
  const held: DomainEvent[] = [];
  const events = new EventBus();
  events.subscribe((event) => held.push(event));
  const result = await deps.db.transaction(async (trx): Promise<TaskJobResult> => {
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

    const inner: CommandDeps = { db: trx, events, clock: deps.clock };
    if (job.type === REMIND_JOB) {
      await remindTask(inner, task, node, settings);
      return { ran: true, outcome: 'reminded' };
    }
    if (job.type === TIMEOUT_JOB) {
      await runTimeoutAction(inner, task, definition.process, settings);
      return { ran: true, outcome: 'acted' };
    }
    throw new Error(`No handler for job type "${job.type}"`);
  });
  deps.events.publish(held);
  return result;
}
