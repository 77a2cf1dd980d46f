/**
 * Firing a job now (the job executor and `POST /api/jobs/:id/execute` both come here).
 * A timer fires its event and re-arms its cycle. A failure inside a job-triggered step is
 * not the caller's fault: it rolls back and becomes an incident on the instance.
 */
import { randomUUID } from 'node:crypto';
import { LiuzhuanError, NotFoundError, ValidationError } from '../errors.ts';
import { schedule } from '../runtime/interpreter.ts';
import { fireEvent } from '../runtime/triggers.ts';
import { scheduleTimerJob } from '../runtime/waits.ts';
import { definitionById } from '../store/definitions.ts';
import { setInstanceStatus } from '../store/instances.ts';
import { insertJobs, lockJob, recordJobFailure, type JobRow } from '../store/jobs.ts';
import { nextCycle, type TimerSchedule } from '../timers/index.ts';
import type { UnitOfWork } from '../runtime/unitOfWork.ts';
import { runCommand, type CommandDeps } from './runCommand.ts';

export type JobOutcome =
  | { status: 'executed'; jobId: string; instanceId: string | null }
  | { status: 'incident'; jobId: string; instanceId: string | null; incidentId: string; message: string };

export async function executeJob(deps: CommandDeps, jobId: string): Promise<JobOutcome> {
  let job: JobRow | null = null;
  try {
    return await runCommand(deps, async (uow) => {
      job = await lockJob(uow.trx, jobId);
      if (!job) throw new NotFoundError(`Job ${jobId} does not exist (it may have run already)`);
      await fireJob(uow, job, deps.clock());
      return { status: 'executed' as const, jobId, instanceId: job.instanceId };
    });
  } catch (error) {
    const failed = job as JobRow | null;
    if (!failed || error instanceof NotFoundError || !failed.instanceId) throw error;
    return raiseIncident(deps, failed, error as Error);
  }
}

async function fireJob(uow: UnitOfWork, job: JobRow, now: Date): Promise<void> {
  if (job.type !== 'timer') {
    throw new ValidationError(`Jobs of type "${job.type}" are run by the job executor`, [], 'unsupported_job');
  }
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

async function raiseIncident(deps: CommandDeps, job: JobRow, error: Error): Promise<JobOutcome> {
  const message = error instanceof LiuzhuanError ? error.message : `Unexpected error: ${error.message}`;
  const incidentId = randomUUID();
  await deps.db.transaction(async (trx) => {
    await trx('incidents').insert({
      id: incidentId,
      instance_id: job.instanceId,
      job_id: job.id,
      element_id: job.elementId,
      message,
    });
    await setInstanceStatus(trx, job.instanceId!, 'incident');
    await recordJobFailure(trx, job.id, message);
  });
  deps.events.publish([{ type: 'instance.updated', rooms: [], payload: { instanceId: job.instanceId, status: 'incident' } }]);
  return { status: 'incident', jobId: job.id, instanceId: job.instanceId, incidentId, message };
}
