/**
 * The SQL of leasing jobs. A lease (`locked_by`, `locked_until`) is how executors on many
 * nodes share one table: `FOR UPDATE SKIP LOCKED` lets them pick disjoint rows without
 * waiting for each other, and an expired lease (a node died) makes the job acquirable again.
 * `now` is always a bound parameter from the injected clock, never SQL `now()`, so tests
 * can move time.
 */
import type { Db } from '../db/connection.ts';
import { toJobRow, type JobRow } from '../store/jobs.ts';

export interface LeaseRequest {
  now: Date;
  owner: string;
  leaseMs: number;
}

/** Leases up to `limit` due jobs in one round trip, oldest due first. */
export async function acquireDueJobs(db: Db, request: LeaseRequest & { limit: number }): Promise<JobRow[]> {
  if (request.limit <= 0) return [];
  const until = new Date(request.now.getTime() + request.leaseMs);
  const result = await db.raw(
    `WITH due AS (
       SELECT id FROM jobs
       WHERE due_at <= :now AND (locked_until IS NULL OR locked_until < :now) AND retries_left > 0
       ORDER BY due_at
       LIMIT :limit
       FOR UPDATE SKIP LOCKED
     )
     UPDATE jobs SET locked_by = :owner, locked_until = :until
     FROM due WHERE jobs.id = due.id
     RETURNING jobs.*`,
    { now: request.now, limit: request.limit, owner: request.owner, until },
  );
  // RETURNING keeps no order; run the oldest first.
  return (result.rows as any[]).map(toJobRow).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/**
 * Leases one job by id whatever its due time or retries (an admin's "execute now").
 * 'busy' when another holder's lease is still running.
 */
export async function leaseJobById(db: Db, id: string, request: LeaseRequest): Promise<JobRow | 'missing' | 'busy'> {
  const until = new Date(request.now.getTime() + request.leaseMs);
  const result = await db.raw(
    `UPDATE jobs SET locked_by = :owner, locked_until = :until
     WHERE id = :id AND (locked_until IS NULL OR locked_until < :now)
     RETURNING *`,
    { id, now: request.now, owner: request.owner, until },
  );
  if (result.rows.length > 0) return toJobRow(result.rows[0]);
  const exists = await db('jobs').where({ id }).first('id');
  return exists ? 'busy' : 'missing';
}

/** Gives back leases of jobs this owner took but did not start (graceful stop). */
export async function releaseLeases(db: Db, ids: string[], owner: string): Promise<number> {
  if (ids.length === 0) return 0;
  return db('jobs').whereIn('id', ids).where({ locked_by: owner }).update({ locked_by: null, locked_until: null });
}

/** When the next job may become acquirable (due, or its lease expiring), or null for none. */
export async function nextWakeAt(db: Db): Promise<Date | null> {
  const result = await db.raw(
    `SELECT min(greatest(due_at, coalesce(locked_until, due_at))) AS at FROM jobs WHERE retries_left > 0`,
  );
  return result.rows[0]?.at ?? null;
}
