/**
 * Timers at scale (issue 16): `timers` instances (10,000) waiting on an intermediate timer
 * event, all due at once, fired by 1 and then by 3 job executors (engine/jobs/executor.ts, 4
 * slots each, as bench/jobs.ts runs them). Reports the time to fire all and jobs/s, next to a
 * baseline of plain one-row insert+delete transactions at the same parallelism, and CHECKS
 * exactly-once: each instance must have advanced once — one `next` task and one ended `wait`
 * in its history — so duplicates and misses are counted and must both be 0.
 *
 * The instances are made in bulk: one is started through the engine, and its rows (instance
 * with its state, waiting execution, history, timer job) are copied with set-based SQL under
 * new ids — the same rows `timers` starts would have written, in seconds.
 */
import { randomUUID } from 'node:crypto';
import { connect, type Db } from '../engine/db/connection.ts';
import { createEngine } from '../engine/engine.ts';
import { EventBus } from '../engine/events.ts';
import { createJobExecutor } from '../engine/jobs/executor.ts';
import { generate, type Log } from './scale.ts';

export interface TimersBenchOptions {
  url: string;
  timers: number;
  log: Log;
}

const SLOTS = 4;

const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://liuzhuan.dev/bench">
  <process id="benchTimers" isExecutable="true">
    <startEvent id="start"/>
    <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
    <userTask id="next" name="Next" camunda:assignee="bench"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="wait"/>
    <sequenceFlow id="f2" sourceRef="wait" targetRef="next"/>
  </process>
