/**
 * A flow-form record (one with `instance_id`) is the data its process instance carries: it
 * changes through the process's tasks (engine/forms/flowRecords.ts), not through the record
 * routes. So `PUT`/`DELETE` of such a record answer 409 `record_owned_by_process`:
 *
 * - to everyone but admins, always;
 * - to admins too while the instance is running (active or incident) — what the approvers
 *   decide on must not change under them; withdraw the instance or wait for it to end;
 * - after the instance has ended, an admin may correct or delete the record, and the change
 *   is written to the instance's `task_actions` log (actor, changed fields, old values).
 *
 * The instance row is locked first, so a task completing at the same moment (which writes
 * the record in its own transaction) is serialised with the admin's change.
 */
import { ConflictError } from '../errors.ts';
import type { AuthUser } from '../identity/types.ts';
import type { Db } from '../db/connection.ts';
import { lockInstance } from '../store/instances.ts';
import type { RecordView } from '../store/records.ts';
import { recordTaskAction } from '../store/tasks.ts';

const RUNNING = new Set(['active', 'incident']);

/** While its instance runs (active or incident), a flow record changes only through its tasks. */
export function instanceRunning(status: string): boolean {
  return RUNNING.has(status);
}

function ownedByProcess(record: RecordView, why: string): ConflictError {
  return new ConflictError(
    `Record ${record.id} belongs to process instance ${record.instanceId}: ${why}`,
    'record_owned_by_process',
  );
}

/** Whether the user may ever change the record outside its process: a plain record, or an admin. */
export function mayTouchFlowRecord(record: RecordView, user: AuthUser): boolean {
  return !record.instanceId || user.role === 'admin';
}

/** Before any write: refuses non-admins at once (no lock needed to say no). */
export function assertMayTouchFlowRecord(record: RecordView, user: AuthUser): void {
  if (!mayTouchFlowRecord(record, user)) {
    throw ownedByProcess(record, 'it changes only through the tasks of its process');
  }
}

/** The top-level fields whose value differs, with the old and new values (for the log). */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown> | null) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const names = new Set([...Object.keys(before), ...Object.keys(after ?? {})]);
  for (const name of names) {
    const from = before[name] ?? null;
    const to = after ? (after[name] ?? null) : null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[name] = { from, to };
  }
  return changes;
}

/**
 * Inside the write's transaction: for a flow record, locks its instance, refuses while it
 * runs and logs the admin's change. `after` is null for a delete. Plain records pass.
 */
export async function guardFlowRecordChange(
  trx: Db,
  record: RecordView,
  user: AuthUser,
  after: Record<string, unknown> | null,
): Promise<void> {
  if (!record.instanceId) return;
  assertMayTouchFlowRecord(record, user);
  const instance = await lockInstance(trx, record.instanceId);
  if (!instance) return; // the instance is gone: the record is on its own now
  if (instanceRunning(instance.status)) {
    throw ownedByProcess(record, `the instance is ${instance.status}; it changes only through its tasks until the process ends`);
  }
  await recordTaskAction(trx, {
    // Like submit and withdraw without an open task, the log row names the instance itself.
    taskId: instance.id,
    instanceId: instance.id,
    action: after ? 'record_update' : 'record_delete',
    actor: user.username,
    details: { recordId: record.id, formKey: record.formKey, changes: changedFields(record.data, after) },
  });
}
