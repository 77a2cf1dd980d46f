/**
 * An instance's open tasks are found through the instance, however many open tasks others have
 * and whatever PostgreSQL's statistics say (migration 054). The two statements that ask
 * "this instance's open tasks" — the completion's release of what its execution waited on
 * (engine/store/waits.ts) and `GET /api/tasks?instanceId=` (engine/store/tasks.ts
 * `queryOpenTasks`) — once read every open task's entry of the (status, assignee, …) index when
 * the planner had no statistics, or statistics in which open tasks looked rare: thousands of
 * buffers per completion, growing with the open tasks of everyone else.
 *
 * Here 10,000 other instances have two open tasks each, and the statements run under EXPLAIN
 * (ANALYZE, BUFFERS): before any ANALYZE of the table, and with statistics taken while all those
 * tasks were still completed. Autovacuum is off for `tasks` in this database so that the
 * statistics stay what each case says while it runs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../engine/engine.ts';
import { EventBus } from '../../engine/events.ts';
import { ADMIN, bpmn, flow } from '../helpers/engine.ts';
import { useTestDatabase } from '../helpers/database.ts';

const database = useTestDatabase();
let engine: Engine;
const OTHERS = 20_000;
/** A handful of index and heap pages; the old plan read hundreds (one per ~130 open tasks). */
const MAX_BUFFERS = 30;

const STATEMENTS = {
  'release of waits (waits.ts)': `UPDATE tasks SET status = 'cancelled', ended_at = now()
     WHERE instance_id = $1 AND status = 'open' AND execution_id = ANY($2::text[])`,
  'open tasks of an instance (queryOpenTasks)': `SELECT * FROM tasks WHERE status = 'open' AND held = false AND instance_id = $1
     ORDER BY created_at, id LIMIT 1000`,
};

let instanceId = '';
let executionId = '';

/** Shared buffers (hit + read) each statement touched, run in a transaction that is rolled back. */
async function measure(): Promise<Record<string, number>> {
  const spent: Record<string, number> = {};
  for (const [name, sql] of Object.entries(STATEMENTS)) {
    let buffers = 0;
    await database.db
      .transaction(async (trx) => {
        const { rows } = await trx.raw(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql.replace(/\$(\d)/g, '?')}`, name.startsWith('release') ? [instanceId, `{${executionId}}`] : [instanceId]);
        const plan = rows[0]['QUERY PLAN'][0].Plan;
        buffers = (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
        throw new Error('rollback');
      })
      .catch((error: Error) => {
        if (error.message !== 'rollback') throw error;
      });
    spent[name] = buffers;
  }
  return spent;
}

/** The others' tasks open (they are made completed). */
async function reopenOthers(): Promise<void> {
  await database.db('tasks').whereNot({ instance_id: instanceId }).update({ status: 'open' });
}

beforeAll(async () => {
  const db = database.db;
  await db.raw('ALTER TABLE tasks SET (autovacuum_enabled = off, toast.autovacuum_enabled = off)');
  engine = createEngine({ db, events: new EventBus() });
  await engine.deploy(
    bpmn(`<process id="lookup" isExecutable="true">
      <startEvent id="start"/><userTask id="review" camunda:assignee="\${who}"/><endEvent id="end"/>
      ${flow('start', 'review')}${flow('review', 'end')}
    </process>`),
  );
  const started = await engine.startInstance({ definitionKey: 'lookup', variables: { who: 'alice' } });
  instanceId = started.id;
  executionId = (await db('tasks').where({ instance_id: instanceId }).first('execution_id')).execution_id;
  // Others' instances, two tasks each: copies of this one's rows with new ids, assigned to 500 people.
  await db.raw(
    `INSERT INTO process_instances
     SELECT (jsonb_populate_record(NULL::process_instances, to_jsonb(i) || jsonb_build_object('id', ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))))).*
       FROM process_instances i, generate_series(1, ?::int) g WHERE i.id = ?`,
    [OTHERS / 2, instanceId],
  );
  await db.raw(
    `INSERT INTO tasks
     SELECT (jsonb_populate_record(NULL::tasks, to_jsonb(t) || jsonb_build_object(
              'id', gen_random_uuid(), 'instance_id', ('00000000-0000-4000-8000-' || lpad(to_hex((g + 1) / 2), 12, '0')),
              'assignee', 'user' || (g % 500), 'created_at', now() + g * interval '1 ms', 'status', 'completed'))).*
       FROM tasks t, generate_series(1, ?::int) g WHERE t.instance_id = ?`,
    [OTHERS, instanceId],
  );
}, 120_000);

describe('an instance’s open tasks among 20,000 of others', () => {
  it('are read in a few buffers before the table has statistics', async () => {
    const { rows } = await database.db.raw("SELECT reltuples FROM pg_class WHERE relname = 'tasks'");
    // Never analyzed (-1), or analyzed while empty (0) by the template database.
    expect(Number(rows[0].reltuples)).toBeLessThanOrEqual(0);
    await reopenOthers();
    const spent = await measure();
    for (const [name, buffers] of Object.entries(spent)) expect(buffers, name).toBeLessThanOrEqual(MAX_BUFFERS);
  });

  it('are read in a few buffers with statistics taken when no task was open', async () => {
    // As after a night of completions: ANALYZE sampled completed tasks only, then the day opened 20,000.
    await database.db('tasks').whereNot({ instance_id: instanceId }).update({ status: 'completed' });
    await database.db.raw('ANALYZE tasks');
    await reopenOthers();
    const spent = await measure();
    for (const [name, buffers] of Object.entries(spent)) expect(buffers, name).toBeLessThanOrEqual(MAX_BUFFERS);
  });

  it('the instance still completes through the engine', async () => {
    const tasks = await engine.queryTasks({ instanceId });
    expect(tasks).toHaveLength(1);
    await engine.completeTask({ taskId: tasks[0]!.id, variables: {}, actor: ADMIN });
    expect((await engine.getInstance(instanceId)).status).toBe('completed');
  });
});
