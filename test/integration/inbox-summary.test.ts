/**
 * Inbox rows that say what they are, over real HTTP and Postgres: the summary fields a
 * process chose (`<liuzhuan:summary fields>`) or, by default, the first required one-line
 * fields of its form, with option labels; a node timeout giving the task its deadline; the
 * deadline sort; the one-task filter the new-task toast reads; bad input refused.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const tokens: Record<string, string> = {};
const as = (user: string) => ({
  get: (path: string) => t.request('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.request('POST', path, { token: tokens[user], body }),
});

const HOUR = 3_600_000;

const complaintForm = {
  key: 'complaint',
  title: '客户投诉单',
  schema: {
    type: 'object',
    required: ['customer', 'description', 'category', 'amount'],
    properties: {
      customer: { type: 'string', minLength: 1 },
      description: { type: 'string' },
      category: { type: 'string', enum: ['billing', 'quality'] },
      amount: { type: 'number', 'x-widget': 'money' },
      note: { type: 'string' },
    },
  },
  uiSchema: {
    'ui:title': { 'zh-CN': '客户投诉单', en: 'Complaint' },
    'ui:order': ['customer', 'description', 'category', 'amount', 'note'],
    customer: { 'ui:title': { 'zh-CN': '客户', en: 'Customer' } },
    description: { 'ui:title': { 'zh-CN': '投诉内容', en: 'Description' }, 'ui:widget': 'textarea' },
    category: { 'ui:title': { 'zh-CN': '投诉类别', en: 'Category' }, 'ui:enumNames': { 'zh-CN': ['账单', '质量'], en: ['Billing', 'Quality'] } },
    amount: { 'ui:title': { 'zh-CN': '金额', en: 'Amount' } },
  },
};

/** A process bound to the complaint form, handled by bob; `extra` goes into the process's extensions. */
const complaintProcess = (key: string, extra: string, task: string) =>
  bpmn(`<process id="${key}" isExecutable="true">
    <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="complaint"/></liuzhuan:settings>${extra}</extensionElements>
    <startEvent id="s"/>
    ${task}
    <endEvent id="e"/>
    ${flow('s', 'handle')}${flow('handle', 'e')}
  </process>`);

const data = { customer: '华北电力', description: '账单重复扣费', category: 'billing', amount: 12500.5 };

async function deploy(xml: string) {
  return as('admin').post('/api/definitions', { xml });
}

async function start(key: string, variables: Record<string, unknown> = data): Promise<{ instanceId: string; taskId: string; createdAt: string }> {
  const started = await as('alice').post('/api/instances', { definitionKey: key, variables });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const [task] = (await as('admin').get(`/api/tasks?instanceId=${started.body.id}`)).body;
  return { instanceId: started.body.id, taskId: task.id, createdAt: task.createdAt };
}

