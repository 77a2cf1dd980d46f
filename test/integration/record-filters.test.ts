/**
 * The record list and record page over HTTP: a choice field is filtered by what people read
 * (投诉类别 = 账单 or Billing finds the stored `billing`), numbers and dates sort as numbers and
 * dates, a flow record carries its process status, and each answer says whether the caller
 * may edit or delete — the same rules the writes enforce.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const tokens: Record<string, string> = {};
const as = (user: string) => ({
  get: (path: string) => t.request('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.request('POST', path, { token: tokens[user], body }),
  put: (path: string, body: unknown) => t.request('PUT', path, { token: tokens[user], body }),
  delete: (path: string) => t.request('DELETE', path, { token: tokens[user] }),
});

const complaintSchema = {
  type: 'object',
  required: ['customer', 'category'],
  properties: {
    customer: { type: 'string', minLength: 1 },
    category: { type: 'string', enum: ['billing', 'service', 'delivery'] },
    channels: { type: 'array', items: { type: 'string', enum: ['phone', 'mail'] }, uniqueItems: true },
    amount: { type: 'number' },
    received: { type: 'string', format: 'date' },
  },
};
const complaintUi = {
  category: { 'ui:title': { 'zh-CN': '投诉类别', en: 'Category' }, 'ui:enumNames': { 'zh-CN': ['账单', '服务', '物流'], en: ['Billing', 'Service', 'Delivery'] } },
  channels: { 'ui:enumNames': ['电话', '邮件'] },
};

// Amounts and dates chosen so that text order differs from number and date order (9 < 10 < 100; 2026-9-… is not valid).
const complaints = [
  { customer: 'Alpha', category: 'billing', channels: ['phone'], amount: 100, received: '2026-03-10' },
  { customer: 'Beta', category: 'service', channels: ['mail'], amount: 9, received: '2026-11-02' },
  { customer: 'Gamma', category: 'billing', channels: ['phone', 'mail'], amount: 10, received: '2025-12-31' },
  { customer: 'Delta', category: 'delivery', amount: 1000 },
];

const handleProcess = bpmn(`<process id="complaint_flow" name="投诉处理" isExecutable="true">
  <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="complaint"/></liuzhuan:settings></extensionElements>
  <startEvent id="start"/>
  <userTask id="handle" name="部门处理" camunda:assignee="bob"/>
  <endEvent id="end"/>
  ${flow('start', 'handle')}${flow('handle', 'end')}
</process>`);

type Entry = {
  id: string;
  data: { customer: string };
  instanceId: string | null;
  process: { instanceId: string; status: string; currentNodes: { id: string; name: string | null }[] } | null;
  allowedActions: string[];
};

async function list(user: string, query: string): Promise<Entry[]> {
  const { status, body } = await as(user).get(`/api/forms/complaint/records${query}`);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.items;
}
const customers = (items: Entry[]) => items.map((item) => item.data.customer);
const plain = '&filter[customer][in]=Alpha,Beta,Gamma,Delta';

const flowRecords: Record<string, { recordId: string; instanceId: string }> = {};

beforeAll(async () => {
  tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const username of ['alice', 'bob', 'carol']) {
    const created = await as('admin').post('/api/users', { username, displayName: username, password: `${username}-password`, role: 'staff' });
    expect(created.status).toBe(201);
    tokens[username] = await t.login(username, `${username}-password`);
  }
  const form = await as('admin').post('/api/forms', { key: 'complaint', title: '客户投诉单', schema: complaintSchema, uiSchema: complaintUi });
  expect(form.status).toBe(201);
  for (const data of complaints) expect((await as('alice').post('/api/forms/complaint/records', { data })).status).toBe(201);
  expect((await as('admin').post('/api/definitions', { xml: handleProcess })).status).toBe(201);
  // Three flow records: one waiting at 部门处理, one completed, one withdrawn by alice.
  for (const customer of ['Running', 'Done', 'Withdrawn']) {
    const submitted = await as('alice').post('/api/forms/complaint/submit', { data: { customer, category: 'service' } });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    flowRecords[customer] = { recordId: submitted.body.record.id, instanceId: submitted.body.instance.id };
  }
  const [task] = (await as('bob').get(`/api/tasks?instanceId=${flowRecords.Done!.instanceId}`)).body;
  const completed = await as('bob').post(`/api/tasks/${task.id}/complete`, { decision: 'approve' });
  expect(completed.status, JSON.stringify(completed.body)).toBe(200);
  expect((await as('alice').post(`/api/instances/${flowRecords.Withdrawn!.instanceId}/withdraw`, {})).status).toBe(200);
});

describe('filters in the words people read', () => {
  it('finds a select field by its zh-CN label, its en label and its stored value alike', async () => {
    for (const word of ['账单', 'Billing', 'billing']) {
      expect(customers(await list('admin', `?filter[category]=${encodeURIComponent(word)}&sort=customer`)), word).toEqual(['Alpha', 'Gamma']);
    }
    expect(customers(await list('admin', `?filter[category][ne]=${encodeURIComponent('服务')}&sort=customer${plain}`))).toEqual(['Alpha', 'Delta', 'Gamma']);
    expect(customers(await list('admin', `?filter[category][in]=${encodeURIComponent('物流,Billing')}&sort=customer`))).toEqual(['Alpha', 'Delta', 'Gamma']);
    expect(customers(await list('admin', `?filter[category][contains]=${encodeURIComponent('流')}`))).toEqual(['Delta']);
    // A word no option carries matches nothing rather than everything.
    expect(await list('admin', `?filter[category]=${encodeURIComponent('退款')}`)).toEqual([]);
  });

  it('finds a checkbox field holding the labelled choice', async () => {
    expect(customers(await list('admin', `?filter[channels]=${encodeURIComponent('邮件')}&sort=customer`))).toEqual(['Beta', 'Gamma']);
    expect(customers(await list('admin', `?filter[channels][ne]=${encodeURIComponent('电话')}&sort=customer${plain}`))).toEqual(['Beta', 'Delta']);
  });

  it('filters a date field by a range, as dates', async () => {
    expect(customers(await list('admin', '?filter[received][gte]=2026-01-01&filter[received][lte]=2026-12-31&sort=received'))).toEqual(['Alpha', 'Beta']);
  });

  it('answers 422 naming the parameter for an unknown field, operator or a bad value, and bounds the query', async () => {
    for (const [query, pointer] of [
      ['?filter[nope]=1', 'filter[nope]'],
      ['?filter[category][between]=a', 'filter[category][between]'],
      ['?filter[received][gte]=yesterday', 'filter[received][gte]'],
      ['?sort=nope', 'sort'],
      ['?sort=channels', 'sort'],
      [`?filter[customer][contains]=${'x'.repeat(501)}`, 'filter[customer][contains]'],
    ]) {
      const { status, body } = await as('admin').get(`/api/forms/complaint/records${query}`);
      expect(status, query).toBe(422);
      expect(body.error.details[0].pointer, query).toBe(pointer);
    }
    const many = Array.from({ length: 21 }, () => 'filter[customer]=x').join('&');
    expect((await as('admin').get(`/api/forms/complaint/records?${many}`)).body.error.message).toMatch(/at most 20 filters/);
  });
});

describe('sorting by any field', () => {
  it('sorts a number field as numbers, both ways', async () => {
    expect(customers(await list('admin', `?sort=amount${plain}`))).toEqual(['Beta', 'Gamma', 'Alpha', 'Delta']);
    expect(customers(await list('admin', `?sort=-amount${plain}`))).toEqual(['Delta', 'Alpha', 'Gamma', 'Beta']);
  });

  it('sorts a date field as dates, both ways, records without a date last', async () => {
    expect(customers(await list('admin', `?sort=received${plain}`))).toEqual(['Gamma', 'Alpha', 'Beta', 'Delta']);
    expect(customers(await list('admin', `?sort=-data.received${plain}`))).toEqual(['Beta', 'Alpha', 'Gamma', 'Delta']);
  });
});

describe('process status and allowed actions', () => {
  it('shows where each flow record stands: running at its node, completed, withdrawn', async () => {
    const rows = await list('admin', '?filter[customer][in]=Running,Done,Withdrawn&sort=customer');
    const byName = Object.fromEntries(rows.map((row) => [row.data.customer, row]));
    expect(byName.Running!.process).toEqual({
      instanceId: flowRecords.Running!.instanceId,
      definitionKey: 'complaint_flow',
      status: 'active',
      currentNodes: [{ id: 'handle', name: '部门处理' }],
    });
    expect(byName.Done!.process).toMatchObject({ status: 'completed', currentNodes: [] });
    expect(byName.Withdrawn!.process).toMatchObject({ status: 'withdrawn', currentNodes: [] });
    expect((await list('admin', '?filter[customer]=Alpha'))[0]!.process).toBeNull();
  });

  it('says who may edit and delete, and the writes agree', async () => {
    const alpha = (await list('alice', '?filter[customer]=Alpha'))[0]!;
    const path = `/api/forms/complaint/records/${alpha.id}`;
    // Print and unmask come from the data permissions (engine/access/): a form without groups lets everyone print; unmask is for admins.
    expect((await as('alice').get(path)).body).toMatchObject({ allowedActions: ['edit', 'delete', 'print'], process: null, printTemplates: [] });
    expect((await as('carol').get(path)).body.allowedActions).toEqual(['print']);
    expect((await as('carol').delete(path)).status).toBe(403);
    expect((await as('admin').get(path)).body.allowedActions).toEqual(['edit', 'delete', 'print', 'unmask']);

    // A flow record: never for staff; for an admin only once its instance has ended.
    const running = `/api/forms/complaint/records/${flowRecords.Running!.recordId}`;
    const done = `/api/forms/complaint/records/${flowRecords.Done!.recordId}`;
    expect((await as('alice').get(running)).body.allowedActions).toEqual(['print']);
    expect((await as('admin').get(running)).body.allowedActions).toEqual(['print', 'unmask']);
    expect((await as('admin').put(running, { data: { customer: 'Running', category: 'billing' } })).status).toBe(409);
    expect((await as('alice').get(done)).body.allowedActions).toEqual(['print']);
    expect((await as('admin').get(done)).body.allowedActions).toEqual(['edit', 'delete', 'print', 'unmask']);
    expect((await as('admin').put(done, { data: { customer: 'Done', category: 'billing' } })).status).toBe(200);
  });

  it('lists the print templates of the form on the record page answer', async () => {
    const saved = await t.request('PUT', '/api/templates/print/complaint-slip', {
      token: tokens.admin,
      body: { formKey: 'complaint', title: '投诉回执', body: '<h1>投诉回执 {{customer}}</h1>' },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const alpha = (await list('alice', '?filter[customer]=Alpha'))[0]!;
    const detail = await as('alice').get(`/api/forms/complaint/records/${alpha.id}`);
    expect(detail.body.printTemplates).toEqual([{ key: 'complaint-slip', title: '投诉回执' }]);
  });
});
