/**
 * A failed attempt of a job, recorded if `owner` still holds its lease (a job whose lease ran
 * out belongs to whoever took it next): a retry after the back-off, or after the last retry
 * an incident on its instance (status `incident`, `instance.updated` after the commit).
 */
import type { RetryPolicy } from '../jobs/failures.ts';
import { backoffMs, describeError } from '../jobs/failures.ts';
import type { InstanceStatus } from '../runtime/instanceRun.ts';
import { openIncident } from '../store/incidents.ts';
import { lockInstance, setInstanceStatus } from '../store/instances.ts';
import { lockJob, recordJobAttempt, type JobRow } from '../store/jobs.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export type FailureOutcome =
  | { status: 'retry'; attempts: number; retriesLeft: number; dueAt: Date; message: string }
  | { status: 'incident'; attempts: number; incidentId: string | null; message: string; instanceStatus: InstanceStatus | null }
  | { status: 'skipped'; reason: 'gone' | 'lease_lost' };

export async function recordJobFailure(
  deps: CommandDeps,
  job: JobRow,
  owner: string,
  error: unknown,
  policy: RetryPolicy,
): Promise<FailureOutcome> {
  const message = describeError(error);
  const now = deps.clock();
  return runCommand(deps, async (_uow, scope): Promise<FailureOutcome> => {
    const trx = scope.trx;
    // Instance before job: the lock order of every command.
    const instance = job.instanceId ? await lockInstance(trx, job.instanceId) : null;
    const row = await lockJob(trx, job.id);
    if (!row) return { status: 'skipped', reason: 'gone' };
    if (row.lockedBy !== owner) return { status: 'skipped', reason: 'lease_lost' };
    const attempts = row.attempts + 1;
    const retriesLeft = Math.max(0, row.retriesLeft - 1);
    if (retriesLeft > 0) {
      const dueAt = new Date(now.getTime() + backoffMs(attempts, policy));
      await recordJobAttempt(trx, row.id, { attempts, retriesLeft, dueAt, lastError: message });
      return { status: 'retry', attempts, retriesLeft, dueAt, message };
    }
    await recordJobAttempt(trx, row.id, { attempts, retriesLeft: 0, dueAt: row.dueAt, lastError: message });
    // A timer start event has no instance to hold an incident: the dead job keeps last_error.
    if (!instance) return { status: 'incident', attempts, incidentId: null, message, instanceStatus: null };
    const incidentId = await openIncident(trx, {
      instanceId: instance.id,
      jobId: row.id,
      elementId: row.elementId,
      message,
      at: now,
    });
    // An effect of an instance that has already ended leaves its status as it is.
    let instanceStatus = instance.status;
    if (instanceStatus === 'active') {
      instanceStatus = 'incident';
      await setInstanceStatus(trx, instance.id, 'incident');
    }
    // Admins (and the starter) see the incident arrive.
    scope.emit({
      type: 'instance.updated',
      rooms: [],
      payload: { instanceId: instance.id, status: instanceStatus, incidentId },
    });
    return { status: 'incident', attempts, incidentId, message, instanceStatus };
  });
}
