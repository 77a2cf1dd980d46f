/**
 * Queries of scheduled automations (engine/automations/tick.ts): their `automation:tick`
 * jobs, the records a tick walks through, and the (automation, tick, record) run rows that
 * make each record's run happen once (migration 035).
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { notifyJobs } from './jobs.ts';

export const TICK_JOB_TYPE = 'automation:tick';

/** What a tick job carries; `after`/`started` are its progress, rewritten as batches commit. */
export interface TickPayload {
  automationId: string;
  /** The tick's scheduled time (ISO): part of every run row's key. */
  tickAt: string;
  /** True once the next tick was scheduled (in the transaction that set it). */
  started?: boolean;
  /** The last record id walked; records are walked in id order. */
  after?: string | null;
}

/** Inserts the tick job unless that (automation, tick) already has one (the unique index). */
export async function insertTickJob(trx: Knex, automationId: string, tickAt: Date): Promise<void> {
  const payload: TickPayload = { automationId, tickAt: tickAt.toISOString() };
  const result = await trx.raw(
    `INSERT INTO jobs (id, type, due_at, payload) VALUES (?, ?, ?, ?::jsonb)
     ON CONFLICT ((payload->>'automationId'), (payload->>'tickAt')) WHERE type = '${TICK_JOB_TYPE}' DO NOTHING`,
    [randomUUID(), TICK_JOB_TYPE, tickAt, JSON.stringify(payload)],
  );
  if (result.rowCount > 0) await notifyJobs(trx);
}

/**
 * Removes the automation's ticks that have not started. A tick already walking its records
 * (`started`) finishes: it reads the automation again at each batch and stops if it is gone
 * or disabled.
 */
export async function deletePendingTicks(trx: Knex, automationId: string): Promise<number> {
  return trx('jobs')
    .where({ type: TICK_JOB_TYPE })
    .whereRaw("payload->>'automationId' = ?", [automationId])
    .whereRaw("NOT coalesce((payload->>'started')::boolean, false)")
    .delete();
}

/** Every tick job of the automation, started or not (it is being deleted). */
export async function deleteTickJobs(trx: Knex, automationId: string): Promise<number> {
  return trx('jobs').where({ type: TICK_JOB_TYPE }).whereRaw("payload->>'automationId' = ?", [automationId]).delete();
}

/** Saves a tick's progress while `owner` holds its lease; false when the lease was lost. */
export async function saveTickProgress(trx: Knex, jobId: string, owner: string, payload: TickPayload): Promise<boolean> {
  return (await trx('jobs').where({ id: jobId, locked_by: owner }).update({ payload: JSON.stringify(payload) })) > 0;
}

/** Hands the rest of a long tick back to the executors: due now, unleased, notified. */
export async function requeueTick(trx: Knex, jobId: string, owner: string, payload: TickPayload, now: Date): Promise<boolean> {
  const updated = await trx('jobs')
    .where({ id: jobId, locked_by: owner })
    .update({ payload: JSON.stringify(payload), due_at: now, locked_by: null, locked_until: null });
  if (updated > 0) await notifyJobs(trx);
  return updated > 0;
}

/**
 * Claims the run of (automation, tick, record): inserts its row, or nothing when there is
 * one. A concurrent claimer waits on the unique index until the first commits, then finds the
 * row, so each (tick, record) runs once whatever the number of nodes or retries.
 */
export async function claimTickRun(
  trx: Knex,
  run: { automationId: string; tickAt: string; recordId: string | null; status: 'done' | 'failed'; chain: string[]; error: string | null },
): Promise<string | null> {
  const result = await trx.raw(
    `INSERT INTO automation_runs (automation_id, trigger, record_id, status, chain, error, tick_at)
     VALUES (?, 'schedule', ?, ?, ?::jsonb, ?, ?)
     ON CONFLICT (automation_id, tick_at, record_id) WHERE tick_at IS NOT NULL DO NOTHING
     RETURNING id`,
    [run.automationId, run.recordId, run.status, JSON.stringify(run.chain), run.error, run.tickAt],
  );
  return result.rows[0]?.id ?? null;
}

/** How many records of this tick have a run row (the per-tick bound counts them). */
export async function countTickRuns(db: Knex, automationId: string, tickAt: string): Promise<number> {
  const row = await db('automation_runs').where({ automation_id: automationId, tick_at: tickAt }).whereNotNull('record_id').count<{ count: string }[]>('* as count').first();
  return Number(row?.count ?? 0);
}
