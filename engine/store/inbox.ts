/**
 * The inbox boxes (待办 todo, 已办 done, 我发起的 started, 抄送我的 cc) as one page query plus
 * one count per box, each served by an index from migrations 010_routing and 043_inbox_indexes,
 * and `cc_entries`. bench/inbox.ts measures them at 1,000,000 tasks.
 */
import type { Knex } from 'knex';
import { preparedName } from '../db/prepared.ts';

export type Box = 'todo' | 'done' | 'started' | 'cc';
export const BOXES: Box[] = ['todo', 'done', 'started', 'cc'];

export interface Caller {
  username: string;
  groups: string[];
}

export interface BoxFilter {
  definitionKey?: string;
  q?: string;
  /** One task only (todo, done, cc): what a new-task toast reads. */
  taskId?: string;
}

/** Sortable columns; a leading "-" sorts descending (validated by engine/inbox/inbox.ts). */
export type BoxSort = { column: 'createdAt' | 'dueAt'; order: 'asc' | 'desc' };

export interface InboxItem {
  /** The task's id (todo, done), the instance's (started), the CC entry's (cc). */
  id: string;
  taskId: string | null;
  name: string | null;
  instanceId: string;
  definitionKey: string;
  businessKey: string | null;
  createdAt: string;
  endedAt: string | null;
  assignee: string | null;
  /** What the summary (engine/inbox/summary.ts) is read from; not part of the answer. */
  definitionId: string | null;
  variables: Record<string, unknown> | null;
  [extra: string]: unknown;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

/**
 * Open tasks the caller may work on: theirs, or unassigned and offered to them or their groups.
 * The unassigned arm is served by migration 043's partial GIN indexes (open, unassigned tasks
 * only), which `t.status = 'open'` plus `t.assignee IS NULL` let the planner pick.
 */
function todoTasks(db: Knex, me: Caller): Knex.QueryBuilder {
  return db('tasks as t')
    .where('t.status', 'open')
    .andWhere('t.held', false) // on hold for an added signer (前加签): nobody's todo
    .andWhere((mine) =>
      mine.where('t.assignee', me.username).orWhere((offered) =>
        offered.whereNull('t.assignee').andWhere((candidate) => {
          candidate.whereRaw('t.candidate_users @> ARRAY[?]::text[]', [me.username]);
          if (me.groups.length) {
            candidate.orWhereRaw(`t.candidate_groups && ARRAY[${me.groups.map(() => '?').join(',')}]::text[]`, me.groups);
          }
        }),
      ),
    );
}

/** The caller's queues in `task_offers` (migration 051): their username and each of their groups. */
const principalsOf = (me: Caller) => [`u:${me.username}`, ...me.groups.map((group) => `g:${group}`)];

/**
 * The todo box's task ids in order, as SQL: the caller's assigned open tasks (index
 * tasks_assignee_status_created, migration 054) and each of their queues in `task_offers` (its primary key),
 * every arm read in the page's order and cut at `limit` — the first `limit` of the union are
 * among the first `limit` of some arm — then merged; UNION drops a task offered to the caller
 * twice (by name and by group). Each arm row is (id, created_at).
 */
function todoArmsSql(me: Caller, order: 'asc' | 'desc', limit: number): { sql: string; bindings: Knex.RawBinding[] } {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const arms = [
    `(SELECT t.id, t.created_at FROM tasks t WHERE t.status = 'open' AND t.assignee = ? AND NOT t.held ORDER BY t.created_at ${dir}, t.id ${dir} LIMIT ?)`,
    ...principalsOf(me).map(() => `(SELECT o.task_id, o.created_at FROM task_offers o WHERE o.principal = ? ORDER BY o.created_at ${dir}, o.task_id ${dir} LIMIT ?)`),
  ];
  const bindings = [me.username, limit, ...principalsOf(me).flatMap((principal) => [principal, limit])];
  return { sql: arms.join(' UNION '), bindings };
}

/** How many tasks the todo box holds, as SQL: assigned ones plus distinct offered ones (index-only on task_offers). */
function todoCountSql(me: Caller): { sql: string; bindings: Knex.RawBinding[] } {
  return {
    sql: `SELECT count(*) FROM (SELECT t.id FROM tasks t WHERE t.status = 'open' AND t.assignee = ? AND NOT t.held
            UNION SELECT o.task_id FROM task_offers o WHERE o.principal = ANY (ARRAY[${principalsOf(me).map(() => '?').join(',')}]::text[])) todo`,
    bindings: [me.username, ...principalsOf(me)],
  };
}

/**
 * The todo box's page by created_at (the default order), unfiltered: ids from todoArmsSql, then
 * only the page's tasks and instances are read; the total comes from todoCountSql in the same
 * statement. Before, all of a department queue's rows were fetched from the heap and sorted.
 *
 * Prepared per connection (db/prepared.ts), one statement per order and number of principals:
 * planning this UNION of one arm per principal, the count's UNION and two joins took 0.4–0.8 ms
 * of a ~1.6 ms request on the inbox benchmark's data, re-done on every call — a third to a half
 * of the box's time. Every value is a parameter (the limits too), so each shape is planned once.
 */
async function todoPage(db: Knex, me: Caller, paging: { limit: number; offset: number }, order: 'asc' | 'desc'): Promise<any[]> {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const arms = todoArmsSql(me, order, paging.offset + paging.limit);
  const count = todoCountSql(me);
  const sql = `WITH page AS (SELECT id, created_at FROM (${arms.sql}) arms(id, created_at) ORDER BY created_at ${dir}, id ${dir} LIMIT ? OFFSET ?)
     SELECT t.id, t.name, t.element_id, t.instance_id, t.created_at, t.ended_at, t.assignee, t.due_at, (${count.sql}) AS inbox_total,
            i.definition_key, i.business_key, i.definition_id, i.variables
       FROM page JOIN tasks t ON t.id = page.id JOIN process_instances i ON i.id = t.instance_id
      ORDER BY page.created_at ${dir}, page.id ${dir}`;
  const { rows } = await db.raw(sql, [...arms.bindings, paging.limit, paging.offset, ...count.bindings]).options({ name: preparedName(sql) });
  return rows;
}

/** The box's task rows alone (todo, done): what to count and page before joining instances. */
function taskBase(db: Knex, box: 'todo' | 'done', me: Caller): Knex.QueryBuilder {
  return box === 'todo' ? todoTasks(db, me) : db('tasks as t').where('t.completed_by', me.username);
}

const withInstance = (query: Knex.QueryBuilder) => query.join('process_instances as i', 'i.id', 't.instance_id');

function base(db: Knex, box: Box, me: Caller): Knex.QueryBuilder {
  switch (box) {
    case 'todo':
    case 'done':
      return withInstance(taskBase(db, box, me));
    case 'started':
      return db('process_instances as i').where('i.started_by', me.username);
    case 'cc':
      return db('cc_entries as c')
        .join('process_instances as i', 'i.id', 'c.instance_id')
        .leftJoin('tasks as t', 't.id', 'c.task_id')
        .where('c.username', me.username);
  }
}

function filtered(query: Knex.QueryBuilder, box: Box, filter: BoxFilter): Knex.QueryBuilder {
  if (filter.definitionKey) query.andWhere('i.definition_key', filter.definitionKey);
  if (filter.taskId) query.andWhere(box === 'cc' ? 'c.task_id' : 't.id', filter.taskId);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    // `started` has no task: its "name" is the process key.
    const name = box === 'started' ? 'i.definition_key' : 't.name';
    query.andWhere((q) => q.where(name, 'ilike', pattern).orWhere('i.business_key', 'ilike', pattern));
  }
  return query;
}

