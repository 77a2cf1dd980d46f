/**
 * The failure policy shared by timers and outside effects: a failed attempt is counted, the
 * job waits an exponentially growing back-off and runs again; after the last retry it
 * becomes an incident on its instance (status `incident`, an `instance.updated` event),
 * where it stays until an admin retries it.
 */
import type { CommandDeps } from '../commands/runCommand.ts';
import { LiuzhuanError } from '../errors.ts';
import { openIncident } from '../store/incidents.ts';
import type { InstanceStatus } from '../runtime/instanceRun.ts';
import { lockInstance, setInstanceStatus } from '../store/instances.ts';
import { lockJob, recordJobAttempt, type JobRow } from '../store/jobs.ts';

export interface RetryPolicy {
  /** Back-off after the first failure; doubles with each further one. */
  baseMs: number;
  /** Upper bound of one back-off. */
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxMs: 3_600_000 };

/** Back-off after the `attempts`-th failed attempt (1-based): base · 2^(attempts-1), capped. */
export function backoffMs(attempts: number, policy: RetryPolicy): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

export function describeError(error: unknown): string {
  if (error instanceof LiuzhuanError) return error.message;
  if (error instanceof Error) {
    // fetch() hides the reason (ECONNREFUSED, timeout) in `cause`.
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error && cause.message !== error.message ? ` (${cause.message})` : '';
    return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}${detail}`.slice(0, 2000);
  }
  return String(error).slice(0, 2000);
}

export type FailureOutcome =
  | { status: 'retry'; attempts: number; retriesLeft: number; dueAt: Date; message: string }
  | { status: 'incident'; attempts: number; incidentId: string | null; message: string; instanceStatus: InstanceStatus | null }
  | { status: 'skipped'; reason: 'gone' | 'lease_lost' };

/**
 * Records a failed attempt of `job`, if `owner` still holds its lease (a job whose lease ran
 * out belongs to whoever took it next). Publishes `instance.updated` after an incident.
 */
export async function recordFailure(
  deps: CommandDeps,
  job: JobRow,
  owner: string,
  error: unknown,
  policy: RetryPolicy,
): Promise<FailureOutcome> {
  const message = describeError(error);
  const now = deps.clock();
  const outcome = await deps.db.transaction(async (trx): Promise<FailureOutcome> => {
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
    return { status: 'incident', attempts, incidentId, message, instanceStatus };
  });
  // An incident id means the job had an instance (the lines above), so its status is set too.
  if (outcome.status === 'incident' && outcome.incidentId && job.instanceId && outcome.instanceStatus) {
    deps.events.publish([
      {
        type: 'instance.updated',
        rooms: [],
        payload: { instanceId: job.instanceId, status: outcome.instanceStatus, incidentId: outcome.incidentId },
      },
    ]);
  }
  return outcome;
}
