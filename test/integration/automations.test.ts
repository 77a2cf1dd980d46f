/**
 * Automations (智能助手) over real HTTP and Postgres: FEEL checked at save, a filtered
 * record.created automation, notify and webhook actions, process.finished, failures that do
 * not break the triggering request, and a two-automation loop that stops itself. Runs are
 * `automation:run` jobs the server's executor picks up, so assertions wait for `settled()`.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTemplateApp, templatesDir } from '../../templates/app.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
let alice: string;
let receiver: Server;
const received: Array<{ headers: Record<string, unknown>; body: any }> = [];

const complaint = (severity: string, customer = 'ACME', handler = 'alice') => ({
  customer,
  category: 'quality',
  severity,
  description: '焊缝开裂',
  received_at: '2026-03-05T08:00:00Z',
  status: 'open',
  handler,
});

async function createRecord(formKey: string, data: Record<string, unknown>, token = admin) {
  const created = await t.request('POST', `/api/forms/${formKey}/records`, { token, body: { data } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string };
}

const count = async (formKey: string) => (await t.request('GET', `/api/forms/${formKey}/records`, { token: admin })).body.total as number;

async function saveAutomation(body: Record<string, unknown>) {
  const saved = await t.request('POST', '/api/automations', { token: admin, body });
  expect(saved.status, JSON.stringify(saved.body)).toBe(201);
  return saved.body as { id: string };
}

const runs = async (id: string) => (await t.request('GET', `/api/automations/${id}/runs`, { token: admin })).body as Array<{ status: string; chain: string[]; error: string | null }>;

/** Waits for the server's executor to run automation jobs. */
const executorWait = { timeoutMs: 8_000, intervalMs: 50 };

/**
 * Until no `automation:run` job is left: a run queues its follow-ups before its own row is
 * deleted, so none left means the whole chain ran (a dead job would stay and time this out).
 */
async function settled(): Promise<void> {
  await eventually(
    async () => {
      const [{ count }] = await t.server.ctx.db('jobs').where({ type: 'automation:run' }).count({ count: '*' });
      expect(Number(count), 'automation:run jobs left').toBe(0);
      return true;
    },
    { message: 'automation jobs to run', ...executorWait },
  );
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const app = readTemplateApp('key-account');
  for (const key of ['complaint', 'visit_record']) {
    const form = app.forms.find((item) => item.key === key)!;
    expect((await t.request('POST', '/api/forms', { token: admin, body: { ...form, title: form.title['zh-CN'] } })).status).toBe(201);
  }
  const followup = { type: 'object', required: ['customer'], properties: { customer: { type: 'string' }, note: { type: 'string' } } };
  expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'followup', title: '跟进', schema: followup } })).status).toBe(201);
  expect((await t.request('POST', '/api/users', { token: admin, body: { username: 'alice', displayName: 'Alice', password: 'password-123', role: 'staff' } })).status).toBe(201);
  alice = await t.login('alice', 'password-123');
  const body = readFileSync(path.join(templatesDir, 'key-account/notifications/complaint_received.hbs'), 'utf8');
  const template = await t.request('PUT', '/api/templates/messages/complaint_received', {
    token: admin,
    body: { channel: 'inApp', subject: '新抱怨：{{customer}}（{{label "severity" severity}}）', body },
  });
  expect(template.status, JSON.stringify(template.body)).toBe(200);

  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) });
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise((resolve) => receiver?.close(resolve));
});

describe('automation admin', () => {
  it('checks FEEL at save and answers 422 with the pointer', async () => {
    const bad = await t.request('POST', '/api/automations', {
      token: admin,
      body: { name: 'x', trigger: 'record.created', formKey: 'complaint', filter: 'severity = ', actions: [{ type: 'createRecord', formKey: 'followup', data: { customer: 'customer +' } }] },
    });
    expect(bad.status).toBe(422);
    const pointers = bad.body.error.details.map((d: { pointer: string }) => d.pointer);
    expect(pointers).toEqual(['/filter', '/actions/0/data/customer']);
    const unknown = await t.request('POST', '/api/automations', { token: admin, body: { name: 'x', trigger: 'record.created', formKey: 'f', actions: [{ type: 'shell' }] } });
    expect(unknown.body.error.details[0].pointer).toBe('/actions/0/type');
    expect((await t.request('GET', '/api/automations', { token: alice })).status).toBe(403);
  });
});

