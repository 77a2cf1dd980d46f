/**
 * The 待办 (todo) box read from `task_offers` (migration 051) gives the answer the box's
 * definition gives: the caller's open tasks that are not on hold and are assigned to them, or
 * unassigned and offered to them or to one of their groups. A small set of tasks in every such
 * state (assigned, offered by name, by group, by both, held, claimed by someone else,
 * completed, cancelled; equal creation times; with and without deadlines) is compared, for
 * several callers, page sizes, pages and sorts, with that definition evaluated here on all the
 * rows — before and after the writes that move a task in or out of a queue (claim, release,
 * hold, complete, new candidates, deletion with the instance).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BOXES, countBoxes, queryBox, type BoxSort, type Caller } from '../../engine/store/inbox.ts';
import { setTaskAssignee, setTaskHeld } from '../../engine/store/tasks.ts';
import { createEngine } from '../../engine/engine.ts';
import { EventBus } from '../../engine/events.ts';
import { useTestDatabase } from '../helpers/database.ts';
import { bpmn, flow } from '../helpers/engine.ts';

const database = useTestDatabase();

const callers: Caller[] = [
  { username: 'alice', groups: ['staff', 'dept-a'] },
  { username: 'bob', groups: ['staff', 'dept-b'] },
  { username: 'carol', groups: ['dept-a'] },
  { username: 'dave', groups: [] },
];

interface Row {
  id: string;
  assignee: string | null;
  candidate_users: string[];
  candidate_groups: string[];
  status: string;
  held: boolean;
  created_at: Date;
  due_at: Date | null;
}

/** The todo box's definition, on every row (engine/store/inbox.ts `todoTasks`). */
function expected(rows: Row[], me: Caller, sort: BoxSort | undefined): Row[] {
  const mine = rows.filter(
    (row) =>
      row.status === 'open' &&
      !row.held &&
      (row.assignee === me.username || (row.assignee === null && (row.candidate_users.includes(me.username) || row.candidate_groups.some((group) => me.groups.includes(group))))),
  );
  const byCreated = (a: Row, b: Row) => a.created_at.getTime() - b.created_at.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const sign = sort?.order === 'desc' ? -1 : 1;
  if (sort?.column === 'dueAt') {
    // Deadlines first whichever way, then the default order (created_at, id ascending).
    return mine.sort((a, b) => {
      if (a.due_at && b.due_at) return sign * (a.due_at.getTime() - b.due_at.getTime()) || byCreated(a, b);
      if (a.due_at || b.due_at) return a.due_at ? -1 : 1;
      return byCreated(a, b);
    });
  }
  return mine.sort((a, b) => sign * byCreated(a, b));
}

const SORTS: (BoxSort | undefined)[] = [undefined, { column: 'createdAt', order: 'asc' }, { column: 'createdAt', order: 'desc' }, { column: 'dueAt', order: 'asc' }, { column: 'dueAt', order: 'desc' }];
const PAGES = [
  { limit: 20, offset: 0 },
  { limit: 3, offset: 0 },
  { limit: 3, offset: 3 },
  { limit: 4, offset: 9 },
  { limit: 5, offset: 200 },
];

let knex: typeof database.db;
const instanceIds: string[] = [];

async function compareAll(): Promise<number> {
  const rows: Row[] = await knex('tasks').select('id', 'assignee', 'candidate_users', 'candidate_groups', 'status', 'held', 'created_at', 'due_at');
  let compared = 0;
  for (const me of callers) {
    for (const sort of SORTS) {
      const all = expected(rows, me, sort);
      for (const paging of PAGES) {
        const page = await queryBox(knex, 'todo', me, {}, paging, sort);
        expect({ who: me.username, sort, paging, total: page.total, ids: page.items.map((item) => item.id) }).toEqual({
          who: me.username,
          sort,
          paging,
          total: all.length,
          ids: all.slice(paging.offset, paging.offset + paging.limit).map((row) => row.id),
        });
        compared += 1;
      }
    }
    expect((await countBoxes(knex, me)).todo).toBe(expected(rows, me, undefined).length);
  }
  // The queue table holds exactly the unclaimed open tasks not on hold, once per candidate.
  const offers = (await knex('task_offers').select('principal', 'task_id', 'created_at')).map((o: any) => `${o.principal} ${o.task_id} ${o.created_at.toISOString()}`).sort();
  const wanted = rows
    .filter((row) => row.status === 'open' && row.assignee === null && !row.held)
    .flatMap((row) => [...new Set([...row.candidate_users.map((u) => `u:${u}`), ...row.candidate_groups.map((g) => `g:${g}`)])].map((p) => `${p} ${row.id} ${row.created_at.toISOString()}`))
    .sort();
  expect(offers).toEqual(wanted);
  return compared;
}

