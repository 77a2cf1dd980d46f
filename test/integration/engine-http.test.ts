/**
 * The engine through its public HTTP contract: deploy, start, tasks, complete, history;
 * a restart between two steps; two people completing one task at once.
 */
import { describe, expect, it } from 'vitest';
import { connect } from '../../engine/db/connection.ts';
import { readConfig } from '../../server/config.ts';
import { startServer } from '../../server/server.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();

const approval = bpmn(`<process id="contractApproval" name="合同审批" isExecutable="true">
  <startEvent id="submitted"/>
  <userTask id="managerReview" name="主管审批" camunda:candidateGroups="admin" camunda:formKey="contract"/>
  <exclusiveGateway id="decision" default="decision-rejected"/>
  <userTask id="archive" name="归档" camunda:assignee="admin"/>
  <endEvent id="rejected"/>
  <endEvent id="done"/>
  ${flow('submitted', 'managerReview')}
  ${flow('managerReview', 'decision')}
  ${flow('decision', 'archive', '${approved == true}')}
  ${flow('decision', 'rejected')}
  ${flow('archive', 'done')}
</process>`);

async function adminToken() {
  return t.login('admin', TEST_ADMIN_PASSWORD);
}

describe('engine over HTTP', () => {
  it('deploys, runs and reports an approval with history in order', async () => {
    const token = await adminToken();
    const deployed = await t.request('POST', '/api/definitions', { token, body: { xml: approval } });
    expect(deployed.status).toBe(201);
    expect(deployed.body).toMatchObject({ key: 'contractApproval', version: 1 });
    const again = await t.request('POST', '/api/definitions', { token, body: { xml: approval } });
    expect(again.body.version).toBe(2);

    const started = await t.request('POST', '/api/instances', {
      token,
      body: { definitionKey: 'contractApproval', businessKey: 'HT-2026-001', variables: { amount: 120000 } },
    });
    expect(started.status).toBe(201);
    expect(started.body).toEqual({ id: expect.any(String), status: 'active', nextTasks: [expect.objectContaining({ elementId: 'managerReview', status: 'open' })], nextTasksTotal: 1 });
    const id = started.body.id;

    const tasks = await t.request('GET', `/api/tasks?instanceId=${id}`, { token });
    expect(tasks.body).toEqual([
      expect.objectContaining({ elementId: 'managerReview', name: '主管审批', formKey: 'contract', candidateGroups: ['admin'] }),
    ]);
    // The start's answer already named the task the list shows: a client need not ask for the list.
    expect(started.body.nextTasks).toEqual(tasks.body);
    const byGroup = await t.request('GET', '/api/tasks?candidateGroup=admin', { token });
    expect(byGroup.body.map((task: { id: string }) => task.id)).toContain(tasks.body[0].id);

    const completed = await t.request('POST', `/api/tasks/${tasks.body[0].id}/complete`, {
      token,
      body: { variables: { approved: true } },
    });
    expect(completed.status).toBe(200);
    // The next node is a service/script step or a task for someone else: whatever it opened for the caller is listed.
    const open = await t.request('GET', `/api/tasks?instanceId=${id}`, { token });
    expect(completed.body.nextTasks).toEqual(open.body);
    const instance = await t.request('GET', `/api/instances/${id}`, { token });
    expect(instance.body).toMatchObject({
      definitionKey: 'contractApproval',
      status: 'active',
      activeElementIds: ['archive'],
      variables: { amount: 120000, approved: true },
    });
    const history = await t.request('GET', `/api/instances/${id}/history`, { token });
    expect(history.body.map((row: { elementId: string }) => row.elementId)).toEqual([
      'submitted',
      'managerReview',
      'decision',
      'archive',
    ]);
    expect(history.body[1]).toMatchObject({ elementType: 'userTask', startedAt: expect.any(String), endedAt: expect.any(String) });
    expect(history.body[3].endedAt).toBeNull();
  });

  it('refuses invalid XML with 422 naming line and column', async () => {
    const token = await adminToken();
    const { status, body } = await t.request('POST', '/api/definitions', {
      token,
      body: { xml: '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"><startEvent id="s"></process>' },
    });
    expect(status).toBe(422);
    expect(body.error.details[0]).toMatchObject({ line: expect.any(Number), column: expect.any(Number) });
  });

  it('lets exactly one of two concurrent completions of one task win', async () => {
    const token = await adminToken();
    const { body: started } = await t.request('POST', '/api/instances', { token, body: { definitionKey: 'contractApproval' } });
    const [task] = (await t.request('GET', `/api/tasks?instanceId=${started.id}`, { token })).body;
    const attempts = await Promise.all(
      [true, false].map((approved) =>
        t.request('POST', `/api/tasks/${task.id}/complete`, { token, body: { variables: { approved } } }),
      ),
    );
    expect(attempts.map((attempt) => attempt.status).sort()).toEqual([200, 409]);
    const loser = attempts.find((attempt) => attempt.status === 409)!;
    expect(loser.body.error.code).toBe('task_closed');
    const winner = attempts.findIndex((attempt) => attempt.status === 200);
    const instance = (await t.request('GET', `/api/instances/${started.id}`, { token })).body;
    // The instance moved exactly once, along the winner's decision.
    expect(instance.variables.approved).toBe(winner === 0);
    const actions = await t.server.ctx.db('task_actions').where({ task_id: task.id, action: 'complete' });
    expect(actions).toHaveLength(1);
  });

  it('answers 401 without a token and 403 when staff deploy', async () => {
    expect((await t.request('GET', '/api/tasks')).status).toBe(401);
    expect((await t.request('POST', '/api/definitions', { body: { xml: approval } })).status).toBe(401);
  });

  it('validates task completion against the task form: 422 with pointers, nothing changes', async () => {
    const token = await adminToken();
    const form = await t.request('POST', '/api/forms', {
      token,
      body: {
        key: 'expense',
        title: '报销单',
        schema: {
          type: 'object',
          properties: { amount: { type: 'number', minimum: 0 }, reason: { type: 'string', minLength: 2 } },
          required: ['amount', 'reason'],
        },
      },
    });
    expect(form.status).toBe(201);
    await t.request('POST', '/api/definitions', {
      token,
      body: {
        xml: bpmn(`<process id="expenseClaim" isExecutable="true">
          <startEvent id="s"/><userTask id="fill" camunda:formKey="expense"/><endEvent id="e"/>
          ${flow('s', 'fill')}${flow('fill', 'e')}
        </process>`),
      },
    });
    const { body: started } = await t.request('POST', '/api/instances', { token, body: { definitionKey: 'expenseClaim' } });
    const [task] = (await t.request('GET', `/api/tasks?instanceId=${started.id}`, { token })).body;
    const bad = await t.request('POST', `/api/tasks/${task.id}/complete`, { token, body: { variables: { amount: -5 } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((detail: { pointer: string }) => detail.pointer).sort()).toEqual(['/amount', '/reason']);
    const still = (await t.request('GET', `/api/instances/${started.id}`, { token })).body;
    expect(still).toMatchObject({ status: 'active', activeElementIds: ['fill'], variables: {} });
    const good = await t.request('POST', `/api/tasks/${task.id}/complete`, {
      token,
      body: { variables: { amount: 88.5, reason: '出差', approvedBy: 'x' } },
    });
    expect(good.status).toBe(200);
    expect((await t.request('GET', `/api/instances/${started.id}`, { token })).body.status).toBe('completed');
  });

  it('resumes an instance where it waited after the server restarts', async () => {
    const token = await adminToken();
    const { body: started } = await t.request('POST', '/api/instances', { token, body: { definitionKey: 'contractApproval' } });
    const [task] = (await t.request('GET', `/api/tasks?instanceId=${started.id}`, { token })).body;

    // Must stay the last test: it stops this file's server.
    // A second server over the same database; the first one is gone.
    const databaseUrl = (t.server.ctx.db.client.config.connection as string);
    await t.server.close();
    const restarted = await startServer(
      { ...readConfig({ PORT: '0', ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LIUZHUAN_LOAD_TEMPLATES: 'false' }), databaseUrl },
      { db: connect(databaseUrl), url: databaseUrl, embedded: false, close: async () => {} },
    );
    try {
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${restarted.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      const complete = await call('POST', `/api/tasks/${task.id}/complete`, { variables: { approved: false } });
      expect(complete.status).toBe(200);
      const instance = await (await call('GET', `/api/instances/${started.id}`)).json();
      expect(instance).toMatchObject({ status: 'completed', activeElementIds: [] });
    } finally {
      await restarted.ctx.db.destroy();
      await restarted.close();
    }
  }, 90_000); // a full server stop and start; once seen past 30 s on a loaded 2-core run (325 ms alone)

});