const todo = async (query = '') => {
  const answer = await as('bob').get(`/api/inbox/todo${query}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as { items: any[]; total: number };
};
const row = async (taskId: string) => (await todo()).items.find((item) => item.taskId === taskId);

const ids: Record<string, { instanceId: string; taskId: string; createdAt: string }> = {};

beforeAll(async () => {
  tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const username of ['alice', 'bob']) {
    const created = await as('admin').post('/api/users', { username, displayName: username, password: `${username}-password`, role: 'staff' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens[username] = await t.login(username, `${username}-password`);
  }
  const form = await as('admin').post('/api/forms', complaintForm);
  expect(form.status, JSON.stringify(form.body)).toBe(201);
  const handle = (attributes: string, timeout = '') =>
    `<userTask id="handle" name="Handle" camunda:assignee="bob" ${attributes}>${timeout ? `<extensionElements>${timeout}</extensionElements>` : ''}</userTask>`;
  for (const xml of [
    // The admin's choice, and a reminder after 4 hours: the deadline.
    complaintProcess('chosen', '<liuzhuan:summary fields="amount,customer,note"/>', handle('', '<liuzhuan:timeout remindAfter="PT4H"/>')),
    // No choice: the form's first required one-line fields; a modelled due date in two days.
    complaintProcess('defaulted', '', handle('camunda:dueDate="P2D"')),
    // No form and no deadline.
    bpmn(`<process id="plain" isExecutable="true"><startEvent id="s"/>${handle('')}<endEvent id="e"/>${flow('s', 'handle')}${flow('handle', 'e')}</process>`),
  ]) {
    const deployed = await deploy(xml);
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  }
  ids.chosen = await start('chosen');
  ids.defaulted = await start('defaulted', { ...data, category: 'quality', amount: 3 });
  ids.plain = await start('plain', { customer: 'not a form' });
});

describe('the summary of a row', () => {
  it("shows the fields the process chose, in its order, with their titles; an empty one is left out", async () => {
    const item = await row(ids.chosen!.taskId);
    expect(item.summary).toEqual([
      { field: 'amount', label: { 'zh-CN': '金额', en: 'Amount' }, kind: 'money', value: 12500.5 },
      { field: 'customer', label: { 'zh-CN': '客户', en: 'Customer' }, kind: 'text', value: '华北电力' },
    ]);
  });

  it('defaults to the first required one-line fields of the form, options as their labels', async () => {
    const item = await row(ids.defaulted!.taskId);
    // description is required but a textarea: not one line.
    expect(item.summary).toEqual([
      { field: 'customer', label: { 'zh-CN': '客户', en: 'Customer' }, kind: 'text', value: '华北电力' },
      { field: 'category', label: { 'zh-CN': '投诉类别', en: 'Category' }, kind: 'option', value: 'quality', option: { 'zh-CN': '质量', en: 'Quality' } },
      { field: 'amount', label: { 'zh-CN': '金额', en: 'Amount' }, kind: 'money', value: 3 },
    ]);
  });

  it('is empty for a process without a form or a choice', async () => {
    expect((await row(ids.plain!.taskId)).summary).toEqual([]);
  });

  it('is on the other boxes too (started by me)', async () => {
    const started = (await as('alice').get('/api/inbox/started')).body.items;
    expect(started.find((item: any) => item.instanceId === ids.defaulted!.instanceId).summary.map((entry: any) => entry.field)).toEqual([
      'customer',
      'category',
      'amount',
    ]);
  });

  it('refuses a summary that is not a short list of field names, naming the process', async () => {
    for (const fields of ['', 'a,b,c,d,e,f', 'amount,amount', 'bad name']) {
      const refused = await deploy(complaintProcess('badSummary', `<liuzhuan:summary fields="${fields}"/>`, '<userTask id="handle" camunda:assignee="bob"/>'));
      expect(refused.status, fields).toBe(422);
      expect(refused.body.error.details, fields).toEqual([expect.objectContaining({ pointer: 'badSummary', message: expect.stringContaining('liuzhuan:summary') })]);
    }
    expect((await as('admin').get('/api/definitions')).body.some((definition: any) => definition.key === 'badSummary')).toBe(false);
  });
});

describe('deadlines', () => {
  it("gives a task the moment its node's reminder falls due when the model sets no due date", async () => {
    const item = await row(ids.chosen!.taskId);
    expect(new Date(item.dueAt).getTime()).toBe(new Date(ids.chosen!.createdAt).getTime() + 4 * HOUR);
    const [task] = (await as('admin').get(`/api/tasks?instanceId=${ids.chosen!.instanceId}`)).body;
    expect(task.dueAt).toBe(item.dueAt);
  });

  it('keeps a modelled camunda:dueDate, and leaves a task without either undated', async () => {
    const dated = await row(ids.defaulted!.taskId);
    expect(new Date(dated.dueAt).getTime()).toBe(new Date(ids.defaulted!.createdAt).getTime() + 48 * HOUR);
    expect((await row(ids.plain!.taskId)).dueAt).toBeNull();
  });

  it('sorts by deadline either way, tasks without one last', async () => {
    const order = async (sort: string) => (await todo(`?sort=${sort}`)).items.map((item) => item.taskId);
    expect(await order('dueAt')).toEqual([ids.chosen!.taskId, ids.defaulted!.taskId, ids.plain!.taskId]);
    expect(await order('-dueAt')).toEqual([ids.defaulted!.taskId, ids.chosen!.taskId, ids.plain!.taskId]);
    expect(await order('-createdAt')).toEqual([ids.plain!.taskId, ids.defaulted!.taskId, ids.chosen!.taskId]);
    expect(await order('createdAt')).toEqual([ids.chosen!.taskId, ids.defaulted!.taskId, ids.plain!.taskId]);
    // Paging keeps the order.
    expect((await todo('?sort=dueAt&pageSize=1&page=2')).items.map((item) => item.taskId)).toEqual([ids.defaulted!.taskId]);
  });

  it('refuses an unknown sort, or a deadline sort where there are no tasks, with 422 naming sort', async () => {
    for (const [box, sort] of [
      ['todo', 'due'],
      ['todo', 'dueAt;drop table tasks'],
      ['started', 'dueAt'],
      ['cc', '-dueAt'],
    ]) {
      const answer = await as('bob').get(`/api/inbox/${box}?sort=${encodeURIComponent(sort!)}`);
      expect(answer.status, `${box} ${sort}`).toBe(422);
      expect(answer.body.error.details).toEqual([{ pointer: 'sort', message: expect.any(String) }]);
    }
  });
});

describe('one task (what the new-task toast reads)', () => {
  it('filters the box to the task, with its summary and deadline; not a task id → 422', async () => {
    const one = await todo(`?taskId=${ids.defaulted!.taskId}`);
    expect(one.total).toBe(1);
    expect(one.items[0]).toMatchObject({ taskId: ids.defaulted!.taskId, name: 'Handle', dueAt: expect.any(String) });
    expect(one.items[0].summary).toHaveLength(3);
    // Someone else's task is not in bob's box: nothing, not an error.
    expect((await as('alice').get(`/api/inbox/todo?taskId=${ids.defaulted!.taskId}`)).body).toEqual({ items: [], total: 0 });
    const bad = await as('bob').get('/api/inbox/todo?taskId=nope');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ pointer: 'taskId', message: expect.any(String) }]);
  });
});
