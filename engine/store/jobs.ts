/** Queries on `jobs`: timers and outside effects waiting to run. */
import type { Db } from '../db/connection.ts';
import { insertChunked } from './chunks.ts';
import type { NewJob } from '../runtime/instanceRun.ts';

/** The channel job executors LISTEN on; every insert (and a retry) notifies it. */
export const JOBS_CHANNEL = 'liuzhuan_jobs';

export interface JobRow {
  id: string;
  type: string;
  instanceId: string | null;
  definitionId: string | null;
  executionId: string | null;
  elementId: string | null;
  dueAt: Date;
  payload: Record<string, any>;
  retriesLeft: number;
  attempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  lastError: string | null;
}

export function toJobRow(row: any): JobRow {
  return {
    id: row.id,
    type: row.type,
    instanceId: row.instance_id,
    definitionId: row.definition_id,
    executionId: row.execution_id,
    elementId: row.element_id,
    dueAt: row.due_at,
    payload: row.payload,
    retriesLeft: row.retries_left,
    attempts: row.attempts,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    lastError: row.last_error,
  };
}

export async function insertJobs(trx: Db, jobs: Array<NewJob & { definitionId?: string | null }>): Promise<void> {
  if (jobs.length === 0) return;
  await insertChunked(
    (chunk) => trx('jobs').insert(chunk),
    jobs.map((job) => ({
      id: job.id,
      type: job.type,
      instance_id: job.instanceId,
      definition_id: job.definitionId ?? null,
      execution_id: job.executionId,
      element_id: job.elementId,
      due_at: job.dueAt,
      payload: JSON.stringify(job.payload),
    })),
  );
  await notifyJobs(trx, jobs.length);
}

/**
 * Drops the `task:*` jobs (reminders, timeouts) of tasks that were completed while their
 * token stays, e.g. one signer of a countersign: the token's other tasks keep theirs.
 */
export async function deleteTaskJobs(trx: Db, instanceId: string, taskIds: string[]): Promise<void> {
  if (taskIds.length === 0) return;
  await trx('jobs')
    .where({ instance_id: instanceId })
    .andWhereLike('type', 'task:%')
    .whereRaw("payload->>'taskId' = any(?)", [taskIds])
    .delete();
}

/** Wakes job executors (delivered on commit, so they see the rows). */
export async function notifyJobs(trx: Db, count = 1): Promise<void> {
  await trx.raw('SELECT pg_notify(?, ?)', [JOBS_CHANNEL, String(count)]);
}

export async function findJob(db: Db, id: string): Promise<JobRow | null> {
  const row = await db('jobs').where({ id }).first();
  return row ? toJobRow(row) : null;
}

export async function lockJob(trx: Db, id: string): Promise<JobRow | null> {
  const row = await trx('jobs').where({ id }).forUpdate().first();
  return row ? toJobRow(row) : null;
}

export async function listJobs(db: Db, query: { instanceId?: string }): Promise<JobRow[]> {
  const builder = db('jobs');
  if (query.instanceId) builder.where({ instance_id: query.instanceId });
  return (await builder.orderBy('due_at').limit(1000)).map(toJobRow);
}

export async function replaceTimerStartJobs(trx: Db, definitionKey: string, jobs: Array<NewJob & { definitionId: string }>): Promise<void> {
  await trx('jobs')
    .whereNull('instance_id')
    .whereIn('definition_id', trx('process_definitions').select('id').where({ key: definitionKey }))
    .delete();
  await insertJobs(trx, jobs);
}

/** After a failed attempt: count it, keep the error, set the next due time, drop the lease. */
export async function recordJobAttempt(
  trx: Db,
  id: string,
  attempt: { attempts: number; retriesLeft: number; dueAt: Date; lastError: string },
): Promise<void> {
  await trx('jobs').where({ id }).update({
    attempts: attempt.attempts,
    retries_left: attempt.retriesLeft,
    due_at: attempt.dueAt,
    last_error: attempt.lastError,
    locked_by: null,
    locked_until: null,
  });
}

/** Gives a job new retries and makes it due at `dueAt` (an incident's retry). */
export async function rearmJob(trx: Db, id: string, retries: number, dueAt: Date): Promise<void> {
  await trx('jobs').where({ id }).update({ retries_left: retries, due_at: dueAt, locked_by: null, locked_until: null });
}

/** Deletes a finished job, but only while `owner` still holds its lease; false when it lost it. */
export async function deleteLeasedJob(db: Db, id: string, owner: string): Promise<boolean> {
  return (await db('jobs').where({ id, locked_by: owner }).delete()) > 0;
}
