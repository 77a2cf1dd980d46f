/**
 * Webhooks end to end: a real receiver on a random port checks each delivery's signature,
 * answers 500 to a delivery's first try and 200 to the next; the delivery log shows both
 * tries; re-send posts the same signed body again. Events are queued by triggers in the
 * change's own transaction (a rolled-back write queues nothing). Incoming hooks: wrong secret
 * 401, a body the start form refuses 422 with pointers into the body, a good one 201 and the
 * instance runs; signed requests; the rate limit. Back-off and limits come from the
 * environment (50 ms here), so the retry takes no noticeable time.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

// Before the server starts: the hook route reads its rate limit when mounted.
vi.stubEnv('LIUZHUAN_WEBHOOK_RETRY_BASE_MS', '50');
vi.stubEnv('LIUZHUAN_WEBHOOK_MAX_ATTEMPTS', '3');
vi.stubEnv('LIUZHUAN_WEBHOOK_TIMEOUT_MS', '2000');
vi.stubEnv('LIUZHUAN_WEBHOOK_ALLOW_PRIVATE', 'true');
vi.stubEnv('LIUZHUAN_HOOK_REQUESTS_PER_MINUTE', '12');

const t = useTestServer();

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  signatureValid: boolean;
  answered: number;
}

const received: Received[] = [];
let receiver: http.Server;
let receiverUrl = '';
/** The subscription secrets, so the receiver can check each signature. */
const secrets: string[] = [];
const triesOf = new Map<string, number>();

const signatureOf = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const tokens: Record<string, string> = {};
const as = (user: string) => ({
  get: (path: string) => t.request('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.request('POST', path, { token: tokens[user], body }),
});

const expenseProcess = bpmn(`<process id="expense" name="报销" isExecutable="true">
  <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="expense-claim"/></liuzhuan:settings></extensionElements>
  <startEvent id="start"/>
  <userTask id="review" name="主管审批" camunda:assignee="bob"/>
  <endEvent id="end"/>
  ${flow('start', 'review')}${flow('review', 'end')}
</process>`);

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = String(req.headers['x-liuzhuan-signature']);
      const deliveryId = String(req.headers['x-liuzhuan-delivery']);
      const tries = (triesOf.get(deliveryId) ?? 0) + 1;
      triesOf.set(deliveryId, tries);
      // The first try of every delivery fails: the retry must come.
      const answered = tries === 1 ? 500 : 200;
      received.push({ headers: req.headers, body, signatureValid: secrets.some((s) => signatureOf(s, body) === signature), answered });
      res.writeHead(answered, { 'content-type': 'text/plain' }).end(answered === 200 ? 'ok' : 'try again');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

  tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const bob = await as('admin').post('/api/users', { username: 'bob', displayName: 'Bob', password: 'bob-password-1', role: 'staff' });
  expect(bob.status).toBe(201);
  tokens.bob = await t.login('bob', 'bob-password-1');
  for (const [key, required] of [['lead', ['name']], ['expense-claim', ['title', 'amount']]] as const) {
    const form = await as('admin').post('/api/forms', {
      key,
      title: key,
      schema: {
        type: 'object',
        required,
        properties: { name: { type: 'string' }, title: { type: 'string', minLength: 1 }, amount: { type: 'number', minimum: 0 } },
      },
    });
    expect(form.status).toBe(201);
  }
  expect((await as('admin').post('/api/definitions', { xml: expenseProcess })).status).toBe(201);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => receiver?.close(resolve));
});

const ofDelivery = (id: string) => received.filter((r) => r.headers['x-liuzhuan-delivery'] === id);

async function subscribe(body: Record<string, unknown>) {
  const created = await as('admin').post('/api/webhooks/subscriptions', { name: 'CRM', url: receiverUrl, ...body });
  expect(created.status).toBe(201);
  expect(created.body.secret).toMatch(/^whsec_/);
  secrets.push(created.body.secret);
  return created.body as { id: string; secret: string; secretHint: string };
}

