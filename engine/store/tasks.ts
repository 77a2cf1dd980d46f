/** Queries on `tasks` and `task_actions`. */
import type { Db } from '../db/connection.ts';
import { insertChunked } from './chunks.ts';
import { preparedName } from '../db/prepared.ts';
import { toInstanceRow, type InstanceRow } from './instances.ts';
import type { NewTask } from '../runtime/instanceRun.ts';

/** A stored task: what the engine created, plus how it ended. */
export interface TaskRow extends NewTask {
  status: 'open' | 'completed' | 'cancelled';
  /** An open task put on hold (前加签): in nobody's todo, not actionable, until it re-opens. */
  held: boolean;
  endedAt: Date | null;
  completedBy: string | null;
}

export function toTaskRow(row: any): TaskRow {
  return {
    id: row.id,
    instanceId: row.instance_id,
    executionId: row.execution_id,
    elementId: row.element_id,
    name: row.name,
    formKey: row.form_key,
    assignee: row.assignee,
    candidateUsers: row.candidate_users,
    candidateGroups: row.candidate_groups,
    priority: row.priority,
    dueAt: row.due_at,
    status: row.status,
    held: row.held === true,
    createdAt: row.created_at,
    endedAt: row.ended_at,
    completedBy: row.completed_by,
  };
}

const TASK_COLUMNS = ['id', 'instance_id', 'execution_id', 'element_id', 'name', 'form_key', 'assignee', 'candidate_users', 'candidate_groups',
  'priority', 'due_at', 'status', 'held', 'created_at', 'ended_at', 'completed_by'];

const INSTANCE_COLUMNS = ['id', 'definition_id', 'definition_key', 'business_key', 'status', 'parent_instance_id', 'parent_execution_id',
  'started_by', 'started_at', 'ended_at', 'variables', 'state', 'rev'];
// The latest version of the task's form comes along: completing validates against it. Columns
// are listed, not `i.*`: the statement is prepared per connection (db/prepared.ts).
const LOCK_TASK_WITH_INSTANCE = `SELECT ${INSTANCE_COLUMNS.map((column) => `i.${column}`).join(', ')},
       (SELECT s.assignee FROM tasks s WHERE s.id = ?) AS seen__assignee,
       ${TASK_COLUMNS.map((column) => `t.${column} AS t__${column}`).join(', ')},
       (SELECT f.latest_version FROM forms f WHERE f.key = t.form_key) AS form__latest_version
  FROM process_instances i JOIN tasks t ON t.instance_id = i.id
 WHERE t.id = ?
   FOR UPDATE`;
const LOCK_TASK_WITH_INSTANCE_NAME = preparedName(LOCK_TASK_WITH_INSTANCE);

/**
 * One round trip for what every task command starts with: lock the task's instance (and the
 * task), and read both as they are once the lock is ours. Rows are locked in FROM order —
 * the instance first, as every other command does, so no new lock order — and a row a
 * concurrent command changed while we waited is re-read at its newest version (PostgreSQL's
 * EvalPlanQual for locked rows). `seenAssignee` is the task's assignee as it was when the
 * statement began, before any wait: a transfer committed meanwhile shows as a difference.
 */
export async function lockTaskWithInstance(
  trx: Db,
  taskId: string,
): Promise<{ task: TaskRow; instance: InstanceRow; seenAssignee: string | null; formLatestVersion: number | null } | null> {
  const { rows } = await trx.raw(LOCK_TASK_WITH_INSTANCE, [taskId, taskId]).options({ name: LOCK_TASK_WITH_INSTANCE_NAME });
  const row = rows[0];
  if (!row) return null;
  const task: Record<string, unknown> = {};
  for (const column of TASK_COLUMNS) task[column] = row[`t__${column}`];
  return { task: toTaskRow(task), instance: toInstanceRow(row), seenAssignee: row.seen__assignee ?? null, formLatestVersion: row.form__latest_version ?? null };
}

