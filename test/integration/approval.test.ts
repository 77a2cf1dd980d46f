/**
 * Approval semantics over HTTP: field permissions enforced by the server (hidden fields
 * never sent, read-only fields not changeable, required-at-node fields), approve/reject,
 * transfer, return to an earlier node, withdraw, allowed actions, the action log, and
 * concurrent actions on one task.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();

const permissions = (fields: Record<string, string>) =>
  `<liuzhuan:fieldPermissions>${Object.entries(fields)
    .map(([name, access]) => `<liuzhuan:field name="${name}" access="${access}"/>`)
    .join('')}</liuzhuan:fieldPermissions>`;

// apply (the starter) → review (bob) → approved? archive (carol, approve only) : rejected
const leaveProcess = bpmn(`<process id="leave" isExecutable="true">
  <startEvent id="s" camunda:initiator="starter"/>
  <userTask id="apply" camunda:assignee="\${starter}" camunda:formKey="leave-form">
    <extensionElements>${permissions({ secret: 'hidden' })}</extensionElements>
  </userTask>
  <userTask id="review" camunda:assignee="bob" camunda:formKey="leave-form">
    <extensionElements>${permissions({ amount: 'readonly', secret: 'hidden', opinion: 'required', reason: 'editable' })}</extensionElements>
  </userTask>
  <exclusiveGateway id="gw" default="gw-rejected"/>
  <userTask id="archive" camunda:assignee="carol">
    <extensionElements><liuzhuan:actions allowed="approve"/></extensionElements>
  </userTask>
  <endEvent id="rejected"/>
  <endEvent id="done"/>
  ${flow('s', 'apply')}${flow('apply', 'review')}${flow('review', 'gw')}
  ${flow('gw', 'archive', '${approved == true}')}${flow('gw', 'rejected')}${flow('archive', 'done')}
</process>`);

const tokens: Record<string, string> = {};

beforeAll(async () => {
  tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const username of ['alice', 'bob', 'carol', 'dave']) {
    const created = await t.request('POST', '/api/users', {
      token: tokens.admin,
      body: { username, displayName: username, password: `${username}-password`, role: 'staff' },
    });
    expect(created.status).toBe(201);
    tokens[username] = await t.login(username, `${username}-password`);
  }
  const form = await t.request('POST', '/api/forms', {
    token: tokens.admin,
    body: {
      key: 'leave-form',
      title: '请假单',
      schema: {
        type: 'object',
        properties: { amount: { type: 'number' }, reason: { type: 'string' }, secret: { type: 'string' }, opinion: { type: 'string' } },
      },
    },
  });
  expect(form.status).toBe(201);
  expect((await t.request('POST', '/api/definitions', { token: tokens.admin, body: { xml: leaveProcess } })).status).toBe(201);
});

const as = (user: string) => ({
  get: (path: string) => t.request('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.request('POST', path, { token: tokens[user], body }),
});

async function openTask(instanceId: string) {
  const tasks = (await as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body;
  expect(tasks).toHaveLength(1);
  return tasks[0] as { id: string; elementId: string; assignee: string };
}

/** alice starts and submits; the task is then at `review` with bob. */
async function submitted(): Promise<{ instanceId: string; taskId: string }> {
  const started = await as('alice').post('/api/instances', {
    definitionKey: 'leave',
    variables: { amount: 3, reason: 'trip', secret: 'salary-123' },
  });
  expect(started.status).toBe(201);
  const apply = await openTask(started.body.id);
  expect(apply).toMatchObject({ elementId: 'apply', assignee: 'alice' });
  expect((await as('alice').post(`/api/tasks/${apply.id}/complete`, { comment: '请批准' })).status).toBe(200);
  const review = await openTask(started.body.id);
  expect(review).toMatchObject({ elementId: 'review', assignee: 'bob' });
  return { instanceId: started.body.id, taskId: review.id };
}

const pointers = (body: any) => body.error.details.map((detail: { pointer: string }) => detail.pointer).sort();

