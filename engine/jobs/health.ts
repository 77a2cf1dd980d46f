/**
 * How the job executor is doing, for `/api/health` and the admin's incidents page: the due
 * backlog in one cheap query (the `due_at` index), and whether this node's executor is
 * stalled — jobs waiting past the threshold while it has not asked for work that long.
 */
import type { Db } from '../db/connection.ts';
import type { ExecutorStatus } from './executor.ts';

/** A healthy executor leases at least once per idle cap (30 s by default) or finished job. */
export const STALL_AFTER_MS = 120_000;

export interface JobBacklog {
  /** Jobs due now that no live lease holds (what an executor could take right now). */
  due: number;
  /** How long the oldest of them has been due; 0 for none. */
  oldestDueLatenessMs: number;
}

export async function jobBacklog(db: Db, now: Date): Promise<JobBacklog> {
  const result = await db.raw(
    `SELECT count(*) AS due, min(due_at) AS oldest FROM jobs
     WHERE due_at <= :now AND retries_left > 0 AND (locked_until IS NULL OR locked_until < :now)`,
    { now },
  );
  const row = result.rows[0] as { due: number; oldest: Date | null };
  return { due: row.due, oldestDueLatenessMs: row.oldest ? Math.max(0, now.getTime() - row.oldest.getTime()) : 0 };
}

export type ExecutorState = 'running' | 'stopped' | 'stalled';

export interface ExecutorHealth {
  state: ExecutorState;
  running: number;
  queued: number;
  maxConcurrency: number;
  lastLeaseAt: string | null;
  wakeAt: string | null;
}

/** `status` undefined: no executor runs on this node. */
export function executorHealth(status: ExecutorStatus | undefined, backlog: JobBacklog | null, now: Date, stallAfterMs = STALL_AFTER_MS): ExecutorHealth {
  const late = backlog !== null && backlog.due > 0 && backlog.oldestDueLatenessMs > stallAfterMs;
  const idleTooLong = !status?.lastLeaseAt || now.getTime() - status.lastLeaseAt.getTime() > stallAfterMs;
  const state: ExecutorState = status?.state !== 'running' ? 'stopped' : late && idleTooLong ? 'stalled' : 'running';
  return {
    state,
    running: status?.running ?? 0,
    queued: status?.queued ?? 0,
    maxConcurrency: status?.maxConcurrency ?? 0,
    lastLeaseAt: status?.lastLeaseAt?.toISOString() ?? null,
    wakeAt: status?.wakeAt?.toISOString() ?? null,
  };
}

/** Jobs left late by a stalled or stopped executor make the node degraded (still serving). */
export function jobsDegraded(executor: ExecutorHealth, backlog: JobBacklog | null, stallAfterMs = STALL_AFTER_MS): boolean {
  return executor.state !== 'running' && backlog !== null && backlog.due > 0 && backlog.oldestDueLatenessMs > stallAfterMs;
}
