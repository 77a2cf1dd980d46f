/**
 * Flow forms (流程表单) over HTTP: a process bound to a form; submitting the form stores the
 * record and starts the process in one transaction; every node shows that form with its
 * field permissions; the record follows the instance's data; diagram and listing endpoints.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();

const permissions = (fields: Record<string, string>) =>
  `<extensionElements><liuzhuan:fieldPermissions>${Object.entries(fields)
    .map(([name, access]) => `<liuzhuan:field name="${name}" access="${access}"/>`)
    .join('')}</liuzhuan:fieldPermissions></extensionElements>`;

// Bound by process-level settings; `opinion` is hidden at the start, `amount` read-only at finance.
const expenseProcess = bpmn(`<process id="expense" name="报销审批" isExecutable="true">
  <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="expense-claim"/></liuzhuan:settings></extensionElements>
  <startEvent id="start">${permissions({ opinion: 'hidden' })}</startEvent>
  <userTask id="review" name="主管审批" camunda:assignee="bob"/>
  <userTask id="finance" name="财务审批" camunda:assignee="carol">${permissions({ amount: 'readonly' })}</userTask>
  <endEvent id="end"/>
  ${flow('start', 'review')}${flow('review', 'finance')}${flow('finance', 'end')}
</process>`);

const tokens: Record<string, string> = {};
const as = (user: string) => ({
  get: (path: string) => t.request('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.request('POST', path, { token: tokens[user], body }),
});
const pointers = (body: any) => body.error.details.map((detail: { pointer: string }) => detail.pointer).sort();
const db = () => t.server.ctx.db;
const countRows = async (table: string) => Number((await db()(table).count({ n: '*' }))[0]!.n);

async function openTask(instanceId: string) {
  const tasks = (await as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body;
  expect(tasks).toHaveLength(1);
  return tasks[0] as { id: string; elementId: string; assignee: string; formKey: string };
}

beforeAll(async () => {
  tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const username of ['alice', 'bob', 'carol']) {
    const created = await as('admin').post('/api/users', {
      username,
      displayName: username,
      password: `${username}-password`,
      role: 'staff',
    });
    expect(created.status).toBe(201);
    tokens[username] = await t.login(username, `${username}-password`);
  }
  for (const key of ['expense-claim', 'plain-note']) {
    const form = await as('admin').post('/api/forms', {
      key,
      title: key === 'expense-claim' ? '报销单' : '便签',
      schema: {
        type: 'object',
        required: ['title', 'amount'],
        properties: {
          title: { type: 'string', minLength: 1 },
          amount: { type: 'number', minimum: 0 },
          reason: { type: 'string' },
          opinion: { type: 'string' },
        },
      },
    });
    expect(form.status).toBe(201);
  }
  const deployed = await as('admin').post('/api/definitions', { xml: expenseProcess });
  expect(deployed.status).toBe(201);
});

describe('binding and deploy', () => {
  it('refuses to deploy a process bound to a form that does not exist, naming the element', async () => {
    const bySettings = await as('admin').post('/api/definitions', {
      xml: bpmn(`<process id="ghost" isExecutable="true">
        <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="no-such-form"/></liuzhuan:settings></extensionElements>
        <startEvent id="s"/><userTask id="u"/>${flow('s', 'u')}</process>`),
    });
    expect(bySettings.status).toBe(422);
    expect(bySettings.body.error.details).toEqual([
      { pointer: 'ghost', message: expect.stringContaining("form 'no-such-form', which does not exist") },
    ]);
    const byStart = await as('admin').post('/api/definitions', {
      xml: bpmn(`<process id="ghost2" isExecutable="true"><startEvent id="s2" camunda:formKey="missing-form"/><userTask id="u"/>${flow('s2', 'u')}</process>`),
    });
    expect(byStart.status).toBe(422);
    expect(pointers(byStart.body)).toEqual(['s2']);
    expect(await countRows('process_definitions')).toBe(1);
  });

  it('binds by camunda:formKey on the start event; a Camunda external form key binds nothing', async () => {
    const camunda = await as('admin').post('/api/definitions', {
      xml: bpmn(`<process id="camunda-style" isExecutable="true"><startEvent id="s" camunda:formKey="embedded:app:forms/start.html"/><userTask id="u"/>${flow('s', 'u')}</process>`),
    });
    expect(camunda.status).toBe(201);
    const latest = await as('alice').get('/api/definitions/camunda-style/latest');
    expect(latest.body).toMatchObject({ key: 'camunda-style', version: 1, formKey: null, xml: expect.stringContaining('embedded:app') });
    expect((await as('alice').get('/api/definitions/nothing-here/latest')).status).toBe(404);
  });

  it('lists what a staff user may start and the start form as the start node shows it', async () => {
    const list = await as('alice').get('/api/flow-forms');
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      {
        formKey: 'expense-claim',
        title: '报销单',
        titles: { 'zh-CN': '报销单' },
        definitionId: expect.any(String),
        definitionKey: 'expense',
        definitionName: '报销审批',
        version: 1,
      },
    ]);
    const start = (await as('alice').get('/api/flow-forms/expense-claim')).body;
    expect(Object.keys(start.form.schema.properties).sort()).toEqual(['amount', 'reason', 'title']);
    expect(start.fieldPermissions).toEqual({});
    expect((await as('alice').get('/api/flow-forms/plain-note')).status).toBe(404);
  });
});

describe('submitting a flow form', () => {
  it('refuses bad data with 422 and pointers (zh-CN / en) and stores neither record nor instance', async () => {
    const [records, instances] = [await countRows('records'), await countRows('process_instances')];
    const bad = await as('alice').post('/api/forms/expense-claim/submit', { data: { title: '', amount: -5 } });
    expect(bad.status).toBe(422);
    expect(pointers(bad.body)).toEqual(['/amount', '/title']);
    const en = await fetch(`${t.url}/api/forms/expense-claim/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.alice}`, 'accept-language': 'en' },
      body: JSON.stringify({ data: { amount: 'lots' } }),
    });
    expect(en.status).toBe(422);
    const enBody = (await en.json()) as any;
    expect(pointers(enBody)).toEqual(['/amount', '/title']);
    expect(enBody.error.details.map((d: any) => d.message).join(' ')).toMatch(/[a-z]/);
    expect(enBody.error.details.map((d: any) => d.message).join(' ')).not.toMatch(/[\u4e00-\u9fff]/);
    // A field hidden at the start event cannot be filled in by the submitter.
    const hidden = await as('alice').post('/api/forms/expense-claim/submit', { data: { title: 'x', amount: 1, opinion: 'pre-approved' } });
    expect(hidden.status).toBe(422);
    expect(hidden.body.error.code).toBe('field_permissions');
    expect(pointers(hidden.body)).toEqual(['/opinion']);
    expect(await countRows('records')).toBe(records);
    expect(await countRows('process_instances')).toBe(instances);
  });

  it('answers 409 no_flow_bound for a form without a flow, 404 for an unknown form', async () => {
    const unbound = await as('alice').post('/api/forms/plain-note/submit', { data: { title: 'x', amount: 1 } });
    expect(unbound.status).toBe(409);
    expect(unbound.body.error.code).toBe('no_flow_bound');
    expect((await as('alice').post('/api/forms/nope/submit', { data: {} })).status).toBe(404);
    expect((await as('alice').get('/api/forms/plain-note/records')).body.total).toBe(0);
  });

  it('stores the record and starts the process; every node shows the form; the record follows the instance', async () => {
    const submitted = await as('alice').post('/api/forms/expense-claim/submit', {
      data: { title: '差旅费', amount: 800, reason: '出差上海' },
      comment: '请审批',
    });
    expect(submitted.status).toBe(201);
    const { record, instance } = submitted.body;
    expect(record).toMatchObject({ id: expect.any(String), formKey: 'expense-claim', data: { title: '差旅费', amount: 800 }, instanceId: instance.id });
    expect(instance).toMatchObject({ id: expect.any(String), status: 'active', definitionKey: 'expense' });
    const creator = await db()('users').where({ username: 'alice' }).first('id');
    expect(record.createdBy).toBe(creator.id);

    const started = (await as('admin').get(`/api/instances/${instance.id}`)).body;
    expect(started).toMatchObject({
      businessKey: record.id,
      record: { id: record.id, formKey: 'expense-claim' },
      activeElementIds: ['review'],
      variables: { title: '差旅费', amount: 800, reason: '出差上海', recordId: record.id },
    });
    expect((await db()('process_instances').where({ id: instance.id }).first('started_by')).started_by).toBe('alice');
    const log = (await as('alice').get(`/api/instances/${instance.id}/actions`)).body;
    expect(log.map((entry: any) => [entry.action, entry.actor, entry.comment])).toEqual([['submit', 'alice', '请审批']]);

    // Node 1: the task has no formKey of its own and shows the process form.
    const review = await openTask(instance.id);
    expect(review).toMatchObject({ elementId: 'review', assignee: 'bob', formKey: 'expense-claim' });
    const form = await as('bob').get(`/api/tasks/${review.id}/form`);
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ formKey: 'expense-claim', data: { title: '差旅费', amount: 800 } });
    expect(Object.keys(form.body.form.schema.properties).sort()).toEqual(['amount', 'opinion', 'reason', 'title']);
    // The task validates against the process form too.
    const invalid = await as('bob').post(`/api/tasks/${review.id}/approve`, { variables: { amount: 'many' } });
    expect(invalid.status).toBe(422);
    expect(pointers(invalid.body)).toEqual(['/amount']);
    expect((await as('bob').post(`/api/tasks/${review.id}/approve`, { variables: { reason: '出差上海（已核实）' } })).status).toBe(200);
    const afterReview = (await as('alice').get(`/api/forms/expense-claim/records/${record.id}`)).body;
    expect(afterReview.data).toEqual({ title: '差旅费', amount: 800, reason: '出差上海（已核实）' });
    expect(afterReview.instanceId).toBe(instance.id);

    const midway = (await as('alice').get(`/api/instances/${instance.id}/diagram`)).body;
    expect(midway.xml).toContain('liuzhuan:settings');
    expect(midway.activeElementIds).toEqual(['finance']);
    expect(midway.completedElementIds.sort()).toEqual(['review', 'start']);

    // Node 2: amount is read-only; a tampered value is refused and nothing moves.
    const finance = await openTask(instance.id);
    expect(finance).toMatchObject({ elementId: 'finance', formKey: 'expense-claim' });
    const financeForm = (await as('carol').get(`/api/tasks/${finance.id}/form`)).body;
    expect(financeForm.fieldPermissions).toEqual({ amount: 'readonly' });
    const tampered = await as('carol').post(`/api/tasks/${finance.id}/approve`, { variables: { amount: 8000, opinion: 'ok' } });
    expect(tampered.status).toBe(422);
    expect(pointers(tampered.body)).toEqual(['/amount']);
    expect((await openTask(instance.id)).id).toBe(finance.id);
    expect((await as('alice').get(`/api/forms/expense-claim/records/${record.id}`)).body.data.amount).toBe(800);

    const approved = await as('carol').post(`/api/tasks/${finance.id}/approve`, { variables: { amount: 800, opinion: '同意' } });
    expect(approved.status).toBe(200);
    const done = (await as('admin').get(`/api/instances/${instance.id}`)).body;
    expect(done.status).toBe('completed');
    const final = (await as('alice').get(`/api/forms/expense-claim/records/${record.id}`)).body;
    // Only the form's fields travel back: not `approved`, `<node>_decision` or `recordId`.
    expect(final.data).toEqual({ title: '差旅费', amount: 800, reason: '出差上海（已核实）', opinion: '同意' });
    const carol = await db()('users').where({ username: 'carol' }).first('id');
    expect(final.updatedBy).toBe(carol.id);

    const diagram = (await as('alice').get(`/api/instances/${instance.id}/diagram`)).body;
    expect(diagram.activeElementIds).toEqual([]);
    expect(diagram.completedElementIds.sort()).toEqual(['end', 'finance', 'review', 'start']);
  });

  it('rolls the record back when the process cannot start (one transaction)', async () => {
    const form = await as('admin').post('/api/forms', {
      key: 'trip-form',
      title: '出差单',
      schema: { type: 'object', properties: { days: { type: 'integer' } } },
    });
    expect(form.status).toBe(201);
    const xml = bpmn(`<process id="trip" isExecutable="true">
      <startEvent id="s" camunda:formKey="trip-form"/><exclusiveGateway id="gw"/><userTask id="long"/>
      ${flow('s', 'gw')}${flow('gw', 'long', '= days > 3')}</process>`);
    expect((await as('admin').post('/api/definitions', { xml })).status).toBe(201);
    const [records, instances] = [await countRows('records'), await countRows('process_instances')];
    const noPath = await as('alice').post('/api/forms/trip-form/submit', { data: { days: 1 } });
    expect(noPath.status).toBe(422);
    expect(await countRows('records')).toBe(records);
    expect(await countRows('process_instances')).toBe(instances);
    const long = await as('alice').post('/api/forms/trip-form/submit', { data: { days: 5 } });
    expect(long.status).toBe(201);
    expect((await openTask(long.body.instance.id)).formKey).toBe('trip-form');
    expect((await as('alice').get('/api/flow-forms')).body.map((entry: any) => entry.formKey)).toEqual(['expense-claim', 'trip-form']);
  });

  it('a plain record of a bound form starts nothing and is not linked', async () => {
    const plain = await as('alice').post('/api/forms/expense-claim/records', { data: { title: 'x', amount: 1 } });
    expect(plain.status).toBe(201);
    expect(plain.body.instanceId).toBeNull();
  });
});
