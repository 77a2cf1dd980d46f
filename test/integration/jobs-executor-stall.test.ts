/**
 * The live executor keeps running jobs when its batch is full: wake-ups (NOTIFY, its own
 * sleep timer, a finished job) that come while every slot is taken must not end leasing for
 * good. Real clock, real Postgres, a real slow webhook receiver on 127.0.0.1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../engine/engine.ts';
import { EventBus } from '../../engine/events.ts';
import { jobBacklog } from '../../engine/jobs/health.ts';
import { useTestDatabase } from '../helpers/database.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';

const database = useTestDatabase();
let engine: Engine;

/** Answers every webhook after 300 ms; fails the first `failNext` requests with 500. */
const receiver = { url: '', delivered: 0, failNext: 0, server: undefined as Server | undefined };

beforeAll(async () => {
  engine = createEngine({ db: database.db, events: new EventBus() });
  receiver.server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const status = receiver.failNext > 0 ? 500 : 200;
      if (status === 500) receiver.failNext -= 1;
      setTimeout(() => {
        if (status === 200) receiver.delivered += 1;
        res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
      }, 300);
    });
  });
  await new Promise<void>((resolve) => receiver.server!.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/hook`;
  await engine.deploy(
    bpmn(`<process id="slowHook" isExecutable="true">
      <startEvent id="start"/>
      <serviceTask id="notify"><extensionElements><liuzhuan:effect type="webhook" url="${receiver.url}"/></extensionElements></serviceTask>
      <userTask id="review"/>
      ${flow('start', 'notify')}
      ${flow('notify', 'review')}
    </process>`),
  );
  await engine.deploy(
    bpmn(`<process id="tick" isExecutable="true">
      <startEvent id="start"/>
      <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT1S</timeDuration></timerEventDefinition></intermediateCatchEvent>
      <userTask id="after"/>
      ${flow('start', 'wait')}
      ${flow('wait', 'after')}
    </process>`),
  );
});

afterAll(async () => {
  await new Promise((resolve) => receiver.server?.close(resolve));
});

const start = async (definitionKey: string) => (await engine.startInstance({ definitionKey })).id;
const jobsLeft = async (ids: string[]) => Number((await database.db('jobs').whereIn('instance_id', ids).count({ n: '*' }))[0]!.n);

/** Until no job of `ids` is left, within a generous bound (not a speed check). */
async function allJobsRun(ids: string[]): Promise<void> {
  await eventually(
    async () => {
      expect(await jobsLeft(ids), 'jobs left').toBe(0);
      return true;
    },
    { message: 'every job to run', timeoutMs: 30_000, intervalMs: 100 },
  );
}

describe('a live executor with a full batch', () => {
  it('runs a start-up backlog and every job that arrives while all slots are busy', async () => {
    receiver.delivered = 0;
    const hooks: string[] = [];
    const timers: string[] = [];
    // A backlog before the executor starts (a restart): more than one batch.
    for (let i = 0; i < 4; i++) hooks.push(await start('slowHook'));
    for (let i = 0; i < 2; i++) timers.push(await start('tick'));
    const executor = engine.createJobExecutor({ nodeId: 'stall-test', maxConcurrency: 1, batchSize: 2 });
    executor.start();
    try {
      // More while the slow webhooks keep the batch full: each NOTIFY wakes a full executor.
      for (let i = 0; i < 4; i++) hooks.push(await start('slowHook'));
      for (let i = 0; i < 3; i++) timers.push(await start('tick'));

      await allJobsRun([...hooks, ...timers]);
      expect(receiver.delivered).toBe(hooks.length);
      for (const id of timers) expect((await engine.getInstance(id)).activeElementIds).toEqual(['after']);
      expect(executor.status()).toMatchObject({ state: 'running', running: 0, queued: 0 });
      expect(executor.status().lastLeaseAt).toBeInstanceOf(Date);
    } finally {
      await executor.stop();
    }
    expect(executor.status().state).toBe('stopped');
  }, 60_000);

  it('wakes up for a failed attempt at its back-off, not at the idle cap or the lease end', async () => {
    receiver.delivered = 0;
    receiver.failNext = 1;
    // Idle cap and lease far beyond the wait below: only a wake-up at the back-off delivers in time.
    const executor = engine.createJobExecutor({
      nodeId: 'retry-test',
      maxIdleMs: 600_000,
      leaseMs: 600_000,
      effectTimeoutMs: 10_000,
      retry: { baseMs: 200, maxMs: 1_000 },
    });
    executor.start();
    try {
      const id = await start('slowHook');
      await allJobsRun([id]);
      expect(receiver.delivered).toBe(1);
      expect(receiver.failNext).toBe(0);
    } finally {
      await executor.stop();
    }
  }, 60_000);
});

describe('the LISTEN connection', () => {
  const listenBackends = async () =>
    (await database.db.raw(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`)).rows as Array<{ pid: number }>;
  const listenWait = { timeoutMs: 20_000, intervalMs: 100 };

  it('is re-established after the server kills it, and its NOTIFYs wake the executor again', async () => {
    receiver.delivered = 0;
    // Only NOTIFY can wake it in time: the idle cap is far beyond the wait.
    const executor = engine.createJobExecutor({ nodeId: 'listen-test', maxIdleMs: 600_000 });
    executor.start();
    try {
      const [first] = await eventually(
        async () => {
          const rows = await listenBackends();
          expect(rows).toHaveLength(1);
          return rows;
        },
        { message: 'the LISTEN connection', ...listenWait },
      );
      await database.db.raw('SELECT pg_terminate_backend(?)', [first!.pid]);
      const [second] = await eventually(
        async () => {
          const rows = await listenBackends();
          expect(rows).toHaveLength(1);
          expect(rows[0]!.pid).not.toBe(first!.pid);
          return rows;
        },
        { message: 'a new LISTEN connection', ...listenWait },
      );
      expect(second!.pid).not.toBe(first!.pid);
      const id = await start('slowHook');
      await allJobsRun([id]);
      expect(receiver.delivered).toBe(1);
    } finally {
      await executor.stop();
    }
  }, 60_000);
});

describe('the due backlog /api/health reports', () => {
  it('counts due jobs no live lease holds, and how late the oldest is', async () => {
    const ids = [await start('tick'), await start('tick')];
    const jobs = await database.db('jobs').whereIn('instance_id', ids).orderBy('due_at');
    expect(jobs).toHaveLength(2);
    // Seen from 10 minutes after the first one became due; nothing runs them here.
    const at = new Date(jobs[0].due_at.getTime() + 600_000);
    const backlog = await jobBacklog(database.db, at);
    expect(backlog).toEqual({ due: 2, oldestDueLatenessMs: 600_000 });
    // A job an executor holds (live lease) is being worked on, not waiting.
    await database.db('jobs').where({ id: jobs[0].id }).update({ locked_by: 'someone', locked_until: new Date(at.getTime() + 60_000) });
    expect(await jobBacklog(database.db, at)).toEqual({ due: 1, oldestDueLatenessMs: at.getTime() - jobs[1].due_at.getTime() });
    // Seen from before they were due: no backlog.
    expect(await jobBacklog(database.db, new Date(jobs[0].due_at.getTime() - 1))).toEqual({ due: 0, oldestDueLatenessMs: 0 });
    await database.db('jobs').whereIn('instance_id', ids).delete();
  });
});