export async function findTask(db: Db, id: string): Promise<TaskRow | null> {
  const row = await db('tasks').where({ id }).first();
  return row ? toTaskRow(row) : null;
}

export async function insertTasks(trx: Db, tasks: NewTask[]): Promise<void> {
  await insertChunked(
    (chunk) => trx('tasks').insert(chunk),
    tasks.map((task) => ({
      id: task.id,
      instance_id: task.instanceId,
      execution_id: task.executionId,
      element_id: task.elementId,
      name: task.name,
      form_key: task.formKey,
      assignee: task.assignee,
      candidate_users: task.candidateUsers,
      candidate_groups: task.candidateGroups,
      priority: task.priority,
      due_at: task.dueAt,
      status: 'open',
      created_at: task.createdAt,
    })),
  );
}

export async function markTasksCompleted(trx: Db, completed: Map<string, string | null>, at: Date): Promise<void> {
  for (const [id, actor] of completed) {
    await trx('tasks').where({ id, status: 'open' }).update({ status: 'completed', ended_at: at, completed_by: actor });
  }
}

export async function setTaskAssignee(trx: Db, id: string, assignee: string | null): Promise<void> {
  await trx('tasks').where({ id }).update({ assignee });
}

/** Puts an open task on hold or re-opens it (add signer before). */
export async function setTaskHeld(trx: Db, id: string, held: boolean): Promise<void> {
  await trx('tasks').where({ id, status: 'open' }).update({ held });
}

/** Cancels open tasks that are no longer needed while their token stays (或签 decided). */
export async function cancelOpenTasks(trx: Db, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await trx('tasks').whereIn('id', ids).andWhere({ status: 'open' }).update({ status: 'cancelled', ended_at: at, held: false });
}

/** Current assignees of the given tasks (a transfer changes the row, not the approval state). */
export async function assigneesOfTasks(db: Db, ids: string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows: Array<{ id: string; assignee: string | null }> = await db('tasks').whereIn('id', ids).select('id', 'assignee');
  return new Map(rows.map((row) => [row.id, row.assignee]));
}

export interface TaskQuery {
  instanceId?: string;
  assignee?: string;
  candidateGroup?: string;
  candidateUser?: string;
}

/** Open tasks only, like Camunda's task query; tasks on hold are not listed. */
export async function queryOpenTasks(db: Db, query: TaskQuery): Promise<TaskRow[]> {
  const builder = db('tasks').where({ status: 'open', held: false });
  if (query.instanceId) builder.andWhere({ instance_id: query.instanceId });
  if (query.assignee) builder.andWhere({ assignee: query.assignee });
  if (query.candidateGroup) builder.andWhereRaw('? = ANY(candidate_groups)', [query.candidateGroup]);
  if (query.candidateUser) builder.andWhereRaw('? = ANY(candidate_users)', [query.candidateUser]);
  const rows = await builder.orderBy([{ column: 'created_at' }, { column: 'id' }]).limit(1000);
  return rows.map(toTaskRow);
}

export async function recordTaskAction(
  trx: Db,
  action: { taskId: string; instanceId: string; action: string; actor: string | null; comment?: string | null; details?: object },
): Promise<void> {
  await trx('task_actions').insert({
    task_id: action.taskId,
    instance_id: action.instanceId,
    action: action.action,
    actor: action.actor,
    comment: action.comment ?? null,
    details: JSON.stringify(action.details ?? {}),
  });
}

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

/** Whether `username` once held the task and handed it on (transfer): their later action on it is a race lost, not an intrusion. */
export async function wasTransferredAwayFrom(db: Db, taskId: string, username: string): Promise<boolean> {
  const row = await db('task_actions')
    .where({ task_id: taskId, action: 'transfer' })
    .whereRaw("details->>'from' = ?", [username])
    .first('seq');
  return row !== undefined;
}
