/**
 * The reads the approval layer needs from `task_actions`, `activity_history` and `users`.
 * They live here rather than in `engine/store/` only because those files belong to other
 * work in progress; move them into `store/tasks.ts`, `store/history.ts`, `store/users.ts`.
 */
import type { Db } from '../db/connection.ts';

export interface TaskActionView {
  seq: number;
  taskId: string;
  elementId: string | null;
  action: string;
  actor: string | null;
  comment: string | null;
  details: Record<string, unknown>;
  createdAt: Date;
}

/** The instance's task actions in the order they happened (the history view's log). */
export async function listTaskActions(db: Db, instanceId: string): Promise<TaskActionView[]> {
  const rows = await db('task_actions as a')
    .leftJoin('tasks as t', 't.id', 'a.task_id')
    .where('a.instance_id', instanceId)
    .orderBy('a.seq')
    .select('a.seq', 'a.task_id', 't.element_id', 'a.action', 'a.actor', 'a.comment', 'a.details', 'a.created_at');
  return rows.map((row: any) => ({
    seq: Number(row.seq),
    taskId: row.task_id,
    elementId: row.element_id ?? row.details?.elementId ?? null,
    action: row.action,
    actor: row.actor,
    comment: row.comment,
    details: row.details ?? {},
    createdAt: row.created_at,
  }));
}

/** Whether anyone but `username` has acted on a task of the instance. */
export async function someoneElseActed(db: Db, instanceId: string, username: string | null): Promise<boolean> {
  const query = db('task_actions').where({ instance_id: instanceId });
  if (username !== null) query.andWhere((q) => q.whereNot({ actor: username }).orWhereNull('actor'));
  return (await query.first('seq')) !== undefined;
}

/** Whether a token has entered `elementId` in this instance before. */
export async function elementWasEntered(db: Db, instanceId: string, elementId: string): Promise<boolean> {
  return (await db('activity_history').where({ instance_id: instanceId, element_id: elementId }).first('id')) !== undefined;
}

export async function activeUserExists(db: Db, username: string): Promise<boolean> {
  return (await db('users').where({ username, active: true }).first('id')) !== undefined;
}
