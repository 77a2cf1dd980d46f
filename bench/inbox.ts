/**
 * Inbox at scale (issue 16): `tasks` tasks (1,000,000) of `tasks / 4` instances, `users` users
 * (10,000) in 50 departments, and CC entries, made with set-based SQL. Then, for random users,
 * through the engine's own inbox code (engine/inbox/inbox.ts → engine/store/inbox.ts, what
 * `GET /api/inbox/todo` and `GET /api/inbox/counts` run):
 *
 *  - "my open tasks, first page" (待办, 20 rows, with each row's summary), and sorted by deadline;
 *  - "the tab counts" (the four badge numbers);
 *
 * next to a primary-key lookup of a task in the same run. Target: p99 < 10 ms.
 *
 * The mix: 80 % of tasks assigned to one user, 10 % offered to three candidate users, 10 % to
 * a department (candidate group); 30 % open (the offered ones unclaimed), the rest completed
 * by their assignee — keeping their candidates, as claimed and completed tasks do. Ids are made from the row number so tasks can name their instance without a join.
 */
import { connect, type Db } from '../engine/db/connection.ts';
import { createEngine } from '../engine/engine.ts';
import { EventBus } from '../engine/events.ts';
import { inboxCounts, listInbox } from '../engine/inbox/inbox.ts';
import { parsePaging } from '../engine/inbox/paging.ts';
import type { AuthUser } from '../engine/identity/types.ts';
import { loadAuthUser } from '../engine/store/users.ts';
import { analyze, generate, measure, printTimings, seeded, type Log, type Timing } from './scale.ts';

export interface InboxBenchOptions {
  url: string;
  tasks: number;
  users: number;
  runs: number;
  log: Log;
}

export const DEPARTMENTS = 50;
const TASKS_PER_INSTANCE = 4;

export const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:liuzhuan="http://liuzhuan.dev/schema/bpmn/1.0" targetNamespace="http://liuzhuan.dev/bench">
  <process id="benchInbox" isExecutable="true">
    <extensionElements><liuzhuan:summary fields="customer,amount"/></extensionElements>
    <startEvent id="start"/>
    <userTask id="review" name="审核" camunda:assignee="\${who}"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <sequenceFlow id="f2" sourceRef="review" targetRef="end"/>
  </process>