describe('field permissions', () => {
  it('never sends a hidden field to the assignee of the node', async () => {
    const { taskId } = await submitted();
    const form = await as('bob').get(`/api/tasks/${taskId}/form`);
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({
      task: { id: taskId, elementId: 'review' },
      formKey: 'leave-form',
      // The record's fields only: process variables such as `starter` stay out of the form.
      data: { amount: 3, reason: 'trip' },
      fieldPermissions: { amount: 'readonly', opinion: 'required', reason: 'editable' },
    });
    expect(Object.keys(form.body.form.schema.properties).sort()).toEqual(['amount', 'opinion', 'reason']);
    expect(Object.keys(form.body.data).sort()).toEqual(['amount', 'reason']);
    expect(JSON.stringify(form.body)).not.toContain('secret');
    expect(JSON.stringify(form.body)).not.toContain('salary-123');
    expect((await as('dave').get(`/api/tasks/${taskId}/form`)).status).toBe(403);
  });

  it('refuses a tampered read-only or hidden field with 422 and changes nothing', async () => {
    const { instanceId, taskId } = await submitted();
    const tampered = await as('bob').post(`/api/tasks/${taskId}/approve`, {
      variables: { amount: 300, secret: 'x', opinion: 'ok' },
    });
    expect(tampered.status).toBe(422);
    expect(pointers(tampered.body)).toEqual(['/amount', '/secret']);
    const instance = (await as('admin').get(`/api/instances/${instanceId}`)).body;
    expect(instance).toMatchObject({ status: 'active', activeElementIds: ['review'] });
    expect(instance.variables).toMatchObject({ amount: 3, secret: 'salary-123' });
    expect(instance.variables).not.toHaveProperty('opinion');
    expect((await openTask(instanceId)).id).toBe(taskId);
    // Sending the read-only value back unchanged is fine.
    const ok = await as('bob').post(`/api/tasks/${taskId}/approve`, { variables: { amount: 3, opinion: 'ok' } });
    expect(ok.status).toBe(200);
  });

  it('requires the fields required at this node (422 with pointers)', async () => {
    const { instanceId, taskId } = await submitted();
    const missing = await as('bob').post(`/api/tasks/${taskId}/approve`, { variables: { opinion: '  ' } });
    expect(missing.status).toBe(422);
    expect(pointers(missing.body)).toEqual(['/opinion']);
    expect((await openTask(instanceId)).id).toBe(taskId);
  });
});

describe('approval actions', () => {
  it('approves and rejects: the gateway routes on `approved`, the decision is kept per node', async () => {
    const first = await submitted();
    await as('bob').post(`/api/tasks/${first.taskId}/complete`, { decision: 'approve', variables: { opinion: 'ok' } });
    const approved = (await as('admin').get(`/api/instances/${first.instanceId}`)).body;
    expect(approved).toMatchObject({ activeElementIds: ['archive'], variables: { approved: true, review_decision: 'approve' } });

    const second = await submitted();
    const rejected = await as('bob').post(`/api/tasks/${second.taskId}/reject`, { comment: '理由不足' });
    expect(rejected.status).toBe(200);
    const instance = (await as('admin').get(`/api/instances/${second.instanceId}`)).body;
    expect(instance).toMatchObject({ status: 'completed', variables: { approved: false, review_decision: 'reject' } });
  });

  it('transfers a task: the new assignee completes it, the old one gets 409 naming the new holder', async () => {
    const { instanceId, taskId } = await submitted();
    expect((await as('bob').post(`/api/tasks/${taskId}/transfer`, { to: 'nobody-here' })).status).toBe(422);
    const moved = await as('bob').post(`/api/tasks/${taskId}/transfer`, { to: 'carol', comment: '请代批' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ assignee: 'carol', status: 'open' });
    // However late bob's request reads the task, having handed it on is a lost race, not an intrusion.
    const late = await as('bob').post(`/api/tasks/${taskId}/approve`, { variables: { opinion: 'x' } });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'task_reassigned', message: expect.stringContaining('carol') });
    expect((await as('bob').post(`/api/tasks/${taskId}/transfer`, { to: 'dave' })).status).toBe(409);
    expect((await as('dave').post(`/api/tasks/${taskId}/approve`, { variables: { opinion: 'x' } })).status).toBe(403);
    expect((await as('carol').post(`/api/tasks/${taskId}/approve`, { variables: { opinion: 'ok' } })).status).toBe(200);
    const log = (await as('alice').get(`/api/instances/${instanceId}/actions`)).body;
    expect(log.map((entry: any) => [entry.action, entry.actor, entry.elementId, entry.comment])).toEqual([
      ['complete', 'alice', 'apply', '请批准'],
      ['transfer', 'bob', 'review', '请代批'],
      ['approve', 'carol', 'review', null],
    ]);
    expect(log[1]).toMatchObject({ details: { from: 'bob', to: 'carol' }, createdAt: expect.any(String) });
  });

  it('answers 403 naming a disallowed action', async () => {
    const { instanceId, taskId } = await submitted();
    await as('bob').post(`/api/tasks/${taskId}/approve`, { variables: { opinion: 'ok' } });
    const archive = await openTask(instanceId);
    const transfer = await as('carol').post(`/api/tasks/${archive.id}/transfer`, { to: 'dave' });
    expect(transfer.status).toBe(403);
    expect(transfer.body.error).toMatchObject({ code: 'action_not_allowed', message: expect.stringContaining('"transfer"') });
    const reject = await as('carol').post(`/api/tasks/${archive.id}/reject`);
    expect(reject.status).toBe(403);
    expect(reject.body.error.message).toContain('"reject"');
    const back = await as('carol').post(`/api/tasks/${archive.id}/return`, { toElementId: 'apply' });
    expect(back.status).toBe(403);
    expect((await openTask(instanceId)).id).toBe(archive.id);
  });

  it('returns the record to the first node, keeps its data, and it can be resubmitted', async () => {
    const { instanceId, taskId } = await submitted();
    const notPassed = await as('bob').post(`/api/tasks/${taskId}/return`, { toElementId: 'archive' });
    expect(notPassed.status).toBe(422);
    expect(pointers(notPassed.body)).toEqual(['/toElementId']);
    expect((await as('bob').post(`/api/tasks/${taskId}/return`, { toElementId: 'nope' })).status).toBe(422);

    const back = await as('bob').post(`/api/tasks/${taskId}/return`, { toElementId: 'apply', comment: '请补充理由' });
    expect(back.status).toBe(200);
    expect(back.body.status).toBe('cancelled');
    const apply = await openTask(instanceId);
    expect(apply).toMatchObject({ elementId: 'apply', assignee: 'alice' });
    const instance = (await as('admin').get(`/api/instances/${instanceId}`)).body;
    expect(instance).toMatchObject({ status: 'active', activeElementIds: ['apply'], variables: { amount: 3, reason: 'trip' } });
    // A returned task is closed: acting on it again is a conflict.
    expect((await as('bob').post(`/api/tasks/${taskId}/approve`, { variables: { opinion: 'x' } })).status).toBe(409);

    expect((await as('alice').post(`/api/tasks/${apply.id}/complete`, { variables: { reason: 'family trip' } })).status).toBe(200);
    const review = await openTask(instanceId);
    expect(review.elementId).toBe('review');
    expect((await as('bob').get(`/api/tasks/${review.id}/form`)).body.data).toMatchObject({ amount: 3, reason: 'family trip' });

    const log = (await as('alice').get(`/api/instances/${instanceId}/actions`)).body;
    expect(log.map((entry: any) => [entry.action, entry.actor, entry.elementId])).toEqual([
      ['complete', 'alice', 'apply'],
      ['return', 'bob', 'review'],
      ['complete', 'alice', 'apply'],
    ]);
    expect(log[1]).toMatchObject({ comment: '请补充理由', details: { from: 'review', to: 'apply' } });
    const history = (await as('admin').get(`/api/instances/${instanceId}/history`)).body;
    expect(history.map((row: any) => [row.elementId, row.cancelled])).toEqual([
      ['s', false],
      ['apply', false],
      ['review', true],
      ['apply', false],
      ['review', false],
    ]);
  });

  it('lets the starter withdraw until an approver has acted, then answers 409', async () => {
    const early = await submitted();
    expect((await as('bob').post(`/api/instances/${early.instanceId}/withdraw`)).status).toBe(403);
    const withdrawn = await as('alice').post(`/api/instances/${early.instanceId}/withdraw`, { comment: '不请了' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ status: 'terminated', activeElementIds: [] });
    expect((await as('admin').get(`/api/tasks?instanceId=${early.instanceId}`)).body).toEqual([]);
    const log = (await as('alice').get(`/api/instances/${early.instanceId}/actions`)).body;
    expect(log.at(-1)).toMatchObject({ action: 'withdraw', actor: 'alice', comment: '不请了' });

    const late = await submitted();
    await as('bob').post(`/api/tasks/${late.taskId}/transfer`, { to: 'carol' });
    const refused = await as('alice').post(`/api/instances/${late.instanceId}/withdraw`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'withdraw_too_late', message: expect.stringContaining('already acted') });
    expect((await as('admin').get(`/api/instances/${late.instanceId}`)).body.status).toBe('active');
  });
});