describe('record.created on complaint with a filter', () => {
  let followUp: { id: string };

  it('creates a visit record and notifies the handler for high severity only', async () => {
    followUp = await saveAutomation({
      name: '高严重度抱怨 → 回访',
      trigger: 'record.created',
      formKey: 'complaint',
      filter: 'severity = "high"',
      actions: [
        {
          type: 'createRecord',
          formKey: 'visit_record',
          data: { customer: 'customer', visited_on: 'substring(received_at, 1, 10)', visitor: 'handler', method: '"phone"', purpose: '"抱怨回访：" + description' },
        },
        { type: 'notify', template: 'complaint_received', to: ['=handler'] },
      ],
    });
    await createRecord('complaint', complaint('low'));
    await settled();
    expect(await count('visit_record')).toBe(0);
    expect(await runs(followUp.id)).toEqual([]);

    const high = await createRecord('complaint', complaint('high', '华东重工'), alice);
    await settled();
    const visits = (await t.request('GET', '/api/forms/visit_record/records', { token: admin })).body;
    expect(visits.total).toBe(1);
    expect(visits.items[0].data).toEqual({ customer: '华东重工', visited_on: '2026-03-05', visitor: 'alice', method: 'phone', purpose: '抱怨回访：焊缝开裂' });
    expect(visits.items[0].createdBy).toBe(high && (await t.request('GET', `/api/forms/complaint/records/${high.id}`, { token: admin })).body.createdBy);

    const inbox = (await t.request('GET', '/api/notifications', { token: alice })).body;
    expect(inbox.items[0]).toMatchObject({ title: '新抱怨：华东重工（高）', link: `/forms/complaint/records/${high.id}` });
    expect(await runs(followUp.id)).toMatchObject([{ status: 'done', chain: [followUp.id], error: null }]);
  });

  it('records a failing action without failing the request that triggered it', async () => {
    const broken = await saveAutomation({
      name: 'broken',
      trigger: 'record.created',
      formKey: 'complaint',
      filter: 'severity = "critical"',
      actions: [
        { type: 'createRecord', formKey: 'visit_record', data: { customer: 'customer' } },
        { type: 'createRecord', formKey: 'followup', data: { customer: 'customer', note: '"after a failure"' } },
      ],
    });
    await createRecord('complaint', complaint('critical', 'Broken Co'));
    await settled();
    const [run] = await runs(broken.id);
    expect(run!.status).toBe('failed');
    expect(run!.error).toMatch(/^actions\/0 \(createRecord\)/);
    // The other action still ran.
    expect(await count('followup')).toBe(1);
    expect((await t.request('DELETE', `/api/automations/${broken.id}`, { token: admin })).status).toBe(204);
  });

  afterAll(async () => {
    // Disable, through PUT, so later tests start from a quiet complaint form.
    const current = (await t.request('GET', `/api/automations/${followUp.id}`, { token: admin })).body;
    const updated = await t.request('PUT', `/api/automations/${followUp.id}`, { token: admin, body: { ...current, enabled: false } });
    expect(updated.body.enabled).toBe(false);
  });
});

describe('loops', () => {
  it('stops A (complaint → followup) and B (followup → complaint) at the loop', async () => {
    const complaintsBefore = await count('complaint');
    const followupsBefore = await count('followup');
    const a = await saveAutomation({
      name: 'A', trigger: 'record.created', formKey: 'complaint',
      actions: [{ type: 'createRecord', formKey: 'followup', data: { customer: 'customer' } }],
    });
    const b = await saveAutomation({
      name: 'B', trigger: 'record.created', formKey: 'followup',
      actions: [{ type: 'createRecord', formKey: 'complaint', data: { customer: 'customer', category: '"other"', severity: '"low"', description: '"echo"', received_at: '"2026-03-05T08:00:00Z"', status: '"open"' } }],
    });
    await createRecord('complaint', complaint('medium', 'Loop Co'));
    await settled();
    expect(await count('complaint')).toBe(complaintsBefore + 2);
    expect(await count('followup')).toBe(followupsBefore + 1);
    const aRuns = await runs(a.id);
    expect(aRuns.map((run) => run.status).sort()).toEqual(['done', 'loop_stopped']);
    expect(aRuns.find((run) => run.status === 'loop_stopped')!.chain).toEqual([a.id, b.id, a.id]);
    expect((await runs(b.id)).map((run) => run.status)).toEqual(['done']);
    for (const id of [a.id, b.id]) await t.request('DELETE', `/api/automations/${id}`, { token: admin });
  });
});

describe('webhook and process.finished', () => {
  it('delivers a webhook as a job when a record is updated', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await saveAutomation({ name: 'hook', trigger: 'record.updated', formKey: 'followup', actions: [{ type: 'webhook', url, secret: 's3cret' }] });
    const record = await createRecord('followup', { customer: 'Hook Co' });
    const updated = await t.request('PUT', `/api/forms/followup/records/${record.id}`, { token: admin, body: { data: { customer: 'Hook Co', note: 'done' } } });
    expect(updated.status).toBe(200);
    const hit = await eventually(() => received[0], { message: 'webhook', ...executorWait });
    expect(hit.body.variables).toMatchObject({ trigger: 'record.updated', recordId: record.id, data: { customer: 'Hook Co', note: 'done' } });
    expect(hit.headers['x-liuzhuan-signature']).toMatch(/^sha256=/);
  });

  it('runs process.finished automations with the instance variables', async () => {
    const xml = bpmn(`<process id="quick" isExecutable="true"><startEvent id="s"/><endEvent id="e"/>${flow('s', 'e')}</process>`);
    expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
    await saveAutomation({
      name: 'finished', trigger: 'process.finished', definitionKey: 'quick',
      actions: [{ type: 'createRecord', formKey: 'followup', data: { customer: 'who', note: '"process " + processInstance.definitionKey' } }],
    });
    expect((await t.request('POST', '/api/instances', { token: admin, body: { definitionKey: 'quick', variables: { who: 'Proc Co' } } })).status).toBe(201);
    const made = await eventually(
      async () => {
        const list = (await t.request('GET', '/api/forms/followup/records', { token: admin })).body.items as Array<{ data: any }>;
        return list.find((item) => item.data.customer === 'Proc Co');
      },
      { message: 'followup from process', ...executorWait },
    );
    expect(made.data.note).toBe('process quick');
  });
});
