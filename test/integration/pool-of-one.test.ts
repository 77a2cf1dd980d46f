/**
 * The server on a pool of ONE database connection. Code that, inside a transaction, asks the
 * pool for a second connection (using `db` where it must use `trx`) waits for itself: here it
 * fails after the short acquire timeout instead of answering. Every main path must work:
 * a form-bound task (start → form → complete with form data), approval with a timeout,
 * flow-form submit, records with routing and automations run by the live executor.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

// With the template app: its installation at start runs on the single connection too.
const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' }, { poolMax: 1, acquireTimeoutMs: 3_000 });
let admin: string;

const claimSchema = {
  type: 'object',
  required: ['title', 'amount'],
  properties: { title: { type: 'string', minLength: 1 }, amount: { type: 'number', minimum: 0 }, opinion: { type: 'string' } },
};

// fill (form-bound) → check (form-bound, with a reminder and an automatic approval) → end
const formTaskProcess = bpmn(`<process id="formTask" isExecutable="true">
  <startEvent id="s"/>
  <userTask id="fill" camunda:assignee="admin" camunda:formKey="claim"/>
  <userTask id="check" camunda:assignee="admin" camunda:formKey="claim">
    <extensionElements><liuzhuan:timeout remindAfter="PT1H" after="P1D" action="approve"/></extensionElements>
  </userTask>
  <endEvent id="e"/>
  ${flow('s', 'fill')}${flow('fill', 'check')}${flow('check', 'e')}
</process>`);

// Bound to the form as a flow form: submitting the form starts it.
const flowFormProcess = bpmn(`<process id="claimFlow" isExecutable="true">
  <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="claim"/></liuzhuan:settings></extensionElements>
  <startEvent id="start"/>
  <userTask id="review" camunda:assignee="admin"/>
  <endEvent id="end"/>
  ${flow('start', 'review')}${flow('review', 'end')}
</process>`);

// draft (admin) → review (form-bound, admin) → a timer and a webhook that fails → wait; plus a message and a signal catch
const actionsProcess = (hookUrl: string) =>
  bpmn(`<process id="actions" isExecutable="true">
  <startEvent id="s" camunda:initiator="starter"/>
  <userTask id="draft" camunda:assignee="admin" camunda:formKey="claim"/>
  <userTask id="review" camunda:assignee="admin" camunda:formKey="claim"/>
  <intermediateCatchEvent id="pause"><timerEventDefinition><timeDuration>PT0S</timeDuration></timerEventDefinition></intermediateCatchEvent>
  <serviceTask id="hook"><extensionElements><liuzhuan:effect type="webhook" url="${hookUrl}"/></extensionElements></serviceTask>
  <intermediateCatchEvent id="paid"><signalEventDefinition signalRef="sig"/></intermediateCatchEvent>
  <userTask id="last" camunda:assignee="admin"/>
  <endEvent id="e"/>
  ${flow('s', 'draft')}${flow('draft', 'review')}${flow('review', 'pause')}${flow('pause', 'hook')}${flow('hook', 'paid')}${flow('paid', 'last')}${flow('last', 'e')}
</process>
<signal id="sig" name="paid-${Date.now()}"/>`);

const as = {
  get: (path: string) => t.request('GET', path, { token: admin }),
  post: (path: string, body: unknown = {}) => t.request('POST', path, { token: admin, body }),
  put: (path: string, body: unknown) => t.request('PUT', path, { token: admin, body }),
  delete: (path: string) => t.request('DELETE', path, { token: admin }),
};

async function expectStatus(answer: Promise<{ status: number; body: any }>, status: number) {
  const { status: got, body } = await answer;
  expect(got, JSON.stringify(body)).toBe(status);
  return body;
}

async function openTask(instanceId: string) {
  const tasks = await expectStatus(as.get(`/api/tasks?instanceId=${instanceId}`), 200);
  expect(tasks).toHaveLength(1);
  return tasks[0] as { id: string; elementId: string };
}

/** Waits for the server's executor; slow polls leave the single connection to the server. */
const executorWait = { timeoutMs: 20_000, intervalMs: 100 };

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  await expectStatus(as.post('/api/forms', { key: 'claim', title: '报销单', schema: claimSchema }), 201);
  const note = { type: 'object', required: ['title'], properties: { title: { type: 'string' } } };
  await expectStatus(as.post('/api/forms', { key: 'note', title: '便签', schema: note }), 201);
  await expectStatus(as.post('/api/definitions', { xml: formTaskProcess }), 201);
  await expectStatus(as.post('/api/definitions', { xml: flowFormProcess }), 201);
});