describe('outgoing subscriptions', () => {
  it('refuses URLs that are not http(s), naming the field', async () => {
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'not a url', 'http://user:pw@example.com/']) {
      const refused = await as('admin').post('/api/webhooks/subscriptions', { name: 'x', url, events: ['record.created'] });
      expect(refused.status, url).toBe(422);
      expect(refused.body.error.details[0].pointer).toBe('/url');
    }
    const badEvent = await as('admin').post('/api/webhooks/subscriptions', { name: 'x', url: receiverUrl, events: ['record.exploded'] });
    expect(badEvent.status).toBe(422);
    expect(badEvent.body.error.details[0].pointer).toBe('/events/0');
    expect((await as('bob').post('/api/webhooks/subscriptions', { name: 'x', url: receiverUrl, events: ['record.created'] })).status).toBe(403);
  });

  it('delivers a record event signed, retries after a 500, logs both tries; re-send posts the same body', async () => {
    const sub = await subscribe({ events: ['record.created', 'record.deleted'], formKeys: ['lead'] });
    // Shown once: the list only has the masked hint.
    const listed = (await as('admin').get('/api/webhooks/subscriptions')).body.find((s: any) => s.id === sub.id);
    expect(listed.secret).toBeUndefined();
    expect(listed.secretHint).toBe(sub.secretHint);
    expect(listed.secretHint).not.toContain(sub.secret.slice(6, -4));

    const record = await as('admin').post('/api/forms/lead/records', { data: { name: '华为' } });
    expect(record.status).toBe(201);
    const deliveries = await eventually(
      async () => {
        const log = (await as('admin').get(`/api/webhooks/subscriptions/${sub.id}/deliveries`)).body;
        return log.length === 1 && log[0].status === 'succeeded' && log;
      },
      { message: 'the delivery succeeded after its retry' },
    );
    const delivery = deliveries[0];
    expect(delivery).toMatchObject({ event: 'record.created', attempts: 2, lastStatusCode: 200 });
    expect(delivery.attemptLog.map((a: any) => [a.number, a.statusCode])).toEqual([[1, 500], [2, 200]]);
    expect(delivery.attemptLog[0].error).toContain('500');
    expect(delivery.attemptLog[0].responseExcerpt).toBe('try again');

    const tries = ofDelivery(delivery.id);
    expect(tries.map((r) => r.answered)).toEqual([500, 200]);
    expect(tries.every((r) => r.signatureValid)).toBe(true);
    expect(tries[1]!.body).toBe(tries[0]!.body);
    const body = JSON.parse(tries[0]!.body);
    expect(body).toMatchObject({ id: delivery.id, event: 'record.created', subscriptionId: sub.id, data: { formKey: 'lead', recordId: record.body.id } });
    expect(body.data.record.data).toEqual({ name: '华为' });
    expect(tries[0]!.headers['x-liuzhuan-event']).toBe('record.created');
    expect(Number(tries[0]!.headers['x-liuzhuan-timestamp'])).toBeGreaterThan(1_700_000_000);

    const resent = await as('admin').post(`/api/webhooks/subscriptions/${sub.id}/deliveries/${delivery.id}/resend`);
    expect(resent.status).toBe(202);
    await eventually(() => ofDelivery(delivery.id).length === 3, { message: 'the re-sent delivery arrived' });
    expect(ofDelivery(delivery.id)[2]!.body).toBe(tries[0]!.body);
    const after = await eventually(
      async () => {
        const log = (await as('admin').get(`/api/webhooks/subscriptions/${sub.id}/deliveries`)).body;
        return log[0].attempts === 3 && log[0].status === 'succeeded' && log[0];
      },
      { message: 'the log shows the re-send' },
    );
    expect(after.attemptLog).toHaveLength(3);

    // Deleting the record queues record.deleted; another form's record queues nothing.
    expect((await t.request('DELETE', `/api/forms/lead/records/${record.body.id}`, { token: tokens.admin })).status).toBe(204);
    expect((await as('admin').post('/api/forms/expense-claim/records', { data: { title: 'x', amount: 1 } })).status).toBeGreaterThanOrEqual(200);
    const log = await eventually(
      async () => {
        const list = (await as('admin').get(`/api/webhooks/subscriptions/${sub.id}/deliveries`)).body;
        return list.length === 2 && list[0].status === 'succeeded' && list;
      },
      { message: 'record.deleted delivered' },
    );
    expect(log.map((d: any) => d.event)).toEqual(['record.deleted', 'record.created']);
    expect((await t.request('PATCH', `/api/webhooks/subscriptions/${sub.id}`, { token: tokens.admin, body: { enabled: false } })).body.enabled).toBe(false);
  });

  it('queues in the transaction of the change: a rolled-back write queues nothing', async () => {
    const sub = await subscribe({ name: 'rollback', events: ['record.created'], formKeys: ['lead'], enabled: true });
    const db = t.server.ctx.db;
    const form = await db('forms').where({ key: 'lead' }).first('latest_version');
    await expect(
      db.transaction(async (trx) => {
        await trx('records').insert({ form_key: 'lead', form_version: form.latest_version, data: JSON.stringify({ name: 'rolled back' }) });
        expect(Number((await trx('webhook_deliveries').where({ subscription_id: sub.id }).count({ n: '*' }))[0]!.n)).toBe(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(Number((await db('webhook_deliveries').where({ subscription_id: sub.id }).count({ n: '*' }))[0]!.n)).toBe(0);
    expect((await t.request('DELETE', `/api/webhooks/subscriptions/${sub.id}`, { token: tokens.admin })).status).toBe(204);
  });

  it('refuses a link-local (cloud metadata) address at delivery, whatever the settings', async () => {
    const created = await as('admin').post('/api/webhooks/subscriptions', { name: 'meta', url: 'http://169.254.169.254/latest', events: ['record.created'], formKeys: ['lead'] });
    expect(created.status).toBe(201);
    expect((await as('admin').post('/api/forms/lead/records', { data: { name: 'x' } })).status).toBe(201);
    const failed = await eventually(
      async () => {
        const log = (await as('admin').get(`/api/webhooks/subscriptions/${created.body.id}/deliveries`)).body;
        return log[0]?.status === 'failed' && log[0];
      },
      { message: 'the delivery to a link-local address failed' },
    );
    expect(failed.attempts).toBe(3);
    expect(failed.lastError).toContain('link-local');
    expect((await t.request('DELETE', `/api/webhooks/subscriptions/${created.body.id}`, { token: tokens.admin })).status).toBe(204);
  });
});

describe('incoming hooks and task/instance events', () => {
  it('starts an instance from a JSON body validated against the start form; task and instance events follow', async () => {
    const sub = await subscribe({ name: 'flow events', events: ['instance.started', 'task.created', 'task.assigned', 'task.completed', 'instance.finished'], definitionKeys: ['expense'] });
    const hook = await as('admin').post('/api/webhooks/hooks', { name: 'ERP', definitionKey: 'expense' });
    expect(hook.status).toBe(201);
    const { id, secret, path } = hook.body;
    expect(path).toBe(`/api/hooks/${id}`);
    expect((await as('admin').post('/api/webhooks/hooks', { name: 'x', definitionKey: 'nope' })).status).toBe(422);

    const call = (body: unknown, headers: Record<string, string>) =>
      fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

    const noSecret = await call({ title: 'a', amount: 1 }, {});
    expect(noSecret.status).toBe(401);
    const wrong = await call({ title: 'a', amount: 1 }, { 'x-liuzhuan-secret': 'whsec_wrong' });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).error.code).toBe('hook_unauthorized');

    const bad = await call({ title: '', amount: -5 }, { 'x-liuzhuan-secret': secret });
    expect(bad.status).toBe(422);
    const badBody = await bad.json();
    expect(badBody.error.details.map((d: any) => d.pointer).sort()).toEqual(['/amount', '/title']);
    const notObject = await call('[1,2]', { 'x-liuzhuan-secret': secret });
    expect(notObject.status).toBe(400);

    const good = await call({ title: '出差', amount: 300 }, { 'x-liuzhuan-secret': secret });
    expect(good.status).toBe(201);
    const started = await good.json();
    expect(started.instanceId).toMatch(/^[0-9a-f-]{36}$/);
    const tasks = (await as('bob').get(`/api/tasks?instanceId=${started.instanceId}`)).body;
    expect(tasks).toHaveLength(1);

    // Signed instead of sending the secret: the signature covers the exact bytes.
    const raw = JSON.stringify({ title: '签名', amount: 1 });
    const signed = await call(raw, { 'x-liuzhuan-signature': signatureOf(secret, raw) });
    expect(signed.status).toBe(201);
    const forged = await call(raw.replace('1', '2'), { 'x-liuzhuan-signature': signatureOf(secret, raw) });
    expect(forged.status).toBe(401);

    // bob hands it to admin (task.assigned), who completes it.
    expect((await as('bob').post(`/api/tasks/${tasks[0].id}/transfer`, { to: 'admin' })).status).toBeLessThan(300);
    expect((await as('admin').post(`/api/tasks/${tasks[0].id}/complete`, { decision: 'approve' })).status).toBe(200);
    const events = await eventually(
      async () => {
        const log = (await as('admin').get(`/api/webhooks/subscriptions/${sub.id}/deliveries?limit=50`)).body as any[];
        const mine = log.filter((d) => received.some((r) => r.headers['x-liuzhuan-delivery'] === d.id && JSON.parse(r.body).data.instanceId === started.instanceId));
        return mine.length === 5 && mine.every((d) => d.status === 'succeeded') && mine;
      },
      { message: 'five flow events delivered for the hook-started instance' },
    );
    expect(events.map((d: any) => d.event).sort()).toEqual(['instance.finished', 'instance.started', 'task.assigned', 'task.completed', 'task.created']);
    const completed = JSON.parse(ofDelivery(events.find((d: any) => d.event === 'task.completed').id)[0]!.body);
    expect(completed.data).toMatchObject({ instanceId: started.instanceId, elementId: 'review', status: 'completed', completedBy: 'admin', definitionKey: 'expense' });
    const assigned = JSON.parse(ofDelivery(events.find((d: any) => d.event === 'task.assigned').id)[0]!.body);
    expect(assigned.data).toMatchObject({ taskId: tasks[0].id, assignee: 'admin', status: 'open' });

    const listed = (await as('admin').get('/api/webhooks/hooks')).body.find((h: any) => h.id === id);
    expect(listed).toMatchObject({ useCount: 2, definitionKey: 'expense', runAs: { username: 'admin' } });
    expect(listed.secret).toBeUndefined();
  });

  it('rate-limits a hook', async () => {
    const hook = (await as('admin').post('/api/webhooks/hooks', { name: 'flood', definitionKey: 'expense' })).body;
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) {
      const response = await fetch(`${t.url}${hook.path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-liuzhuan-secret': 'nope' }, body: '{}' });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 12).every((s) => s === 401)).toBe(true);
    expect(statuses[12]).toBe(429);
  });
});
