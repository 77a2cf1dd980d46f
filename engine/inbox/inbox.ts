/**
 * The caller's inbox (待办 / 已办 / 我发起的 / 抄送我的) and CC (抄送). Boxes are always the
 * caller's own: there is no parameter to read someone else's.
 */
import type { Knex } from 'knex';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { AuthUser } from '../identity/types.ts';
import { mayReadInstance } from '../identity/instanceAccess.ts';
import { BOXES, countBoxes, insertCcEntries, markCcRead, queryBox, type Box, type BoxFilter, type BoxSort } from '../store/inbox.ts';
import type { Paging } from './paging.ts';
import { withSummaries } from './summary.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_CC = 50;

const SORTS = ['createdAt', '-createdAt', 'dueAt', '-dueAt'];

/** `sort=createdAt|-createdAt|dueAt|-dueAt` (a leading "-" is descending); deadlines are tasks' (todo, done). */
function parseSort(box: Box, sort: string | undefined): BoxSort | undefined {
  if (sort === undefined || sort === '') return undefined;
  if (!SORTS.includes(sort)) {
    throw new ValidationError(`"sort" must be one of ${SORTS.join(', ')}`, [{ pointer: 'sort', message: `unknown sort "${sort.slice(0, 40)}"` }]);
  }
  const column = sort.replace(/^-/, '') as BoxSort['column'];
  if (column === 'dueAt' && box !== 'todo' && box !== 'done') {
    throw new ValidationError('Only tasks have deadlines: sort by dueAt in the todo and done boxes', [{ pointer: 'sort', message: `no deadlines in "${box}"` }]);
  }
  return { column, order: sort.startsWith('-') ? 'desc' : 'asc' };
}

/** One page of a box, each row with its summary (summary.ts). `filter.sort` is validated here. */
export async function listInbox(db: Knex, user: AuthUser, box: string, filter: BoxFilter & { sort?: string }, paging: Paging) {
  if (!BOXES.includes(box as Box)) throw new NotFoundError(`No inbox box "${box}" (todo, done, started, cc)`);
  const { sort, ...rest } = filter;
  const order = parseSort(box as Box, sort);
  if (rest.taskId !== undefined && !UUID.test(rest.taskId)) {
    throw new ValidationError('"taskId" must be a task id', [{ pointer: 'taskId', message: 'expected a UUID' }]);
  }
  if (rest.taskId !== undefined && box === 'started') {
    throw new ValidationError('"taskId" filters the todo, done and cc boxes', [{ pointer: 'taskId', message: 'no tasks in "started"' }]);
  }
  const page = await queryBox(db, box as Box, user, rest, paging, order);
  return { items: await withSummaries(db, page.items), total: page.total };
}

export function inboxCounts(db: Knex, user: AuthUser) {
  return countBoxes(db, user);
}

function parseCcBody(body: unknown): { usernames: string[]; comment: string | null; taskId: string | null } {
  const input = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const usernames = input.usernames;
  if (!Array.isArray(usernames) || usernames.length === 0 || usernames.length > MAX_CC) {
    throw new ValidationError(`"usernames" must list 1 to ${MAX_CC} users`, [{ pointer: '/usernames', message: 'expected a non-empty array' }]);
  }
  usernames.forEach((name, index) => {
    if (typeof name !== 'string' || !name) {
      throw new ValidationError('Each username must be a non-empty string', [{ pointer: `/usernames/${index}`, message: 'expected a username' }]);
    }
  });
  if (input.comment !== undefined && input.comment !== null && typeof input.comment !== 'string') {
    throw new ValidationError('"comment" must be a string', [{ pointer: '/comment', message: 'expected a string' }]);
  }
  if (input.taskId !== undefined && input.taskId !== null && (typeof input.taskId !== 'string' || !UUID.test(input.taskId))) {
    throw new ValidationError('"taskId" must be a task id', [{ pointer: '/taskId', message: 'expected a task id' }]);
  }
  return {
    usernames: [...new Set(usernames as string[])],
    comment: (input.comment as string | undefined) ?? null,
    taskId: (input.taskId as string | undefined) ?? null,
  };
}

/**
 * Sends the instance to each named user's 抄送 box. Allowed for whoever may read the
 * instance (engine/identity/instanceAccess.ts: an admin or someone involved in it). Returns the entries and an event per recipient to publish after commit.
 */
export async function ccInstance(
  db: Knex,
  user: AuthUser,
  instanceId: string,
  body: unknown,
): Promise<{ entries: { id: string; username: string }[]; events: DomainEvent[] }> {
  const input = parseCcBody(body);
  if (!UUID.test(instanceId) || !(await db('process_instances').where({ id: instanceId }).first('id'))) {
    throw new NotFoundError(`Process instance ${instanceId} does not exist`);
  }
  if (!(await mayReadInstance(db, user, instanceId))) {
    throw new ForbiddenError('Only people involved in the instance may CC it');
  }
  if (input.taskId && !(await db('tasks').where({ id: input.taskId, instance_id: instanceId }).first('id'))) {
    throw new ValidationError('The task does not belong to the instance', [{ pointer: '/taskId', message: 'unknown task' }]);
  }
  const users: { id: string; username: string }[] = await db('users')
    .whereIn('username', input.usernames)
    .andWhere({ active: true })
    .select('id', 'username');
  const ids = new Map(users.map((row) => [row.username, row.id]));
  const unknown = input.usernames.filter((name) => !ids.has(name));
  if (unknown.length) {
    throw new ValidationError(
      'Unknown user',
      unknown.map((name) => ({ pointer: `/usernames/${input.usernames.indexOf(name)}`, message: `no active user ${name}` })),
    );
  }
  const entries = await insertCcEntries(
    db,
    input.usernames.map((username) => ({ instanceId, taskId: input.taskId, username, fromUsername: user.username, comment: input.comment })),
  );
  const events = entries.map((entry): DomainEvent => ({
    type: 'cc.created',
    rooms: [`user:${ids.get(entry.username)}`],
    payload: { ccId: entry.id, instanceId, taskId: input.taskId, from: user.username },
  }));
  return { entries, events };
}

export async function readCc(db: Knex, user: AuthUser, id: string): Promise<{ id: string; readAt: string }> {
  const read = UUID.test(id) ? await markCcRead(db, id, user.username) : undefined;
  // Someone else's entry answers 404 as well: its existence is not the caller's business.
  if (!read) throw new NotFoundError(`No CC entry ${id} in your inbox`);
  return read;
}
