/**
 * The daily tiering job (`tiering:daily`), run by the job executor: leased with SKIP LOCKED,
 * so one node runs each day's job. It recomputes (run.ts), then — in one transaction, and
 * only while it still holds the lease — deletes itself and enqueues the next day's run, so
 * there is always exactly one pending job per app. A failed run is retried by the executor's
 * failure policy and keeps its place; a lost lease means another holder finishes the day.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { runCommand } from '../commands/runCommand.ts';
import type { JobHandler } from '../extensions/jobHandlers.ts';
import type { AuthUser } from '../identity/types.ts';
import { insertJobs, lockJob } from '../store/jobs.ts';
import { loadAuthUser } from '../store/users.ts';
import { nextCron, parseQuartz } from '../timers/cron.ts';
import { runTiering } from './run.ts';
import { tieringSourceOf, type TieringSource } from './source.ts';

export const TIERING_JOB_TYPE = 'tiering:daily';
/** Quartz cron: every day at 02:00 in the app's time zone (a quiet hour). */
export const TIERING_CRON = '0 0 2 * * ?';

export interface TieringJobPayload {
  app: string;
  /** The admin the writes are attributed to (records.updated_by must name a user). */
  actorId: string | null;
}

export function nextTieringRun(source: TieringSource, after: Date): Date {
  return nextCron(parseQuartz(TIERING_CRON), after, source.timeZone)!;
}

function tieringJob(payload: TieringJobPayload, dueAt: Date) {
  return { id: randomUUID(), type: TIERING_JOB_TYPE, instanceId: null, executionId: null, elementId: null, dueAt, payload: { ...payload } };
}

/** Enqueues the app's daily run unless one is pending (call under the bootstrap lock). */
export async function ensureTieringSchedule(db: Knex, app: string, actorId: string | null, now: Date): Promise<boolean> {
  const source = tieringSourceOf(app);
  if (!source) return false;
  const pending = await db('jobs').where({ type: TIERING_JOB_TYPE }).whereRaw("payload->>'app' = ?", [app]).first('id');
  if (pending) return false;
  await insertJobs(db, [tieringJob({ app, actorId }, nextTieringRun(source, now))]);
  return true;
}

/** Who the job acts as: the admin who scheduled it, or else the longest-standing active admin. */
async function tieringActor(db: Knex, actorId: string | null): Promise<AuthUser> {
  const scheduledBy = actorId ? await loadAuthUser(db, actorId) : undefined;
  if (scheduledBy?.role === 'admin') return scheduledBy;
  const admin = await db('users').where({ role: 'admin', active: true }).orderBy('created_at').first('id');
  const user = admin ? await loadAuthUser(db, admin.id) : undefined;
  if (!user) throw new Error('tiering: there is no active admin to attribute the writes to');
  return user;
}

export const tieringJobHandler: JobHandler = async ({ deps, job, owner }) => {
  const payload = job.payload as TieringJobPayload;
  const source = tieringSourceOf(payload.app);
  if (!source) throw new Error(`tiering: no tiering for app "${payload.app}"`);
  await runTiering(deps, source, await tieringActor(deps.db, payload.actorId ?? null));
  const outcome = await runCommand(deps, async (_uow, scope) => {
    const row = await lockJob(scope.trx, job.id);
    if (!row) return 'gone' as const;
    if (row.lockedBy !== owner) return 'lease_lost' as const;
    await scope.trx('jobs').where({ id: job.id }).delete();
    // From the later of now and the due time: a manual run ahead of time does not run twice in a day.
    const from = new Date(Math.max(deps.clock().getTime(), row.dueAt.getTime()));
    await insertJobs(scope.trx, [tieringJob({ app: payload.app, actorId: payload.actorId ?? null }, nextTieringRun(source, from))]);
    return 'ran' as const;
  });
  return outcome === 'ran' ? { ran: true } : { ran: false, reason: outcome };
};