const ORDER: Record<Box, { column: string; order: 'asc' | 'desc' }[]> = {
  // Oldest work first; finished and sent items newest first.
  todo: [{ column: 't.created_at', order: 'asc' }, { column: 't.id', order: 'asc' }],
  done: [{ column: 't.ended_at', order: 'desc' }, { column: 't.id', order: 'desc' }],
  started: [{ column: 'i.started_at', order: 'desc' }, { column: 'i.id', order: 'desc' }],
  cc: [{ column: 'c.created_at', order: 'desc' }, { column: 'c.id', order: 'desc' }],
};

const COLUMNS: Record<Box, string[]> = {
  todo: ['t.id', 't.name', 't.element_id', 't.instance_id', 't.created_at', 't.ended_at', 't.assignee', 't.due_at'],
  done: ['t.id', 't.name', 't.element_id', 't.instance_id', 't.created_at', 't.ended_at', 't.assignee', 't.due_at'],
  started: ['i.id', 'i.status', 'i.started_at', 'i.ended_at'],
  cc: ['c.id', 'c.task_id', 't.name', 'c.instance_id', 'c.created_at', 'c.read_at', 'c.from_username', 'c.comment', 't.assignee'],
};

/** The column behind each box's `createdAt`, for sorting by it. */
const CREATED: Record<Box, string> = { todo: 't.created_at', done: 't.created_at', started: 'i.started_at', cc: 'c.created_at' };
const ID: Record<Box, string> = { todo: 't.id', done: 't.id', started: 'i.id', cc: 'c.id' };

function orderOf(box: Box, sort: BoxSort | undefined): { column: string; order: 'asc' | 'desc'; nulls?: 'first' | 'last' }[] {
  if (!sort) return ORDER[box];
  // Tasks without a deadline come after those with one, whichever way: "what is due" first.
  if (sort.column === 'dueAt') return [{ column: 't.due_at', order: sort.order, nulls: 'last' }, ...ORDER[box]];
  return [{ column: CREATED[box], order: sort.order }, { column: ID[box], order: sort.order }];
}

