/**
 * The inbox boxes (待办 todo, 已办 done, 我发起的 started, 抄送我的 cc) as one page query plus
 * one count per box, each served by an index from migration 010_routing, and `cc_entries`.
 */
import type { Knex } from 'knex';

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

/** Open tasks the caller may work on: theirs, or unassigned and offered to them or their groups. */
function todoBase(db: Knex, me: Caller): Knex.QueryBuilder {
  return db('tasks as t')
    .join('process_instances as i', 'i.id', 't.instance_id')
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

function base(db: Knex, box: Box, me: Caller): Knex.QueryBuilder {
  switch (box) {
    case 'todo':
      return todoBase(db, me);
    case 'done':
      return db('tasks as t').join('process_instances as i', 'i.id', 't.instance_id').where('t.completed_by', me.username);
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
  const [{ count }] = (await filtered(base(db, box, me), box, filter).count({ count: '*' })) as [{ count: number }];
  const rows = await filtered(base(db, box, me), box, filter)
    .select([...COLUMNS[box], 'i.definition_key', 'i.business_key', 'i.definition_id', 'i.variables'])
    .orderBy(orderOf(box, sort))
    .limit(paging.limit)
    .offset(paging.offset);
  return { items: rows.map((row: any) => toItem(box, row)), total: Number(count) };
}

/** All four badge numbers in one round trip; `cc` counts unread entries only. */
export async function countBoxes(db: Knex, me: Caller): Promise<Record<Box, number>> {
  const row = await db
    .select({
      todo: todoBase(db, me).count('*'),
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
