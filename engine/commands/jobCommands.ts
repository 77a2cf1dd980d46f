/**
 * The job commands. `fireJob` fires one leased timer job in one transaction (the job row is
 * deleted in the same commit as the step it caused, which is what makes a timer fire exactly
 * once); `retryIncident` gives a dead job new retries. What happens when a job fails —
 * retry with back-off, then an incident — is the executor's policy (engine/jobs/failures.ts),
 * kept apart so timers and outside effects share it.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.ts';
import { schedule } from '../runtime/interpreter.ts';
import { fireEvent } from '../runtime/triggers.ts';
import { scheduleTimerJob } from '../runtime/waits.ts';
import { definitionById } from '../store/definitions.ts';
import { countOpenIncidents, lockIncident, resolveIncidents } from '../store/incidents.ts';
import { lockInstance, setInstanceStatus } from '../store/instances.ts';
import { findJob, insertJobs, lockJob, notifyJobs, rearmJob, type JobRow } from '../store/jobs.ts';
import { nextCycle, type TimerSchedule } from '../timers/index.ts';
import type { UnitOfWork } from '../runtime/unitOfWork.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export type FireResult =
  | { fired: true; instanceId: string | null }
  | { fired: false; reason: 'gone' | 'lease_lost' };

/**
 * Fires the timer job `jobId` if `owner` still holds its lease. Throws whatever the step
 * throws (e.g. an exclusive gateway with no path); the caller applies the failure policy.
 */
export async function fireJob(deps: CommandDeps, jobId: string, owner: string): Promise<FireResult> {
  return runCommand(deps, async (uow): Promise<FireResult> => {
    // Lock the instance before the job row, in the order every other command locks them.
    const peek = await findJob(uow.trx, jobId);
    if (!peek) return { fired: false, reason: 'gone' };
    if (peek.instanceId) await uow.load(peek.instanceId);
    // The row lock makes a second node that raced us here wait, then find the row gone.
    const job = await lockJob(uow.trx, jobId);
    if (!job) return { fired: false, reason: 'gone' };
    if (job.lockedBy !== owner) return { fired: false, reason: 'lease_lost' };
    await fireTimer(uow, job, deps.clock());
    return { fired: true, instanceId: job.instanceId };
  });
}

async function fireTimer(uow: UnitOfWork, job: JobRow, now: Date): Promise<void> {
  const schedule_ = job.payload.timer as TimerSchedule & { dueAt?: Date };
  const next = schedule_.remaining === 0 ? null : nextCycle({ ...schedule_, dueAt: job.dueAt }, now);
  if (job.instanceId === null) {
    // A timer start event: a new instance, and the cycle re-armed on the definition.
    const definition = await definitionById(uow.trx, job.definitionId!);
    if (!definition) throw new NotFoundError(`Definition ${job.definitionId} does not exist`);
    await uow.trx('jobs').where({ id: job.id }).delete();
    if (schedule_.kind === 'cycle' && next) {
      await insertJobs(uow.trx, [{ ...job, id: randomUUID(), dueAt: next.dueAt, payload: { timer: timerPayload(next) } }]);
    }
    uow.start(definition, { startEventId: job.elementId! });
    return;
  }
  const run = await uow.load(job.instanceId);
  run.deletedJobIds.add(job.id);
  const step = uow.step(run);
  if (schedule_.kind === 'cycle' && next) {
    // Re-arm first: an interrupting event releases its owner, which drops this again.
    scheduleTimerJob(step, job.executionId!, job.elementId!, next);
  }
  schedule(step, () => fireEvent(step, job.executionId!, job.elementId!, {}));
}

function timerPayload(schedule: TimerSchedule) {
  return { kind: schedule.kind, value: schedule.value, remaining: schedule.remaining };
}

export interface RetryIncidentResult {
  incidentId: string;
  jobId: string | null;
  instanceId: string;
  status: string;
}

/**
 * An admin's "retry": the incident's job gets `retries` new attempts and is due now, the
 * incident is resolved, and the instance is `active` again unless other incidents remain.
 * A running executor is woken by the NOTIFY and runs the job.
 */
export async function retryIncident(deps: CommandDeps, incidentId: string, retries = 1): Promise<RetryIncidentResult> {
  const now = deps.clock();
  const result = await deps.db.transaction(async (trx) => {
    const incident = await lockIncident(trx, incidentId);
    if (!incident) throw new NotFoundError(`Incident ${incidentId} does not exist`);
    if (incident.resolvedAt) throw new ConflictError(`Incident ${incidentId} is already resolved`, 'incident_resolved');
    // Lock order instance → job, like every command, so a concurrent step cannot deadlock us.
    const instance = await lockInstance(trx, incident.instanceId);
    if (incident.jobId && (await lockJob(trx, incident.jobId))) {
      await rearmJob(trx, incident.jobId, Math.max(1, retries), now);
      await notifyJobs(trx);
    }
    await resolveIncidents(trx, [incident.id], now);
    let status = instance?.status ?? 'active';
    if (status === 'incident' && (await countOpenIncidents(trx, incident.instanceId)) === 0) {
      status = 'active';
      await setInstanceStatus(trx, incident.instanceId, status);
    }
    return { incidentId, jobId: incident.jobId, instanceId: incident.instanceId, status };
  });
  deps.events.publish([{ type: 'instance.updated', rooms: [], payload: { instanceId: result.instanceId, status: result.status } }]);
  return result;
}