</definitions>`;

/** A uuid made from a row number and a prefix digit: rows can point at each other without a lookup. */
export const idSql = (prefix: number, expr: string) => `('${prefix}0000000-0000-4000-8000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;
/** User `n` (1-based) as SQL and as text: u00001 … */
export const userSql = (expr: string) => `'u' || lpad((${expr})::text, 5, '0')`;
export const userName = (n: number) => `u${String(n).padStart(5, '0')}`;

/** Departments, users (password login disabled: a hash no password matches) and one membership each. */
export async function makeUsers(db: Db, log: Log, users: number): Promise<void> {
  await db.raw(
    `INSERT INTO departments (code, name, name_en) SELECT 'dept' || lpad(g::text, 2, '0'), '部门' || g, 'Department ' || g FROM generate_series(1, ?::int) g`,
    [DEPARTMENTS],
  );
  await generate(log, 'users', users, (from, count) =>
    db.raw(
      `INSERT INTO users (id, username, display_name, password_hash, role)
       SELECT ${idSql(9, 'g')}, ${userSql('g')}, '用户' || g, '!bench', 'staff' FROM generate_series(?::int, ?::int) g`,
      [from, from + count - 1],
    ),
  );
  await db.raw(
    `INSERT INTO department_members (department_id, user_id)
     SELECT d.id, u.id FROM users u JOIN departments d ON d.code = 'dept' || lpad((1 + (substring(u.username from 2)::int % ?))::text, 2, '0')
      WHERE u.username LIKE 'u%'`,
    [DEPARTMENTS],
  );
}

export async function makeInboxData(db: Db, options: InboxBenchOptions, definitionId: string): Promise<void> {
  const { log, users } = options;
  const instances = Math.ceil(options.tasks / TASKS_PER_INSTANCE);
  await makeUsers(db, log, users);
  await generate(log, 'process instances', instances, (from, count) =>
    db.raw(
      `INSERT INTO process_instances (id, definition_id, definition_key, business_key, status, variables, state, started_by, started_at)
       SELECT ${idSql(1, 'g')}, ?, 'benchInbox', 'BK-' || g, CASE WHEN g % 3 = 0 THEN 'completed' ELSE 'active' END,
              jsonb_build_object('customer', '客户' || (g % 5000), 'amount', (g * 37) % 100000, 'who', ${userSql('1 + (hashint4(-g)::bigint & 2147483647) % ?')}),
              '{}'::jsonb, ${userSql('1 + (hashint4(-g)::bigint & 2147483647) % ?')}, now() - (? - g) * interval '2 minutes'
         FROM generate_series(?::int, ?::int) g`,
      [definitionId, users, users, instances, from, from + count - 1],
    ),
  );
  // k = 1 + (hash(g) mod users): the user a task belongs to, spread evenly, unrelated to g's order.
  await generate(log, 'tasks', options.tasks, (from, count) =>
    db.raw(
      `INSERT INTO tasks (id, instance_id, execution_id, element_id, name, assignee, candidate_users, candidate_groups, status, created_at, ended_at, completed_by, due_at)
       SELECT ${idSql(2, 'g')}, ${idSql(1, `1 + (g - 1) / ${TASKS_PER_INSTANCE}`)}, 'e' || g, 'review', '审核 ' || g,
              CASE WHEN open AND kind >= 2 OR NOT open THEN ${userSql('k')} END,
              CASE WHEN kind = 0 THEN ARRAY[${userSql('k')}, ${userSql('1 + (k + 1) % ?')}, ${userSql('1 + (k + 2) % ?')}] ELSE '{}'::text[] END,
              CASE WHEN kind = 1 THEN ARRAY['dept' || lpad((1 + k % ?)::text, 2, '0')] ELSE '{}'::text[] END,
              CASE WHEN open THEN 'open' ELSE 'completed' END,
              created, CASE WHEN NOT open THEN created + interval '1 hour' END, CASE WHEN NOT open THEN ${userSql('k')} END,
              CASE WHEN g % 4 = 0 THEN created + interval '3 days' END
         FROM (SELECT g, g % 10 < 3 AS open, (g / 10) % 10 AS kind, 1 + (hashint4(g)::bigint & 2147483647) % ? AS k,
                      now() - (? - g) * interval '30 seconds' AS created
                 FROM generate_series(?::int, ?::int) g) s`,
      [users, users, DEPARTMENTS, users, options.tasks, from, from + count - 1],
    ),
  );
  const cc = Math.round(options.tasks / 5);
  await generate(log, 'CC entries', cc, (from, count) =>
    db.raw(
      `INSERT INTO cc_entries (instance_id, task_id, username, from_username, created_at, read_at)
       SELECT ${idSql(1, `1 + g % ${instances}`)}, NULL, ${userSql('1 + (hashint4(g + 1000000000)::bigint & 2147483647) % ?')}, 'u00001',
              now() - (? - g) * interval '1 minute', CASE WHEN g % 2 = 0 THEN now() END
         FROM generate_series(?::int, ?::int) g`,
      [users, cc, from, from + count - 1],
    ),
  );
  log('  VACUUM ANALYZE (the state autovacuum keeps a live table in)…');
  // task_offers too (migration 051's queues, filled by tasks' triggers above): left out, it had no
  // statistics and no visibility map where autovacuum is off (this machine's server), so the
  // todo page's count fetched ~440 heap pages per request — a state autovacuum leaves no table in.
  await analyze(db, ['users', 'departments', 'department_members', 'process_instances', 'tasks', 'task_offers', 'cc_entries']);
}

/** Migration 051's triggers that keep `task_offers` (the todo box's queues). */
const OFFER_TRIGGERS = ['liuzhuan_task_offers_inserted', 'liuzhuan_task_offers_updated', 'liuzhuan_task_offers_deleted'];

/** One-row inserts (a commit each) of open tasks offered to a department and two users: what 043's indexes and 051's queue add to. */
async function oneRowTaskInserts(db: Db, count: number, from: number): Promise<number> {
  const started = performance.now();
  for (let g = from; g < from + count; g++) {
    await db.raw(
      `INSERT INTO tasks (id, instance_id, execution_id, element_id, name, candidate_groups, candidate_users, status)
       VALUES (${idSql(2, '?::int')}, ${idSql(1, '1')}, 'w', 'review', '写入', ARRAY['dept01'], ARRAY['u00001', 'u00002'], 'open')`,
      [g],
    );
  }
  const perSecond = count / ((performance.now() - started) / 1000);
  await db.raw(`DELETE FROM tasks WHERE id BETWEEN ${idSql(2, '?::int')} AND ${idSql(2, '?::int')}`, [from, from + count - 1]);
  return perSecond;
}

/** `count` random users as the engine loads them for a request (roles and department codes as groups). */
async function randomUsers(db: Db, users: number, count: number): Promise<AuthUser[]> {
  const random = seeded(16);
  const picked: AuthUser[] = [];
  for (let i = 0; i < count; i++) {
    const row = await db('users').where({ username: userName(1 + Math.floor(random() * users)) }).first('id');
    picked.push((await loadAuthUser(db, row.id))!);
  }
  return picked;
}

export async function runInboxBench(options: InboxBenchOptions): Promise<void> {
  const { log } = options;
  const db = connect(options.url, { poolMax: 4 });
  try {
    log(`inbox: ${options.tasks.toLocaleString('en')} tasks, ${options.users.toLocaleString('en')} users, ${DEPARTMENTS} departments…`);
    const definition = await createEngine({ db, events: new EventBus() }).deploy(PROCESS);
    const definitionId = (definition as { id?: string }).id ?? (await db('process_definitions').where({ key: 'benchInbox' }).first('id')).id;
    await makeInboxData(db, options, definitionId);
    const people = await randomUsers(db, options.users, 50);
    const paging = parsePaging(undefined, undefined);
    const taskIds = (await db('tasks').orderByRaw('random()').limit(50).pluck('id')) as string[];
    const pick = <T>(list: T[], i: number) => list[i % list.length]!;
    const baseline = await measure('baseline: task by primary key', options.runs, (i) => db('tasks').where({ id: pick(taskIds, i) }).first());
    const rows: Timing[] = [];
    rows.push(await measure('待办 todo, first page (listInbox)', options.runs, (i) => listInbox(db, pick(people, i), 'todo', {}, paging)));
    rows.push(await measure('tab counts (inboxCounts)', options.runs, (i) => inboxCounts(db, pick(people, i))));
    rows.push(await measure('已办 done, first page (listInbox)', options.runs, (i) => listInbox(db, pick(people, i), 'done', {}, paging)));
    // The deadline sort (and any filter) reads tasks directly, through migration 043's GIN indexes.
    rows.push(await measure('待办 todo, first page by deadline (sort=dueAt)', options.runs, (i) => listInbox(db, pick(people, i), 'todo', { sort: 'dueAt' }, paging)));
    // What migration 051's queue table costs a write of an offered (unclaimed) task: its triggers on and off.
    const write = await oneRowTaskInserts(db, 300, options.tasks + 1);
    for (const trigger of OFFER_TRIGGERS) await db.raw('ALTER TABLE tasks DISABLE TRIGGER ??', [trigger]);
    const writeWithout = await oneRowTaskInserts(db, 300, options.tasks + 1001);
    for (const trigger of OFFER_TRIGGERS) await db.raw('ALTER TABLE tasks ENABLE TRIGGER ??', [trigger]);
    const writeAgain = await oneRowTaskInserts(db, 300, options.tasks + 2001);
    log(`  write cost of 051's task_offers, one-row inserts of offered tasks (300 each): ${Math.round(write)} /s with, ${Math.round(writeWithout)} /s without, ${Math.round(writeAgain)} /s with again`);
    const counts = await inboxCounts(db, people[0]!);
    log(`  e.g. ${people[0]!.username} (${people[0]!.groups.join(', ')}): ${JSON.stringify(counts)}`);
    printTimings(log, rows, baseline, { ms: 10, of: 'p99' });
  } finally {
    await db.destroy();
  }
}
