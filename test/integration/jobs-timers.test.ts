/** Timers through the job executor: due by the (hand-moved) clock, retries, incidents. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobExecutor } from '../../engine/jobs/executor.ts';
import { bpmn, flow, useEngine } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';

const t = useEngine();
const HOUR = 3600_000;
let executor: JobExecutor;

beforeAll(() => {
  executor = t.engine.createJobExecutor({ nodeId: 'timers-test', retry: { baseMs: 60_000, maxMs: 600_000 } });
});

describe('timers run by the executor', () => {
  it('a boundary timer fires when the clock passes its due date and moves the token', async () => {
    await t.deploy(
      bpmn(`<process id="sla" isExecutable="true">
        <startEvent id="start"/>
        <userTask id="respond"/>
        <boundaryEvent id="late" attachedToRef="respond"><timerEventDefinition><timeDuration>PT4H</timeDuration></timerEventDefinition></boundaryEvent>
        <userTask id="escalate"/>
        <endEvent id="end"/>
        ${flow('start', 'respond')}
        ${flow('respond', 'end')}
        ${flow('late', 'escalate')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'sla' });
    t.clock.advance(3 * HOUR);
    expect(await executor.runDueJobsOnce()).toMatchObject({ acquired: 0 });
    expect(await t.active(id)).toEqual(['respond']);
    t.clock.advance(HOUR);
    expect(await executor.runDueJobsOnce()).toMatchObject({ acquired: 1, executed: 1 });
    expect(await t.active(id)).toEqual(['escalate']);
    expect(await t.engine.listJobs({ instanceId: id })).toHaveLength(0);
  });

  it('a non-interrupting R3/PT1H cycle fires three times and leaves the task open', async () => {
    await t.deploy(
      bpmn(`<process id="chaser" isExecutable="true">
        <startEvent id="start"/>
        <userTask id="work"/>
        <boundaryEvent id="remind" attachedToRef="work" cancelActivity="false"><timerEventDefinition><timeCycle>R3/PT1H</timeCycle></timerEventDefinition></boundaryEvent>
        <userTask id="chase"/>
        <endEvent id="end"/>
        ${flow('start', 'work')}
        ${flow('work', 'end')}
        ${flow('remind', 'chase')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'chaser' });
    for (let cycle = 1; cycle <= 3; cycle++) {
      t.clock.advance(HOUR);
      expect(await executor.runDueJobsOnce()).toMatchObject({ executed: 1 });
      const tasks = await t.openTasks(id);
      expect(tasks.filter((task) => task.elementId === 'chase')).toHaveLength(cycle);
      expect(tasks.filter((task) => task.elementId === 'work')).toHaveLength(1);
    }
    expect(await t.engine.listJobs({ instanceId: id })).toHaveLength(0);
    t.clock.advance(5 * HOUR);
    expect(await executor.runDueJobsOnce()).toMatchObject({ acquired: 0 });
    expect((await t.openTasks(id)).filter((task) => task.elementId === 'chase')).toHaveLength(3);
  });

  it('a started executor is woken by NOTIFY for a job that is due at once', async () => {
    await t.deploy(
      bpmn(`<process id="instant" isExecutable="true">
        <startEvent id="start"/>
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>PT0S</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <endEvent id="end"/>
        ${flow('start', 'wait')}
        ${flow('wait', 'end')}
      </process>`),
    );
    const live = t.engine.createJobExecutor({ nodeId: 'live', maxIdleMs: 60_000 });
    live.start();
    try {
      // Listening before the job is made, so that its NOTIFY has someone to wake.
      await eventually(
        async () => {
          const listening = await t.engine.deps.db.raw(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND state = 'idle'`,
          );
          expect(listening.rows).toHaveLength(1);
          return true;
        },
        { message: "the executor's LISTEN connection" },
      );
      const { id } = await t.engine.startInstance({ definitionKey: 'instant' });
      await eventually(
        async () => {
          expect(await t.status(id)).toBe('completed');
          return true;
        },
        { message: 'the timer to fire' },
      );
    } finally {
      await live.stop();
    }
  });
});

describe('a failing timer step', () => {
  it('is retried with back-off, then becomes an incident that a retry resolves', async () => {
    await t.deploy(
      bpmn(`<process id="noPath" isExecutable="true">
        <startEvent id="start"/>
        <userTask id="wait"/>
        <boundaryEvent id="late" attachedToRef="wait"><timerEventDefinition><timeDuration>PT1H</timeDuration></timerEventDefinition></boundaryEvent>
        <exclusiveGateway id="route"/>
        <userTask id="big"/>
        ${flow('start', 'wait')}
        ${flow('late', 'route')}
        ${flow('route', 'big', 'amount > 100')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'noPath', variables: { amount: 1 } });
    const [job] = await t.engine.listJobs({ instanceId: id });
    t.clock.advance(HOUR);

    expect(await executor.runDueJobsOnce()).toMatchObject({ retried: 1 });
    let row = (await t.engine.listJobs({ instanceId: id }))[0]!;
    expect(row).toMatchObject({ id: job!.id, attempts: 1, retriesLeft: 2 });
    expect(row.lastError).toContain('route');
    expect(row.dueAt.getTime() - t.clock.now.getTime()).toBe(60_000);
    expect(await executor.runDueJobsOnce()).toMatchObject({ acquired: 0 });

    t.clock.advance(60_000);
    expect(await executor.runDueJobsOnce()).toMatchObject({ retried: 1 });
    row = (await t.engine.listJobs({ instanceId: id }))[0]!;
    expect(row).toMatchObject({ attempts: 2, retriesLeft: 1 });
    expect(row.dueAt.getTime() - t.clock.now.getTime()).toBe(120_000);

    t.clock.advance(120_000);
    t.events.length = 0;
    expect(await executor.runDueJobsOnce()).toMatchObject({ incidents: 1 });
    const instance = await t.engine.getInstance(id);
    expect(instance.status).toBe('incident');
    expect(instance.activeElementIds).toEqual(['wait']);
    expect(instance.incidents).toHaveLength(1);
    expect(instance.incidents[0]).toMatchObject({ elementId: 'late' });
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'instance.updated', payload: expect.objectContaining({ instanceId: id, status: 'incident' }) }));
    // A dead job is not picked up again, however late it gets.
    t.clock.advance(24 * HOUR);
    expect(await executor.runDueJobsOnce()).toMatchObject({ acquired: 0 });

    // Executing it by hand takes the same path: still failing, still the one incident.
    expect(await t.engine.executeJob(job!.id)).toMatchObject({ status: 'incident', incidentId: instance.incidents[0]!.id });
    expect((await t.engine.listIncidents({ instanceId: id })).length).toBe(1);

    const retried = await t.engine.retryIncident(instance.incidents[0]!.id);
    expect(retried).toMatchObject({ status: 'active', jobId: job!.id });
    expect(await t.status(id)).toBe('active');
    expect((await t.engine.listJobs({ instanceId: id }))[0]).toMatchObject({ retriesLeft: 1 });
    await expect(t.engine.retryIncident(instance.incidents[0]!.id)).rejects.toMatchObject({ status: 409 });
    // Still no path: one retry, and it is an incident again.
    expect(await executor.runDueJobsOnce()).toMatchObject({ incidents: 1 });
    expect(await t.status(id)).toBe('incident');
  });

  it('executing a job by hand runs it now and a missing job answers 404', async () => {
    await t.deploy(
      bpmn(`<process id="manual" isExecutable="true">
        <startEvent id="start"/>
        <intermediateCatchEvent id="wait"><timerEventDefinition><timeDuration>P2D</timeDuration></timerEventDefinition></intermediateCatchEvent>
        <endEvent id="end"/>
        ${flow('start', 'wait')}
        ${flow('wait', 'end')}
      </process>`),
    );
    const { id } = await t.engine.startInstance({ definitionKey: 'manual' });
    const [job] = await t.engine.listJobs({ instanceId: id });
    expect(await t.engine.executeJob(job!.id)).toMatchObject({ status: 'executed' });
    expect(await t.status(id)).toBe('completed');
    await expect(t.engine.executeJob(job!.id)).rejects.toMatchObject({ status: 404 });
  });
});
