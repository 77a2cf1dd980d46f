/**
 * Fires one leased timer job in one transaction: the job row is deleted in the same commit as
 * the step it caused, which is what makes a timer fire exactly once. What happens when it
 * fails — retry with back-off, then an incident — is the executor's policy (engine/jobs/failures.ts).
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../errors.ts';
import { schedule } from '../runtime/interpreter.ts';
import { fireEvent } from '../runtime/triggers.ts';
import type { UnitOfWork } from '../runtime/unitOfWork.ts';
import { scheduleTimerJob } from '../runtime/waits.ts';
import { definitionById } from '../store/definitions.ts';
import { findJob, insertJobs, lockJob, type JobRow } from '../store/jobs.ts';
import { nextCycle, type TimerSchedule } from '../timers/index.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export type FireResult =
  | { fired: true; instanceId: string | null }
  | { fired: false; reason: 'gone' | 'lease_lost' };

/**
 * Fires the timer job `jobId` if `owner` still holds its lease. Throws whatever the step
 * throws (e.g. an exclusive gateway with no path); the caller applies the failure policy.
 */
export async function fireTimerJob(deps: CommandDeps, jobId: string, owner: string): Promise<FireResult> {
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

