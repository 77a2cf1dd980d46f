/**
 * Issue #10 findings 7 and 8, over real HTTP with several users:
 * - a process bound to a form starts only through that form — `POST /api/instances` is a
 *   form submission (schema, start-node permissions, the record), and a message cannot
 *   start it;
 * - the record of a flow form changes only through its process: 409 to its creator while
 *   and after it runs, to admins while it runs; an admin's later correction is logged.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrg, type Org } from '../helpers/approvalOrg.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let org: Org;
const db = () => t.server.ctx.db;
const count = async (table: string) => Number((await db()(table).count({ n: '*' }))[0]!.n);
const counts = async () => ({
  instances: await count('process_instances'),
  tasks: await count('tasks'),
  records: await count('records'),
});

// `discount` is read-only at the start node: the submitter may not fill it in.
const contractXml = bpmn(
  `<process id="contract-flow" isExecutable="true">
    <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="contract"/></liuzhuan:settings></extensionElements>
    <startEvent id="s"><extensionElements><liuzhuan:fieldPermissions><liuzhuan:field name="discount" access="readonly"/></liuzhuan:fieldPermissions></extensionElements></startEvent>
    <startEvent id="by-message"><messageEventDefinition messageRef="m-new-contract"/></startEvent>
    <userTask id="review" name="审批" camunda:assignee="zhaoliu"/>
    <endEvent id="e"/>
    ${flow('s', 'review')}${flow('by-message', 'review')}${flow('review', 'e')}
  </process>`,
  `<message id="m-new-contract" name="new-contract" liuzhuan:access="public"/>`,
);

async function put(user: string, path: string, body: unknown) {
  return t.request('PUT', path, { token: org.tokens[user], body });
}
async function del(user: string, path: string) {
  return t.request('DELETE', path, { token: org.tokens[user] });
}

beforeAll(async () => {
  org = await createOrg(t);
  const form = await org.as('admin').post('/api/forms', {
    key: 'contract',
    title: '合同',
    schema: {
      type: 'object',
      properties: {
        amount: { type: 'number', minimum: 0 },
        customer: { type: 'string' },
        discount: { type: 'number' },
      },
      required: ['amount', 'customer'],
      additionalProperties: false,
    },
  });
  expect(form.status).toBe(201);
  expect((await org.as('admin').post('/api/forms', { key: 'memo', title: '备忘', schema: { type: 'object', properties: { text: { type: 'string' } } } })).status).toBe(201);
  expect((await org.as('admin').post('/api/definitions', { xml: contractXml })).status).toBe(201);
});

describe('finding 7: starting a form-bound process goes through its form', () => {
  it('POST /api/instances validates the variables as the form data (422 under /variables) and stores nothing', async () => {
    const before = await counts();
    const started = await org.as('zhangsan').post('/api/instances', {
      definitionKey: 'contract-flow',
      variables: { amount: -1e9, customer: { evil: true }, approved: true },
    });
    expect(started.status).toBe(422);
    const pointers = started.body.error.details.map((detail: { pointer: string }) => detail.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/variables/amount', '/variables/customer']));
    expect(await counts()).toEqual(before);
  });

  it("applies the start node's field permissions", async () => {
    const before = await counts();
    const started = await org.as('zhangsan').post('/api/instances', {
      definitionKey: 'contract-flow',
      variables: { amount: 10, customer: 'ACME', discount: 50 },
    });
    expect(started.status).toBe(422);
    expect(started.body.error.code).toBe('field_permissions');
    expect(started.body.error.details).toEqual([expect.objectContaining({ pointer: '/variables/discount' })]);
    expect(await counts()).toEqual(before);
  });

  it('a valid start is a submission: the record, its link, the submit action — like POST /api/forms/:key/submit', async () => {
    const started = await org.as('zhangsan').post('/api/instances', {
      definitionKey: 'contract-flow',
      variables: { amount: 5000, customer: 'ACME' },
    });
    expect(started.status).toBe(201);
    // The first approval is someone else's: nothing is next for the starter.
    expect(started.body).toEqual({ id: expect.any(String), status: 'active', recordId: expect.any(String), nextTasks: [], nextTasksTotal: 0 });
    const instance = await org.as('zhangsan').get(`/api/instances/${started.body.id}`);
    expect(instance.body).toMatchObject({
      businessKey: started.body.recordId,
      startedBy: 'zhangsan',
      variables: { amount: 5000, customer: 'ACME', recordId: started.body.recordId },
      record: { id: started.body.recordId, formKey: 'contract' },
    });
    const record = await org.as('zhangsan').get(`/api/forms/contract/records/${started.body.recordId}`);
    expect(record.body).toMatchObject({ data: { amount: 5000, customer: 'ACME' }, instanceId: started.body.id });
    const actions = await org.as('zhangsan').get(`/api/instances/${started.body.id}/actions`);
    expect(actions.body).toEqual([expect.objectContaining({ action: 'submit', actor: 'zhangsan' })]);
  });

  it('refuses a business key of the caller: the record id is the business key', async () => {
    const started = await org.as('zhangsan').post('/api/instances', {
      definitionKey: 'contract-flow',
      businessKey: 'C-1',
      variables: { amount: 1, customer: 'ACME' },
    });
    expect(started.status).toBe(422);
    expect(started.body.error.details).toEqual([expect.objectContaining({ pointer: '/businessKey' })]);
  });

  it('a message may not start a form-bound process (422 form_required), even a public one sent by an admin', async () => {
    const before = await counts();
    for (const user of ['zhangsan', 'admin']) {
      const sent = await org.as(user).post('/api/messages', { messageName: 'new-contract' });
      expect(sent.status).toBe(422);
      expect(sent.body.error.code).toBe('form_required');
    }
    expect(await counts()).toEqual(before);
  });
});

describe('finding 8: a flow-form record changes only through its process', () => {
  let instanceId: string;
  let recordPath: string;

  beforeAll(async () => {
    const submitted = await org.as('zhangsan').post('/api/forms/contract/submit', { data: { amount: 5000, customer: 'ACME' } });
    expect(submitted.status).toBe(201);
    instanceId = submitted.body.instance.id;
    recordPath = `/api/forms/contract/records/${submitted.body.record.id}`;
  });

  it('refuses PUT and DELETE to the creator and to admins while the instance runs', async () => {
    for (const user of ['zhangsan', 'admin']) {
      const changed = await put(user, recordPath, { data: { amount: 100_000_000, customer: 'ACME' } });
      expect(changed.status).toBe(409);
      expect(changed.body.error.code).toBe('record_owned_by_process');
      const deleted = await del(user, recordPath);
      expect(deleted.status).toBe(409);
      expect(deleted.body.error.code).toBe('record_owned_by_process');
    }
    expect((await org.as('zhaoliu').get(recordPath)).body.data).toEqual({ amount: 5000, customer: 'ACME' });
    const instance = await org.as('zhangsan').get(`/api/instances/${instanceId}`);
    expect(instance.body.record).toMatchObject({ formKey: 'contract' });
  });

  it('after approval the creator still gets 409; an admin may correct it, and the change is in the action log', async () => {
    const [task] = (await org.as('zhaoliu').get(`/api/tasks?instanceId=${instanceId}`)).body;
    expect((await org.as('zhaoliu').post(`/api/tasks/${task.id}/approve`, {})).status).toBe(200);
    expect((await org.as('zhangsan').get(`/api/instances/${instanceId}`)).body.status).toBe('completed');

    const byCreator = await put('zhangsan', recordPath, { data: { amount: 9_999_999, customer: 'ACME' } });
    expect(byCreator.status).toBe(409);
    expect(byCreator.body.error.code).toBe('record_owned_by_process');
    expect((await del('zhangsan', recordPath)).status).toBe(409);
    expect((await org.as('zhangsan').get(recordPath)).body.data.amount).toBe(5000);

    const byAdmin = await put('admin', recordPath, { data: { amount: 5200, customer: 'ACME' } });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.data.amount).toBe(5200);
    const deleted = await del('admin', recordPath);
    expect(deleted.status).toBe(204);
    const actions = (await org.as('zhangsan').get(`/api/instances/${instanceId}/actions`)).body;
    expect(actions.slice(-2)).toEqual([
      expect.objectContaining({ action: 'record_update', actor: 'admin', details: expect.objectContaining({ changes: { amount: { from: 5000, to: 5200 } } }) }),
      expect.objectContaining({ action: 'record_delete', actor: 'admin' }),
    ]);
  });

  it('leaves plain records (no process) to their creator as before', async () => {
    const created = await org.as('zhangsan').post('/api/forms/memo/records', { data: { text: 'a' } });
    expect(created.status).toBe(201);
    const path = `/api/forms/memo/records/${created.body.id}`;
    expect((await put('zhangsan', path, { data: { text: 'b' } })).status).toBe(200);
    expect((await del('zhangsan', path)).status).toBe(204);
  });
});
