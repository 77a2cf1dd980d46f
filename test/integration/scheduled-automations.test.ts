/**
 * Scheduled automations (定时触发) over real HTTP and Postgres: a cron schedule over a form's
 * records starts a process (and updates the record) for each record matching the FEEL filter,
 * once per (tick, record) — whether the tick job is run by an admin, raced by two executors,
 * taken over by a second node after a lost lease, or retried after a crash mid-batch — and the
 * next tick is scheduled when a tick runs. Saving validates the schedule; disabling and
 * deleting remove the pending tick. The server's own executor would run only due jobs, so
 * ticks are moved by setting their due time (no sleeps).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createJobExecutor } from '../../engine/jobs/executor.ts';
import { leaseJobById } from '../../engine/jobs/acquire.ts';
import { runTickJob } from '../../engine/automations/tick.ts';
import { configureEngineLimits, engineLimits } from '../../engine/limits.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
const records: Record<string, string> = {};

const customer = {
  type: 'object',
  required: ['name', 'tier'],
  properties: { name: { type: 'string' }, tier: { type: 'string' }, owner: { type: 'string' }, status: { type: 'string' } },
};

const scheduled = (overrides: Record<string, unknown> = {}) => ({
  name: '月度回访',
  trigger: 'schedule',
  formKey: 'sched_customer',
  schedule: { cron: '0 9 * * *' },
  filter: 'tier = "A"',
  actions: [
    { type: 'startProcess', definitionKey: 'sched_visit', businessKey: 'name', variables: { customer: 'name', owner: 'owner' } },
    { type: 'updateRecord', formKey: 'sched_customer', set: { status: '"planned"' } },
    { type: 'notify', template: 'sched_revisit_due', to: ['=owner'] },
  ],
  ...overrides,
});

/** The tick jobs of an automation, oldest first. */
const ticks = async (automationId: string) =>
  (await t.server.ctx.db('jobs').where({ type: 'automation:tick' }).whereRaw("payload->>'automationId' = ?", [automationId]).orderBy('due_at')) as Array<{
    id: string;
    due_at: Date;
    payload: { tickAt: string; started?: boolean };
  }>;

/** Instances of the scheduled process per business key. */
async function startedPerCustomer(): Promise<Record<string, number>> {
  const rows = await t.server.ctx.db('process_instances').where({ definition_key: 'sched_visit' }).select('business_key').count({ n: '*' }).groupBy('business_key');
  return Object.fromEntries(rows.map((row: any) => [row.business_key, Number(row.n)]));
}

/** The next 09:00 in Shanghai (UTC+8, no daylight saving) strictly after `after`. */
function nextShanghaiNine(after: Date): Date {
  const candidate = new Date(Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), 1, 0, 0));
  return candidate > after ? candidate : new Date(candidate.getTime() + 86_400_000);
}

const makeDue = (jobId: string) => t.server.ctx.db('jobs').where({ id: jobId }).update({ due_at: new Date(Date.now() - 1_000) });

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'sched_customer', title: '客户', schema: customer } })).status).toBe(201);
  const xml = bpmn(`<process id="sched_visit" isExecutable="true"><startEvent id="s"/><userTask id="plan"/><endEvent id="e"/>${flow('s', 'plan')}${flow('plan', 'e')}</process>`);
  expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
  const template = await t.request('PUT', '/api/templates/messages/sched_revisit_due', { token: admin, body: { channel: 'inApp', subject: '该回访了：{{name}}', body: '客户 {{name}} 到了回访时间' } });
  expect(template.status, JSON.stringify(template.body)).toBe(200);
  for (const [name, tier] of [['甲公司', 'A'], ['乙公司', 'A'], ['丙公司', 'C']]) {
    const created = await t.request('POST', '/api/forms/sched_customer/records', { token: admin, body: { data: { name, tier, owner: 'admin' } } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    records[name] = created.body.id;
  }
});

