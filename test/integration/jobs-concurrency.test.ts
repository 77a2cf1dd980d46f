/**
 * Many executors, one jobs table: 1,000 timers due at the same moment fire exactly once
 * with three executors, each on its own connection pool, racing for them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../engine/commands/runCommand.ts';
import { connect, type Db } from '../../engine/db/connection.ts';
import { createJobExecutor, type RunCounts } from '../../engine/jobs/executor.ts';
import { latestDefinition } from '../../engine/store/definitions.ts';
import { bpmn, flow, useEngine } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';

const t = useEngine();
const HOUR = 3600_000;
const pools: Db[] = [];

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.destroy()));
});

function executors(count: number, tag: string) {
  const url = t.engine.deps.db.client.config.connection as string;
  return Array.from({ length: count }, (_, index) => {
    const db = connect(url, { poolMax: 4 });
    pools.push(db);
    return createJobExecutor({
      db,
      events: t.engine.deps.events,
      clock: t.engine.deps.clock,
      nodeId: `${tag}-${index}`,
      maxConcurrency: 4,
      batchSize: 20,
    });
  });
}

/**
 * Starts `count` instances waiting on a one-hour timer: through the engine's own unit of work,
 * 100 starts per command, so setting up a thousand takes a few transactions, not a thousand.
 */
async function startWaiting(count: number): Promise<void> {
  const definition = (await latestDefinition(t.engine.deps.db, 'tick'))!;
  const chunks = Array.from({ length: Math.ceil(count / 100) }, (_, index) => Math.min(100, count - index * 100));
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const size = chunks[next++]!;
      await runCommand(t.engine.deps, async (uow) => {
        for (let i = 0; i < size; i++) uow.start(definition, {});
      });
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

async function firedCounts(): Promise<{ fired: number; duplicates: number; completed: number }> {
  const db = t.engine.deps.db;
  const [{ fired }] = await db('activity_history').where({ element_id: 'end' }).count({ fired: '*' });
  const duplicates = await db('activity_history').where({ element_id: 'end' }).groupBy('instance_id').havingRaw('count(*) > 1').select('instance_id');
  const [{ completed }] = await db('process_instances').where({ definition_key: 'tick', status: 'completed' }).count({ completed: '*' });
  return { fired: Number(fired), duplicates: duplicates.length, completed: Number(completed) };
}

describe('three executors', () => {
  it('fire 1,000 timers due at the same moment exactly once (racing runDueJobsOnce)', async () => {
    await t.deploy(
      bpmn(`<process id="tick" isExecutable="true">
        <startEvent id="start"/>
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <endEvent id="end"/>
        ${flow('start', 'wait')}
        ${flow('wait', 'end')}
      </process>`),
    );
    await startWaiting(1000);
    expect(await t.engine.deps.db('jobs').count({ n: '*' })).toEqual([{ n: 1000 }]);
    t.clock.advance(HOUR);

    const counts: RunCounts[] = await Promise.all(executors(3, 'race').map((executor) => executor.runDueJobsOnce()));
    const executed = counts.reduce((sum, count) => sum + count.executed, 0);
    expect(executed).toBe(1000);
    expect(counts.reduce((sum, count) => sum + count.acquired, 0)).toBe(1000);
    expect(counts.every((count) => count.retried === 0 && count.incidents === 0 && count.skipped === 0)).toBe(true);
    // They really raced: each got a share.
    expect(counts.filter((count) => count.executed > 0).length).toBeGreaterThan(1);
    expect(await firedCounts()).toEqual({ fired: 1000, duplicates: 0, completed: 1000 });
    expect(await t.engine.deps.db('jobs').count({ n: '*' })).toEqual([{ n: 0 }]);
  }, 120_000); // 1,000 instances and their jobs: minutes on a loaded 2-core machine, not a timing check

  it('started executors woken together fire another 300 exactly once', async () => {
    await startWaiting(300);
    t.clock.advance(HOUR);
    const live = executors(3, 'live');
    for (const executor of live) executor.start();
    try {
      for (const executor of live) executor.wake();
      await eventually(
        async () => {
          const [{ n }] = await t.engine.deps.db('jobs').count({ n: '*' });
          expect(Number(n), 'jobs left').toBe(0);
          return true;
        },
        { message: 'every job to run', timeoutMs: 20_000, intervalMs: 25 },
      );
    } finally {
      await Promise.all(live.map((executor) => executor.stop()));
    }
    expect(await firedCounts()).toEqual({ fired: 1300, duplicates: 0, completed: 1300 });
  });
});