describe('a server on a pool of one connection', () => {
  it('runs a form-bound task process: start, task form, complete with form data, timeout jobs', async () => {
    const started = await expectStatus(as.post('/api/instances', { definitionKey: 'formTask' }), 201);
    const fill = await openTask(started.id);
    expect(fill.elementId).toBe('fill');
    await expectStatus(as.get(`/api/tasks/${fill.id}/form`), 200);
    // Data checked against the form: bad data is a 422 naming the field, good data moves on.
    const bad = await expectStatus(as.post(`/api/tasks/${fill.id}/complete`, { variables: { title: '', amount: 5 } }), 422);
    expect(bad.error.details.map((detail: { pointer: string }) => detail.pointer)).toEqual(['/title']);
    await expectStatus(as.post(`/api/tasks/${fill.id}/complete`, { variables: { title: 'Taxi', amount: 12 } }), 200);

    const check = await openTask(started.id);
    expect(check.elementId).toBe('check');
    const jobs = await expectStatus(as.get(`/api/jobs?instanceId=${started.id}`), 200);
    expect(jobs.map((job: { type: string }) => job.type).sort()).toEqual(['task:remind', 'task:timeout']);
    for (const job of [...jobs].sort((a: { type: string }, b: { type: string }) => a.type.localeCompare(b.type))) {
      await expectStatus(as.post(`/api/jobs/${job.id}/execute`), 200);
    }
    const instance = await expectStatus(as.get(`/api/instances/${started.id}`), 200);
    expect(instance.status).toBe('completed');
    await expectStatus(as.get(`/api/instances/${started.id}/history`), 200);
    await expectStatus(as.get(`/api/instances/${started.id}/actions`), 200);
  });

  it('approves and rejects at a form-bound node', async () => {
    const started = await expectStatus(as.post('/api/instances', { definitionKey: 'formTask', variables: { title: 'Hotel', amount: 80 } }), 201);
    const fill = await openTask(started.id);
    await expectStatus(as.post(`/api/tasks/${fill.id}/approve`, { variables: { opinion: 'ok' } }), 200);
    const check = await openTask(started.id);
    await expectStatus(as.post(`/api/tasks/${check.id}/reject`, { variables: { opinion: 'no' } }), 200);
  });

  it('submits a flow form, then works its task and reads the record', async () => {
    const submitted = await expectStatus(as.post('/api/forms/claim/submit', { data: { title: 'Train', amount: 30 } }), 201);
    await expectStatus(as.get('/api/flow-forms/claim'), 200);
    const review = await openTask(submitted.instance.id);
    await expectStatus(as.get(`/api/tasks/${review.id}/form`), 200);
    await expectStatus(as.post(`/api/tasks/${review.id}/complete`, { variables: { title: 'Train', amount: 30, opinion: 'fine' } }), 200);
    await expectStatus(as.get(`/api/forms/claim/records/${submitted.record.id}`), 200);
  });

  it('creates, routes, changes and deletes records, and runs their automations', async () => {
    const department = await expectStatus(as.post('/api/departments', { code: 'fin', name: 'Finance' }), 201);
    await expectStatus(as.put('/api/routing/note', { defaultDepartmentId: department.id, rules: [] }), 200);
    await expectStatus(
      as.post('/api/automations', {
        name: 'claim → note',
        trigger: 'record.created',
        formKey: 'claim',
        actions: [
          { type: 'createRecord', formKey: 'note', data: { title: '"about " + title' } },
          { type: 'startProcess', definitionKey: 'formTask', variables: { title: 'title', amount: 'amount' } },
        ],
      }),
      201,
    );
    const before = await expectStatus(as.get('/api/instances?definitionKey=formTask'), 200);
    const record = await expectStatus(as.post('/api/forms/claim/records', { data: { title: 'Lunch', amount: 9 } }), 201);
    await expectStatus(as.get('/api/forms/claim/records'), 200);
    await expectStatus(as.put(`/api/forms/claim/records/${record.id}`, { data: { title: 'Lunch', amount: 10 } }), 200);
    await expectStatus(as.get(`/api/forms/claim/records/${record.id}`), 200);

    // The executor (on the same single connection) runs the automation: a record and an instance.
    await eventually(
      async () => {
        const notes = (await as.get('/api/forms/note/records')).body;
        return notes.items?.find((item: { data: { title: string } }) => item.data.title === 'about Lunch');
      },
      { message: 'the automation record', ...executorWait },
    );
    // By name: the template app installs automations of its own (automations.json).
    const automation = (await expectStatus(as.get('/api/automations'), 200)).find((item: { name: string }) => item.name === 'claim → note');
    const runs = await eventually(
      async () => {
        const list = (await as.get(`/api/automations/${automation.id}/runs`)).body;
        return list.length > 0 ? list : undefined;
      },
      { message: 'the automation run', ...executorWait },
    );
    expect(runs).toMatchObject([{ status: 'done' }]);
    const after = await expectStatus(as.get('/api/instances?definitionKey=formTask'), 200);
    expect(after.total).toBe(before.total + 1);

    // A record created over HTTP is routed to the department's queue; its ticket is worked.
    const note = await expectStatus(as.post('/api/forms/note/records', { data: { title: 'call back' } }), 201);
    const queue = await expectStatus(as.get(`/api/departments/${department.id}/queue`), 200);
    const ticket = queue.items.find((item: { recordId: string }) => item.recordId === note.id);
    expect(ticket).toBeDefined();
    await expectStatus(as.post(`/api/tickets/${ticket.id}/claim`), 200);
    await expectStatus(as.post(`/api/tickets/${ticket.id}/close`), 200);
    await expectStatus(as.delete(`/api/forms/claim/records/${record.id}`), 204);
  });

  it('transfers, returns, adds a signer, copies, withdraws; runs a timer and an effect to an incident and back', async () => {
    // Nothing listens on port 9: the webhook fails its attempts (1 s, 2 s back-off), then becomes an incident.
    await expectStatus(as.post('/api/definitions', { xml: actionsProcess('http://127.0.0.1:9/hook') }), 201);
    await expectStatus(as.post('/api/users', { username: 'bob', displayName: 'Bob', password: 'bob-password-1', role: 'staff' }), 201);
    const department = await expectStatus(as.post('/api/departments', { code: 'ops', name: 'Ops' }), 201);
    const bob = (await as.get('/api/users')).body.find((user: { username: string }) => user.username === 'bob');
    await expectStatus(as.put(`/api/departments/${department.id}/members`, { userIds: [bob.id] }), 200);
    await expectStatus(t.request('PATCH', `/api/users/${bob.id}`, { token: admin, body: { displayName: 'Bobby' } }), 200);

    const started = await expectStatus(as.post('/api/instances', { definitionKey: 'actions', variables: { title: 'Desk', amount: 200 } }), 201);
    const draft = await openTask(started.id);
    await expectStatus(as.post(`/api/tasks/${draft.id}/transfer`, { to: 'bob' }), 200);
    await expectStatus(as.post(`/api/instances/${started.id}/cc`, { usernames: ['bob'] }), 201);
    await expectStatus(as.post(`/api/tasks/${draft.id}/complete`, { variables: { title: 'Desk', amount: 200 } }), 200);
    const review = await openTask(started.id);
    await expectStatus(as.post(`/api/tasks/${review.id}/return`, { toElementId: 'draft' }), 200);
    const again = await openTask(started.id);
    // Signing with bob after: the draft is done, bob's task follows, then the review.
    await expectStatus(as.post(`/api/tasks/${again.id}/add-signer`, { username: 'bob', position: 'after' }), 200);
    for (const elementId of ['draft', 'review']) {
      const task = await openTask(started.id);
      expect(task.elementId).toBe(elementId);
      await expectStatus(as.post(`/api/tasks/${task.id}/complete`, { variables: { title: 'Desk', amount: 200 } }), 200);
    }

    // The executor fires the timer, then the webhook fails into an incident.
    const incident = await eventually(
      async () => {
        const list = (await as.get('/api/incidents')).body;
        return list.find((item: { instanceId: string }) => item.instanceId === started.id);
      },
      { message: 'the webhook incident', ...executorWait },
    );
    await expectStatus(as.post(`/api/incidents/${incident.id}/retry`), 200);
    await expectStatus(as.post('/api/signals', { signalName: 'nobody-waits' }), 200);

    const other = await expectStatus(as.post('/api/instances', { definitionKey: 'formTask' }), 201);
    await expectStatus(as.post(`/api/instances/${other.id}/withdraw`), 200);
  });

  it('answers 503 busy with Retry-After while every connection stays in use, then serves again', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    // Holds the only connection longer than the acquire timeout.
    const holder = t.server.ctx.db.transaction(async (trx) => {
      await trx.raw('SELECT 1');
      await held;
    });
    try {
      const response = await fetch(`${t.url}/api/forms`, { headers: { authorization: `Bearer ${admin}` } });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await response.json()).error.code).toBe('busy');
    } finally {
      release();
      await holder;
    }
    await expectStatus(as.get('/api/forms'), 200);
  });

  it('reports health with the executor and the backlog', async () => {
    const health = await expectStatus(t.request('GET', '/api/health'), 200);
    expect(health).toMatchObject({ status: 'ok', executor: { state: 'running' }, jobs: { due: expect.any(Number) } });
  });
});