describe('saving a scheduled automation', () => {
  it.each([
    [{ schedule: { cron: '0 9 * *' } }, '/schedule/cron'],
    [{ schedule: { cron: '61 9 * * *' } }, '/schedule/cron'],
    [{ schedule: { cron: '0 9 * * *', timeZone: 'Mars/Olympus' } }, '/schedule/timeZone'],
    [{ schedule: { intervalSeconds: 30 } }, '/schedule/intervalSeconds'],
    [{ schedule: { cron: '0 9 * * *', intervalSeconds: 3600 } }, '/schedule'],
    [{ schedule: undefined }, '/schedule'],
    [{ formKey: undefined }, '/formKey'],
    [{ filter: 'tier = ' }, '/filter'],
  ])('refuses %j with 422 naming %s, and stores nothing', async (overrides, pointer) => {
    const before = (await t.request('GET', '/api/automations', { token: admin })).body.length;
    const saved = await t.request('POST', '/api/automations', { token: admin, body: scheduled(overrides) });
    expect(saved.status, JSON.stringify(saved.body)).toBe(422);
    expect(saved.body.error.details.map((d: { pointer: string }) => d.pointer)).toContain(pointer);
    expect((await t.request('GET', '/api/automations', { token: admin })).body.length).toBe(before);
  });
});