describe('concurrent actions on one task', () => {
  it('lets one of two concurrent transfers win; the other gets 409', async () => {
    const { taskId } = await submitted();
    const attempts = await Promise.all(
      ['carol', 'dave'].map((to) => as('bob').post(`/api/tasks/${taskId}/transfer`, { to })),
    );
    expect(attempts.map((attempt) => attempt.status).sort()).toEqual([200, 409]);
    const winner = attempts.find((attempt) => attempt.status === 200)!;
    expect((await as('admin').get(`/api/tasks/${taskId}`)).body.assignee).toBe(winner.body.assignee);
    const transfers = await t.server.ctx.db('task_actions').where({ task_id: taskId, action: 'transfer' });
    expect(transfers).toHaveLength(1);
  });

  it('lets one of a concurrent completion and transfer win; the other gets 409', async () => {
    const { instanceId, taskId } = await submitted();
    const [approve, transfer] = await Promise.all([
      as('bob').post(`/api/tasks/${taskId}/approve`, { variables: { opinion: 'ok' } }),
      as('bob').post(`/api/tasks/${taskId}/transfer`, { to: 'carol' }),
    ]);
    expect([approve.status, transfer.status].sort()).toEqual([200, 409]);
    const actions = await t.server.ctx.db('task_actions').where({ task_id: taskId }).whereIn('action', ['approve', 'transfer']);
    expect(actions).toHaveLength(1);
    const active = (await as('admin').get(`/api/instances/${instanceId}`)).body.activeElementIds;
    expect(active).toEqual(approve.status === 200 ? ['archive'] : ['review']);
  });
});