</definitions>`;

const idSql = (prefix: number, expr: string) => `('${prefix}0000000-0000-4000-8000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;

interface Template {
  instanceId: string;
  executionId: string;
  historyId: string;
}

/** Instances `from`…`from + count - 1` as copies of the template, their timers due at `dueAt`. */
function copyInstances(db: Db, t: Template, from: number, count: number, dueAt: Date) {
  const swap = (column: string) =>
    `replace(replace(replace(${column}::text, '${t.instanceId}', ${idSql(1, 'g')}::text), '${t.executionId}', ${idSql(3, 'g')}::text), '${t.historyId}', ${idSql(4, 'g')}::text)`;
  const range = [from, from + count - 1];
  return db.transaction(async (trx) => {
    await trx.raw(
      `INSERT INTO process_instances (id, definition_id, definition_key, status, variables, state, started_at, rev)
       SELECT ${idSql(1, 'g')}, i.definition_id, i.definition_key, i.status, i.variables, ${swap('i.state')}::jsonb, i.started_at, i.rev
         FROM process_instances i, generate_series(?::int, ?::int) g WHERE i.id = ?`,
      [...range, t.instanceId],
    );
    await trx.raw(
      `INSERT INTO activity_history (id, instance_id, execution_id, element_id, element_type, element_name, started_at, ended_at, cancelled)
       SELECT CASE WHEN h.id = ? THEN ${idSql(4, 'g')} ELSE gen_random_uuid() END, ${idSql(1, 'g')}, ${swap('h.execution_id')},
              h.element_id, h.element_type, h.element_name, h.started_at, h.ended_at, h.cancelled
         FROM activity_history h, generate_series(?::int, ?::int) g WHERE h.instance_id = ? ORDER BY g, h.seq`,
      [t.historyId, ...range, t.instanceId],
    );
    await trx.raw(
      `INSERT INTO jobs (id, type, instance_id, definition_id, execution_id, element_id, due_at, payload, retries_left)
       SELECT ${idSql(5, 'g')}, j.type, ${idSql(1, 'g')}, j.definition_id, ${swap('j.execution_id')}, j.element_id, ?, ${swap('j.payload')}::jsonb, j.retries_left
         FROM jobs j, generate_series(?::int, ?::int) g WHERE j.instance_id = ?`,
      [dueAt, ...range, t.instanceId],
    );
  });
}

/** Baseline: `count` one-row insert + delete transactions, `parallel` at a time. */
async function baseline(db: Db, count: number, parallel: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      const id = randomUUID();
      await db.transaction((trx) => trx('jobs').insert({ id, type: 'bench', due_at: new Date(Date.now() + 86_400_000), payload: '{}' }));
      await db.transaction((trx) => trx('jobs').where({ id }).delete());
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return count / ((performance.now() - started) / 1000);
}

interface Fired {
  executors: number;
  seconds: number;
  perSecond: number;
  duplicates: number;
  misses: number;
  failedJobs: number;
}

async function fire(options: TimersBenchOptions, db: Db, template: Template, executorCount: number, from: number): Promise<Fired> {
  const { log, timers } = options;
  const to = from + timers - 1;
  log(`  ${executorCount} executor(s): copying ${timers.toLocaleString('en')} waiting instances…`);
  const dueAt = new Date(Date.now() - 1000);
  await generate(log, 'instances', timers, (start, count) => copyInstances(db, template, from + start - 1, count, dueAt), 5_000);
  await db.raw('ANALYZE jobs');
  const events = new EventBus();
  const pools = Array.from({ length: executorCount }, () => connect(options.url, { poolMax: SLOTS + 2 }));
  let errors = 0;
  const executors = pools.map((pool, index) =>
    createJobExecutor({ db: pool, events, nodeId: `bench-timers-${executorCount}-${index}`, maxConcurrency: SLOTS, effects: {}, onError: () => void (errors += 1) }),
  );
  const ours = `instance_id BETWEEN ${idSql(1, String(from))} AND ${idSql(1, String(to))}`;
  const started = performance.now();
  executors.forEach((executor) => executor.start());
  let lastShown = started;
  for (;;) {
    const left = Number((await db.raw(`SELECT count(*) AS n FROM jobs WHERE ${ours} AND last_error IS NULL`)).rows[0].n);
    if (left === 0) break;
    if (performance.now() - lastShown > 10_000) {
      lastShown = performance.now();
      log(`    ${(timers - left).toLocaleString('en')} / ${timers.toLocaleString('en')} fired (${((lastShown - started) / 1000).toFixed(1)} s)`);
    }
    if (performance.now() - started > 600_000) throw new Error('timers did not fire within 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(executors.map((executor) => executor.stop()));
  await Promise.all(pools.map((pool) => pool.destroy()));
  // Exactly once: one `next` task and one ended `wait` per instance.
  const check = (
    await db.raw(
      `SELECT count(*) FILTER (WHERE tasks > 1 OR waits > 1) AS duplicates, count(*) FILTER (WHERE tasks = 0 OR waits = 0) AS misses
         FROM (SELECT i.id,
                      (SELECT count(*) FROM tasks t WHERE t.instance_id = i.id AND t.element_id = 'next') AS tasks,
                      (SELECT count(*) FROM activity_history h WHERE h.instance_id = i.id AND h.element_id = 'wait' AND h.ended_at IS NOT NULL) AS waits
                 FROM process_instances i WHERE i.id BETWEEN ${idSql(1, String(from))} AND ${idSql(1, String(to))}) s`,
    )
  ).rows[0];
  const failedJobs = Number((await db.raw(`SELECT count(*) AS n FROM jobs WHERE ${ours}`)).rows[0].n) + errors;
  return { executors: executorCount, seconds, perSecond: timers / seconds, duplicates: Number(check.duplicates), misses: Number(check.misses), failedJobs };
}

export async function runTimersBench(options: TimersBenchOptions): Promise<void> {
  const { log, timers } = options;
  const db = connect(options.url, { poolMax: 16 });
  try {
    log(`timers: ${timers.toLocaleString('en')} instances on an intermediate timer, all due at once, 1 and 3 executors × ${SLOTS} slots…`);
    const engine = createEngine({ db, events: new EventBus() });
    await engine.deploy(PROCESS);
    const instanceId = (await engine.startInstance({ definitionKey: 'benchTimers' })).id;
    const job = await db('jobs').where({ instance_id: instanceId }).first('execution_id');
    const history = await db('activity_history').where({ instance_id: instanceId, element_id: 'wait' }).first('id');
    const template: Template = { instanceId, executionId: job.execution_id, historyId: history.id };
    const count = Math.min(2000, timers);
    const base1 = await baseline(db, count, 1);
    const base12 = await baseline(db, count, 3 * SLOTS);
    const results: Fired[] = [];
    for (const [index, executors] of [1, 3].entries()) results.push(await fire(options, db, template, executors, 1 + index * timers));
    await db('process_instances').where({ id: instanceId }).delete();
    log(`  baseline one-row insert+delete: ${Math.round(base1)} /s ×1, ${Math.round(base12)} /s ×${3 * SLOTS}`);
    log('  executors  timers   fire all s   jobs/s   ÷ baseline   duplicates   misses   failed jobs');
    for (const r of results) {
      const base = r.executors === 1 ? base1 : base12;
      log(
        `  ${String(r.executors).padStart(9)}  ${String(timers).padStart(6)}  ${r.seconds.toFixed(1).padStart(10)}  ${r.perSecond.toFixed(0).padStart(7)}   ${(r.perSecond / base).toFixed(2).padStart(8)} ×  ${String(r.duplicates).padStart(10)}  ${String(r.misses).padStart(7)}  ${String(r.failedJobs).padStart(12)}`,
      );
    }
    const broken = results.filter((r) => r.duplicates || r.misses || r.failedJobs);
    log(broken.length ? `  EXACTLY-ONCE VIOLATED in ${broken.map((r) => `${r.executors} executor(s)`).join(', ')}` : '  exactly once: every instance advanced once (0 duplicates, 0 misses)');
    if (broken.length) process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}