describe('a daily schedule over three customers, two of tier A', () => {
  let automationId: string;
  let firstTick: Date;

  it('is saved with its first tick at the next 09:00 Shanghai time, shown as nextRunAt', async () => {
    const before = new Date();
    const saved = await t.request('POST', '/api/automations', { token: admin, body: scheduled() });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    automationId = saved.body.id;
    expect(saved.body.schedule).toEqual({ cron: '0 9 * * *', timeZone: 'Asia/Shanghai' });
    firstTick = nextShanghaiNine(before);
    expect(saved.body.nextRunAt).toBe(firstTick.toISOString());
    const pending = await ticks(automationId);
    expect(pending.map((job) => job.due_at.toISOString())).toEqual([firstTick.toISOString()]);
    const listed = (await t.request('GET', '/api/automations', { token: admin })).body.find((a: { id: string }) => a.id === automationId);
    expect(listed.nextRunAt).toBe(firstTick.toISOString());
  });

  it('running the tick starts the process for the two matching records and schedules the next tick', async () => {
    const [tick] = await ticks(automationId);
    const run = await t.request('POST', `/api/jobs/${tick!.id}/execute`, { token: admin });
    expect(run.status, JSON.stringify(run.body)).toBe(200);
    expect(run.body.status).toBe('executed');
    expect(await startedPerCustomer()).toEqual({ 甲公司: 1, 乙公司: 1 });
    const instance = await t.server.ctx.db('process_instances').where({ definition_key: 'sched_visit', business_key: '甲公司' }).first();
    expect(instance.variables).toMatchObject({ customer: '甲公司', owner: 'admin' });
    // The record itself was updated; the tier C record was not touched.
    const status = async (name: string) => (await t.request('GET', `/api/forms/sched_customer/records/${records[name]}`, { token: admin })).body.data.status;
    expect([await status('甲公司'), await status('乙公司'), await status('丙公司')]).toEqual(['planned', 'planned', undefined]);
    // The owner field names who is told.
    const inbox = (await t.request('GET', '/api/notifications?limit=100', { token: admin })).body;
    const titles = (inbox.items ?? inbox).map((n: { title: string }) => n.title).sort();
    expect(titles).toEqual(['该回访了：乙公司', '该回访了：甲公司'].sort());
    const next = await ticks(automationId);
    expect(next.map((job) => job.payload.tickAt)).toEqual([new Date(firstTick.getTime() + 86_400_000).toISOString()]);
    expect((await t.request('GET', `/api/automations/${automationId}`, { token: admin })).body.nextRunAt).toBe(next[0]!.due_at.toISOString());
    const log = (await t.request('GET', `/api/automations/${automationId}/runs`, { token: admin })).body as Array<{ status: string; recordId: string }>;
    expect(log.map((r) => [r.status, r.recordId]).sort()).toEqual([['done', records['乙公司']], ['done', records['甲公司']]].sort());
  });

  it('two executors racing the same due tick start each process once', async () => {
    const [tick] = await ticks(automationId);
    await makeDue(tick!.id);
    const { db, events } = t.server.ctx;
    const nodes = ['node-a', 'node-b'].map((nodeId) => createJobExecutor({ db, events, nodeId, onError: () => {} }));
    const counts = await Promise.all(nodes.map((node) => node.runDueJobsOnce()));
    // The server's own executor may have won it too; either way the tick ran exactly once.
    expect(counts.reduce((sum, c) => sum + c.executed, 0)).toBeLessThanOrEqual(1);
    expect(await startedPerCustomer()).toEqual({ 甲公司: 2, 乙公司: 2 });
    expect((await ticks(automationId)).map((job) => job.payload.tickAt)).toEqual([new Date(firstTick.getTime() + 2 * 86_400_000).toISOString()]);
  });

  it('a node that lost its lease mid-tick and the node that took it over run each record once', async () => {
    const [tick] = await ticks(automationId);
    const { db, events } = t.server.ctx;
    const deps = { db, events, clock: () => new Date() };
    // Node A leased the tick and is walking its records (its start step is taken as done),
    // but stalled past its lease; node B took the tick over and runs it from the start.
    const a = await leaseJobById(db, tick!.id, { now: new Date(), owner: 'node-a', leaseMs: 1 });
    expect(a).toMatchObject({ id: tick!.id });
    const b = await leaseJobById(db, tick!.id, { now: new Date(Date.now() + 1_000), owner: 'node-b', leaseMs: 60_000 });
    expect(b).toMatchObject({ id: tick!.id, lockedBy: 'node-b' });
    const aJob = { ...(a as Exclude<typeof a, string>), payload: { ...tick!.payload, started: true } };
    const [aDone, bDone] = await Promise.all([runTickJob(deps, aJob, 'node-a'), runTickJob(deps, b as Exclude<typeof b, string>, 'node-b')]);
    expect([aDone, bDone]).toEqual([false, true]);
    expect(await startedPerCustomer()).toEqual({ 甲公司: 3, 乙公司: 3 });
    expect((await ticks(automationId)).map((job) => job.payload.tickAt)).toEqual([new Date(firstTick.getTime() + 3 * 86_400_000).toISOString()]);
  });

  it('a crash mid-batch is retried without repeating the records already done', async () => {
    const [tick] = await ticks(automationId);
    await makeDue(tick!.id);
    const db = t.server.ctx.db;
    const [first, second] = [records['甲公司']!, records['乙公司']!].sort();
    // The second matching record (in walking order) cannot get its run row: the handler crashes after the first committed.
    await db.raw(`CREATE FUNCTION sched_test_crash() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk on fire'; END $$ LANGUAGE plpgsql`);
    await db.raw(`CREATE TRIGGER sched_test_crash BEFORE INSERT ON automation_runs FOR EACH ROW WHEN (NEW.record_id = '${second}') EXECUTE FUNCTION sched_test_crash()`);
    try {
      const failed = await t.request('POST', `/api/jobs/${tick!.id}/execute`, { token: admin });
      expect(failed.status, JSON.stringify(failed.body)).toBe(200);
      expect(failed.body).toMatchObject({ status: 'retry' });
      expect(failed.body.message).toContain('disk on fire');
    } finally {
      await db.raw('DROP TRIGGER sched_test_crash ON automation_runs');
      await db.raw('DROP FUNCTION sched_test_crash()');
    }
    const byId = Object.fromEntries(Object.entries(records).map(([name, id]) => [id, name]));
    expect(await startedPerCustomer()).toEqual({ [byId[first]!]: 4, [byId[second]!]: 3 });
    const retried = await t.request('POST', `/api/jobs/${tick!.id}/execute`, { token: admin });
    expect(retried.body.status, JSON.stringify(retried.body)).toBe('executed');
    expect(await startedPerCustomer()).toEqual({ 甲公司: 4, 乙公司: 4 });
    // One next tick, scheduled by the first attempt only.
    expect((await ticks(automationId)).map((job) => job.payload.tickAt)).toEqual([new Date(firstTick.getTime() + 4 * 86_400_000).toISOString()]);
  });

  it('changing the schedule reschedules the pending tick; disabling removes it', async () => {
    const hourly = await t.request('PUT', `/api/automations/${automationId}`, { token: admin, body: scheduled({ schedule: { intervalSeconds: 3600 } }) });
    expect(hourly.status, JSON.stringify(hourly.body)).toBe(200);
    const [pending] = await ticks(automationId);
    const inAnHour = Date.now() + 3_600_000;
    expect(Math.abs(pending!.due_at.getTime() - inAnHour)).toBeLessThan(60_000);
    expect(hourly.body.nextRunAt).toBe(pending!.due_at.toISOString());
    const disabled = await t.request('PUT', `/api/automations/${automationId}`, { token: admin, body: scheduled({ enabled: false }) });
    expect(disabled.status).toBe(200);
    expect(disabled.body.nextRunAt).toBeNull();
    expect(await ticks(automationId)).toEqual([]);
    expect((await t.request('PUT', `/api/automations/${automationId}`, { token: admin, body: scheduled() })).status).toBe(200);
    expect((await ticks(automationId)).length).toBe(1);
  });

  it('deleting the automation removes its pending tick', async () => {
    expect((await t.request('DELETE', `/api/automations/${automationId}`, { token: admin })).status).toBe(204);
    expect(await ticks(automationId)).toEqual([]);
  });
});