function toItem(box: Box, row: any): InboxItem {
  const common = { definitionKey: row.definition_key, businessKey: row.business_key, definitionId: row.definition_id, variables: row.variables };
  switch (box) {
    case 'todo':
    case 'done':
      return {
        id: row.id,
        taskId: row.id,
        name: row.name,
        elementId: row.element_id,
        instanceId: row.instance_id,
        ...common,
        createdAt: row.created_at.toISOString(),
        endedAt: iso(row.ended_at),
        assignee: row.assignee,
        dueAt: iso(row.due_at),
      };
    case 'started':
      return {
        id: row.id,
        taskId: null,
        name: row.definition_key,
        instanceId: row.id,
        ...common,
        createdAt: row.started_at.toISOString(),
        endedAt: iso(row.ended_at),
        assignee: null,
        status: row.status,
      };
    case 'cc':
      return {
        id: row.id,
        taskId: row.task_id,
        name: row.name ?? null,
        instanceId: row.instance_id,
        ...common,
        createdAt: row.created_at.toISOString(),
        endedAt: null,
        assignee: row.assignee ?? null,
        from: row.from_username,
        comment: row.comment,
        readAt: iso(row.read_at),
      };
  }
}

export async function queryBox(
  db: Knex,
  box: Box,
  me: Caller,
  filter: BoxFilter,
  paging: { limit: number; offset: number },
  sort?: BoxSort,
): Promise<{ items: InboxItem[]; total: number }> {
  const instanceColumns = ['i.definition_key', 'i.business_key', 'i.definition_id', 'i.variables'];
  // The total rides on the page's rows (one scan of the caller's rows, not two); only a page
  // past the end has no row to carry it, and counts apart.
  const total = db.raw('count(*) OVER () AS inbox_total');
  let rows: any[];
  if (box === 'todo' && !filter.definitionKey && !filter.q && !filter.taskId && sort?.column !== 'dueAt') {
    rows = await todoPage(db, me, paging, sort?.order ?? 'asc');
  } else if ((box === 'todo' || box === 'done') && !filter.definitionKey && !filter.q) {
    // Nothing filters on the instance: page the task rows alone, then join the page's
    // instances only (every task has one: instance_id is a NOT NULL foreign key) instead of
    // each of the caller's tasks — a department's queue is hundreds.
    const page = filtered(taskBase(db, box, me), box, filter)
      .select([...COLUMNS[box], total])
      .orderBy(orderOf(box, sort))
      .limit(paging.limit)
      .offset(paging.offset);
    rows = await db
      .from(page.as('t'))
      .join('process_instances as i', 'i.id', 't.instance_id')
      .select([...COLUMNS[box], 't.inbox_total', ...instanceColumns])
      .orderBy(orderOf(box, sort));
  } else {
    rows = await filtered(base(db, box, me), box, filter)
      .select([...COLUMNS[box], ...instanceColumns, total])
      .orderBy(orderOf(box, sort))
      .limit(paging.limit)
      .offset(paging.offset);
  }
  const count = rows.length ? rows[0].inbox_total : paging.offset === 0 ? 0 : await countBox(db, box, me, filter);
  return { items: rows.map((row: any) => toItem(box, row)), total: Number(count) };
}

async function countBox(db: Knex, box: Box, me: Caller, filter: BoxFilter): Promise<number> {
  if (box === 'todo' && !filter.definitionKey && !filter.q && !filter.taskId) {
    const count = todoCountSql(me);
    const { rows } = await db.raw(count.sql, count.bindings);
    return Number(rows[0].count);
  }
  const query = (box === 'todo' || box === 'done') && !filter.definitionKey && !filter.q ? taskBase(db, box, me) : base(db, box, me);
  const [{ count }] = (await filtered(query, box, filter).count({ count: '*' })) as [{ count: number }];
  return Number(count);
}

/** All four badge numbers in one round trip; `cc` counts unread entries only. */
export async function countBoxes(db: Knex, me: Caller): Promise<Record<Box, number>> {
  const todo = todoCountSql(me);
  const row = await db
    .select({
      todo: db.raw(`(${todo.sql})`, todo.bindings),
      done: db('tasks').where('completed_by', me.username).count('*'),
      started: db('process_instances').where('started_by', me.username).count('*'),
      cc: db('cc_entries').where('username', me.username).whereNull('read_at').count('*'),
    })
    .first();
  return { todo: Number(row.todo), done: Number(row.done), started: Number(row.started), cc: Number(row.cc) };
}

export async function insertCcEntries(
  trx: Knex,
  entries: { instanceId: string; taskId: string | null; username: string; fromUsername: string; comment: string | null }[],
): Promise<{ id: string; username: string }[]> {
  return trx('cc_entries')
    .insert(
      entries.map((entry) => ({
        instance_id: entry.instanceId,
        task_id: entry.taskId,
        username: entry.username,
        from_username: entry.fromUsername,
        comment: entry.comment,
      })),
    )
    .returning(['id', 'username']);
}

/** Marks the caller's entry read (idempotent); undefined when it is not theirs or does not exist. */
export async function markCcRead(db: Knex, id: string, username: string): Promise<{ id: string; readAt: string } | undefined> {
  const [row] = await db('cc_entries')
    .where({ id, username })
    .update({ read_at: db.raw('coalesce(read_at, now())') })
    .returning(['id', 'read_at']);
  return row ? { id: row.id, readAt: row.read_at.toISOString() } : undefined;
}
