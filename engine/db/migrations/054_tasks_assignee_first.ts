/**
 * The assigned-tasks index leads with the assignee: (assignee, status, created_at, id) instead of
 * 051's (status, assignee, created_at, id).
 *
 * Why: every completion cancels what its execution waited on with `WHERE instance_id = … AND
 * status = 'open'` (engine/store/waits.ts), and `GET /api/tasks?instanceId=` asks the same. With
 * `status` leading, the planner may answer `status = 'open'` from this index — and it did, each
 * time the statistics made open tasks look rare (they are: most tasks are completed, and an
 * ANALYZE that samples none of the open ones calls them none) or were missing: a scan of every
 * open task's entry, dead ones included until vacuum, to find the instance's one or two. In the
 * throughput benchmark that scan read 39,393 entries (517 buffers, 5.8 ms) per completion after
 * 30,000 instances, and PostgreSQL's CPU per instance doubled from round to round. With the
 * assignee first, `status = 'open'` alone cannot use this index, so an instance's tasks are
 * found through `tasks_instance_id_index`, whatever the statistics say.
 *
 * What read it keeps reading it the same way: the todo box's assigned arm and its count
 * (engine/store/inbox.ts: `assignee = ? AND status = 'open'`, in created_at order) and task
 * queries by assignee use both leading columns as equalities. The number of indexes a task
 * write maintains does not change.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw('CREATE INDEX tasks_assignee_status_created ON tasks (assignee, status, created_at, id)');
  await db.raw('DROP INDEX IF EXISTS tasks_status_assignee_created');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('CREATE INDEX IF NOT EXISTS tasks_status_assignee_created ON tasks (status, assignee, created_at, id)');
  await db.raw('DROP INDEX IF EXISTS tasks_assignee_status_created');
}