describe('a long list, the per-tick bound, and a filter that fails', () => {
  const RECORDS = 150;

  beforeAll(async () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' }, seen: { type: 'string' } } };
    expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'sched_many', title: '很多', schema } })).status).toBe(201);
    // Set-up only: many records at once (the tick reads them as any record).
    const form = await t.server.ctx.db('forms').where({ key: 'sched_many' }).first();
    await t.server.ctx.db('records').insert(Array.from({ length: RECORDS }, (_, n) => ({ form_key: 'sched_many', form_version: form.version ?? 1, data: { n } })));
  });

  const seen = async () => Number((await t.server.ctx.db('records').where({ form_key: 'sched_many' }).whereRaw("data->>'seen' IS NOT NULL").count({ n: '*' }))[0]!.n);

  it('stops a tick at the bound with a run saying so, and walks a list longer than one batch on the next', async () => {
    const saved = await t.request('POST', '/api/automations', {
      token: admin,
      body: { name: 'mark all', trigger: 'schedule', formKey: 'sched_many', schedule: { intervalSeconds: 3600 }, actions: [{ type: 'updateRecord', formKey: 'sched_many', set: { seen: 'string(schedule.tickAt)' } }] },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const id = saved.body.id as string;
    // The server runs in this process: its limits are this module's.
    const limits = { ...engineLimits() };
    configureEngineLimits({ ...limits, maxRecordsPerTick: 2 });
    try {
      const [tick] = await ticks(id);
      expect((await t.request('POST', `/api/jobs/${tick!.id}/execute`, { token: admin })).body.status).toBe('executed');
    } finally {
      configureEngineLimits(limits);
    }
    expect(await seen()).toBe(2);
    const log = (await t.request('GET', `/api/automations/${id}/runs`, { token: admin })).body as Array<{ status: string; recordId: string | null; error: string | null }>;
    const warning = log.filter((run) => run.recordId === null);
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatchObject({ status: 'failed' });
    expect(warning[0]!.error).toContain('More than 2 records matched this tick');

    const [next] = await ticks(id);
    expect((await t.request('POST', `/api/jobs/${next!.id}/execute`, { token: admin })).body.status).toBe('executed');
    expect(await seen()).toBe(RECORDS);
    const runsOfNext = await t.server.ctx.db('automation_runs').where({ automation_id: id, tick_at: next!.payload.tickAt, status: 'done' }).count({ n: '*' });
    expect(Number(runsOfNext[0]!.n)).toBe(RECORDS);
    expect((await t.request('DELETE', `/api/automations/${id}`, { token: admin })).status).toBe(204);
  });

  it('hands a long tick back to the executors after its time slice, and the next holder goes on from the cursor', async () => {
    const saved = await t.request('POST', '/api/automations', {
      token: admin,
      body: { name: 'count', trigger: 'schedule', formKey: 'sched_many', schedule: { intervalSeconds: 3600 }, actions: [{ type: 'updateRecord', formKey: 'sched_many', set: { seen: '"again"' } }] },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const id = saved.body.id as string;
    const { db, events } = t.server.ctx;
    const deps = { db, events, clock: () => new Date() };
    const [tick] = await ticks(id);
    const leased = await leaseJobById(db, tick!.id, { now: new Date(), owner: 'slow-node', leaseMs: 60_000 });
    // A zero slice: after the first batch the tick is handed back (due now, unleased, cursor
    // saved, executors notified) and the server's executor goes on with it.
    expect(await runTickJob(deps, leased as Exclude<typeof leased, string>, 'slow-node', 0)).toBe(true);
    const handedBack = await db('jobs').where({ id: tick!.id }).first();
    if (handedBack) {
      expect(handedBack.locked_by).not.toBe('slow-node');
      expect(handedBack.payload).toMatchObject({ started: true, after: expect.any(String) });
    }
    const again = async () => Number((await db('records').where({ form_key: 'sched_many' }).whereRaw("data->>'seen' = 'again'").count({ n: '*' }))[0]!.n);
    await eventually(async () => (await db('jobs').where({ id: tick!.id }).first()) === undefined, { message: 'the server executor to finish the tick', timeoutMs: 15_000 });
    expect(await again()).toBe(RECORDS);
    const done = await db('automation_runs').where({ automation_id: id, tick_at: tick!.payload.tickAt }).count({ n: '*' });
    expect(Number(done[0]!.n)).toBe(RECORDS);
    expect((await ticks(id)).length).toBe(1);
    expect((await t.request('DELETE', `/api/automations/${id}`, { token: admin })).status).toBe(204);
  });

  it('records a filter that fails at run time as failed runs, and the schedule goes on', async () => {
    const saved = await t.request('POST', '/api/automations', {
      token: admin,
      body: {
        name: 'too much',
        trigger: 'schedule',
        formKey: 'sched_customer',
        schedule: { cron: '*/5 * * * *', timeZone: 'UTC' },
        // Valid FEEL that exceeds the expression budget when it runs.
        filter: 'count(for i in 1..100000000 return i) > 0',
        actions: [{ type: 'updateRecord', formKey: 'sched_customer', set: { status: '"never"' } }],
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const id = saved.body.id as string;
    const [tick] = await ticks(id);
    const run = await t.request('POST', `/api/jobs/${tick!.id}/execute`, { token: admin });
    expect(run.body.status, JSON.stringify(run.body)).toBe('executed');
    const log = (await t.request('GET', `/api/automations/${id}/runs`, { token: admin })).body as Array<{ status: string; error: string }>;
    expect(log).toHaveLength(3);
    for (const entry of log) expect(entry).toMatchObject({ status: 'failed', error: expect.stringContaining('filter: ') });
    expect((await ticks(id)).map((job) => job.payload.tickAt)).toEqual([new Date(new Date(tick!.payload.tickAt).getTime() + 300_000).toISOString()]);
    const statuses = (await t.server.ctx.db('records').where({ form_key: 'sched_customer' })).map((row: { data: { status?: string } }) => row.data.status);
    expect(statuses).not.toContain('never');
  });
});