beforeAll(async () => {
  knex = database.db;
  const engine = createEngine({ db: knex, events: new EventBus() });
  await engine.deploy(
    bpmn(`<process id="queue" isExecutable="true">
      <startEvent id="start"/><userTask id="work" name="Work"/><endEvent id="end"/>
      ${flow('start', 'work')}${flow('work', 'end')}
    </process>`),
  );
  for (let i = 0; i < 3; i++) instanceIds.push((await engine.startInstance({ definitionKey: 'queue' })).id);
});

describe('todo box from task_offers', () => {
  it('answers as the box is defined, for every state a task can be in, before and after the writes that move it', async () => {
    expect(BOXES).toContain('todo');
    // The engine's own tasks (one per instance, no candidates) stay out of the comparison's way.
    await knex('tasks').del();
    const base = new Date('2026-11-01T08:00:00Z').getTime();
    const states: Partial<Row>[] = [
      { assignee: 'alice' },
      { assignee: 'alice', held: true },
      { assignee: 'alice', status: 'completed' },
      { assignee: 'bob' },
      { candidate_users: ['alice'] },
      { candidate_users: ['alice', 'bob'] },
      { candidate_users: ['alice'], candidate_groups: ['dept-a'] },
      { candidate_groups: ['dept-a'] },
      { candidate_groups: ['dept-a', 'staff'] },
      { candidate_groups: ['dept-a'], held: true },
      { candidate_groups: ['dept-a'], assignee: 'bob' },
      { candidate_groups: ['dept-a'], status: 'cancelled' },
      { candidate_groups: ['dept-b'] },
      { candidate_groups: ['staff'] },
      { candidate_users: ['carol'], candidate_groups: ['dept-b'] },
    ];
    const made: string[] = [];
    for (let i = 0; i < 60; i++) {
      const state = states[i % states.length]!;
      const [row] = await knex('tasks')
        .insert({
          id: knex.raw('gen_random_uuid()'),
          instance_id: instanceIds[i % instanceIds.length],
          execution_id: `x${i}`,
          element_id: 'work',
          name: `t${i}`,
          assignee: state.assignee ?? null,
          candidate_users: state.candidate_users ?? [],
          candidate_groups: state.candidate_groups ?? [],
          status: state.status ?? 'open',
          held: state.held ?? false,
          // Every third pair shares its creation time: the id breaks the tie.
          created_at: new Date(base + Math.floor(i / 2) * 60_000 + (i % 3 === 0 ? 0 : i) * 1000),
          due_at: i % 4 === 0 ? null : new Date(base + ((i * 7919) % 97) * 3_600_000),
        })
        .returning('id');
      made.push(row.id);
    }
    expect(await compareAll()).toBeGreaterThan(0);

    // Claim (an offered task gets an assignee), release it again, put on hold and back.
    const offeredToDeptA = await knex('tasks').whereRaw("candidate_groups @> ARRAY['dept-a']").andWhere({ status: 'open' }).whereNull('assignee').pluck('id');
    await setTaskAssignee(knex, offeredToDeptA[0], 'carol');
    await setTaskAssignee(knex, offeredToDeptA[1], 'alice');
    await setTaskHeld(knex, offeredToDeptA[2], true);
    await compareAll();
    await setTaskAssignee(knex, offeredToDeptA[1], null);
    await setTaskHeld(knex, offeredToDeptA[2], false);
    const heldOffer = await knex('tasks').where({ held: true, status: 'open' }).whereNull('assignee').first('id');
    await setTaskHeld(knex, heldOffer.id, false);
    await compareAll();

    // Complete and cancel offered tasks; offer a task to new candidates; move a creation time.
    await knex('tasks').whereIn('id', offeredToDeptA.slice(3, 5)).update({ status: 'completed', ended_at: new Date(), completed_by: 'alice' });
    await knex('tasks').where({ id: offeredToDeptA[5] }).update({ status: 'cancelled', ended_at: new Date() });
    await knex('tasks').where({ id: made[4] }).update({ candidate_users: ['dave'], candidate_groups: ['dept-b'] });
    await knex('tasks').where({ id: made[7] }).update({ created_at: new Date(base - 3_600_000) });
    await compareAll();

    // Deleting an instance deletes its tasks (cascade) and their offers.
    await knex('process_instances').where({ id: instanceIds[0] }).del();
    await compareAll();
  });

  it('filters (text, one task) and the deadline sort still read tasks directly, with the same answer', async () => {
    const alice = callers[0]!;
    const all = await queryBox(knex, 'todo', alice, {}, { limit: 100, offset: 0 });
    expect(all.total).toBeGreaterThan(0);
    const one = all.items[1]!;
    const filtered = await queryBox(knex, 'todo', alice, { taskId: one.id }, { limit: 20, offset: 0 });
    expect(filtered).toMatchObject({ total: 1, items: [{ id: one.id }] });
    const named = await queryBox(knex, 'todo', alice, { q: one.name! }, { limit: 20, offset: 0 });
    expect(named.items.map((item) => item.id)).toContain(one.id);
  });
});
