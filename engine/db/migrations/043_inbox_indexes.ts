/**
 * Indexes for the 待办 (todo) box at scale (issue 16, bench/inbox.ts). The box's unassigned
 * arm — open tasks nobody holds yet, offered to the caller (`candidate_users`) or to one of
 * their groups (`candidate_groups`) — was served by GIN indexes over every task
 * (candidate_groups) or every open task (candidate_users). Claimed and completed tasks keep
 * their candidates, so a department's index entries grow with its whole history and each was
 * fetched from the heap only to be thrown away by `status = 'open' AND assignee IS NULL`.
 * These partial indexes hold the unclaimed open tasks only: a department's current queue.
 *
 * Write cost: an entry per candidate while a task is open and unassigned (claiming or
 * completing it removes it); measured in docs/benchmarks.md ("Scale").
 *
 * Also found by the scale benchmarks (bench/records.ts): the safe date readings of migrations
 * 034/042 were declared PARALLEL SAFE, but their EXCEPTION block opens a subtransaction, which
 * PostgreSQL refuses in a parallel query — a record list sorted by a date field over a million
 * records got a parallel plan and failed with "cannot start subtransactions during a parallel
 * operation". PARALLEL UNSAFE keeps such queries in one process.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw(
    "CREATE INDEX IF NOT EXISTS tasks_unclaimed_candidate_groups ON tasks USING gin (candidate_groups) WHERE status = 'open' AND assignee IS NULL",
  );
  await db.raw(
    "CREATE INDEX IF NOT EXISTS tasks_unclaimed_candidate_users ON tasks USING gin (candidate_users) WHERE status = 'open' AND assignee IS NULL",
  );
  await db.raw('ALTER FUNCTION liuzhuan_try_timestamptz(text) PARALLEL UNSAFE');
  await db.raw('ALTER FUNCTION liuzhuan_try_date(text) PARALLEL UNSAFE');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('ALTER FUNCTION liuzhuan_try_date(text) PARALLEL SAFE');
  await db.raw('ALTER FUNCTION liuzhuan_try_timestamptz(text) PARALLEL SAFE');
  await db.raw('DROP INDEX IF EXISTS tasks_unclaimed_candidate_users');
  await db.raw('DROP INDEX IF EXISTS tasks_unclaimed_candidate_groups');
}
