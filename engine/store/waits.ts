/**
 * Dropping what released executions waited on, in one round trip: their open tasks are
 * cancelled, their subscriptions and jobs deleted, and so are jobs that fired. Runs after
 * `markTasksCompleted`, so a task completed in this command is no longer `open` here.
 */
import type { Db } from '../db/connection.ts';

export async function releaseOwnedWaits(
  trx: Db,
  release: { instanceId: string; ownerIds: string[]; firedJobIds: string[]; at: Date },
): Promise<void> {
  if (release.ownerIds.length === 0 && release.firedJobIds.length === 0) return;
  await trx.raw(
    `WITH cancelled AS (
       UPDATE tasks SET status = 'cancelled', ended_at = :at
       WHERE instance_id = :instanceId AND status = 'open' AND execution_id = ANY(:ownerIds::text[])
       RETURNING 1
     ), unsubscribed AS (
       DELETE FROM event_subscriptions
       WHERE instance_id = :instanceId AND execution_id = ANY(:ownerIds::text[])
       RETURNING 1
     )
     DELETE FROM jobs
     WHERE (instance_id = :instanceId AND execution_id = ANY(:ownerIds::text[])) OR id = ANY(:firedJobIds::uuid[])`,
    release,
  );
}
