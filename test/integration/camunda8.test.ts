/**
 * Models drawn in Camunda Modeler 5 for Camunda 8 (test/fixtures/camunda8, saved the way the
 * modeler saves them: `modeler:executionPlatform="Camunda Cloud"`, Zeebe extension elements)
 * deploy and run where their meaning maps (engine/bpmn/zeebe.ts): zeebe:assignmentDefinition
 * assigns the tasks, zeebe:formDefinition formId is the task's form, zeebe:ioMapping maps in and
 * out, zeebe:taskSchedule sets the due date, the FEEL condition `=amount > 1000` routes. A job
 * type with no worker here, task headers without one, and an embedded Camunda Form are refused
 * with a 422 naming each element and the setting.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;

const fixture = (name: string) => readFileSync(new URL(`../fixtures/camunda8/${name}`, import.meta.url), 'utf8');
const purchase = fixture('purchase-request.bpmn');

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
});

async function tasks(instanceId: string) {
  return t.server.ctx.engine.queryTasks({ instanceId });
}

async function complete(taskId: string, variables: Record<string, unknown>) {
  const done = await t.request('POST', `/api/tasks/${taskId}/complete`, { token: admin, body: { variables } });
  expect(done.status, JSON.stringify(done.body)).toBeLessThan(300);
}

async function instance(id: string) {
  return (await t.request('GET', `/api/instances/${id}`, { token: admin })).body as { status: string; variables: Record<string, unknown> };
}

describe('a Camunda 8 model', () => {
  it('deploys and runs: assigned per assignmentDefinition, the FEEL condition routes, outputs mapped back', async () => {
    expect(purchase).toContain('modeler:executionPlatform="Camunda Cloud"');
    const deployed = await t.request('POST', '/api/definitions', { token: admin, body: { xml: purchase } });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
    expect(deployed.body).toMatchObject({ key: 'purchase_request', warnings: [] });

    const started = await t.request('POST', '/api/instances', { token: admin, body: { definitionKey: 'purchase_request', variables: { amount: 1500, requester: 'admin' } } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.id as string;
    const [review] = await tasks(id);
    // assignee="=requester" is FEEL over the instance's variables; formId is the task's form.
    expect(review).toMatchObject({ elementId: 'Task_Review', assignee: 'admin', formKey: 'purchase_review' });
    await complete(review!.id, { approved: true });

    // =amount > 1000 took the large path; the output mapping copied approved into decision.
    const [director] = await tasks(id);
    expect(director).toMatchObject({ elementId: 'Task_Director', assignee: null, candidateGroups: ['finance'], candidateUsers: ['wangwu', 'zhaoliu'] });
    expect(director!.dueAt).not.toBeNull();
    expect((await instance(id)).variables).toMatchObject({ amount: 1500, decision: true });
    // The input mapping is local to the review task: it does not leak into the instance.
    expect((await instance(id)).variables).not.toHaveProperty('doubled');
    await complete(director!.id, {});
    expect((await instance(id)).status).toBe('completed');
    const history = (await t.request('GET', `/api/instances/${id}/history`, { token: admin })).body as { elementId: string }[];
    expect(history.map((row) => row.elementId)).toContain('End_Large');

    // A small amount takes the default flow straight to the end after the review.
    const small = await t.request('POST', '/api/instances', { token: admin, body: { definitionKey: 'purchase_request', variables: { amount: 200, requester: 'admin' } } });
    const [smallReview] = await tasks(small.body.id);
    await complete(smallReview!.id, { approved: false });
    expect(await instance(small.body.id)).toMatchObject({ status: 'completed', variables: { decision: false } });
  });

  it('refuses what has no meaning here, naming each element and the setting', async () => {
    const refused = await t.request('POST', '/api/definitions', { token: admin, body: { xml: fixture('job-worker.bpmn') } });
    expect(refused.status).toBe(422);
    const details = refused.body.error.details as { pointer: string; message: string; code?: string; params?: { setting?: string } }[];
    expect(details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: 'Task_Pay', code: 'zeebe_unsupported', message: expect.stringContaining('zeebe:taskDefinition type "payment-worker"') }),
        expect.objectContaining({ pointer: 'Task_Confirm', message: expect.stringContaining('zeebe:formDefinition formKey "camunda-forms:bpmn:UserTaskForm_1"') }),
        expect.objectContaining({ pointer: 'Task_Confirm', params: { setting: 'zeebe:taskHeaders' } }),
      ]),
    );
    const definitions = (await t.request('GET', '/api/definitions', { token: admin })).body as { key: string }[];
    expect(definitions.map((definition) => definition.key)).not.toContain('pay_invoice');
  });

  it('runs a job type that is one of our effects as that effect, its task headers the settings', async () => {
    const xml = purchase.replace(
      '<bpmn:userTask id="Task_Director" name="Director approval">',
      `<bpmn:serviceTask id="Task_Notify"><bpmn:extensionElements><zeebe:taskDefinition type="webhook" />
        <zeebe:taskHeaders><zeebe:header key="url" value="https://hooks.example.com/purchase" /><zeebe:header key="method" value="POST" /></zeebe:taskHeaders>
        </bpmn:extensionElements></bpmn:serviceTask>
      <bpmn:userTask id="Task_Director" name="Director approval">`,
    );
    const compiled = await compileBpmn(xml);
    expect(compiled.processes[0]!.nodes.Task_Notify!.serviceTask).toEqual({
      kind: 'effect',
      effectType: 'webhook',
      config: { url: 'https://hooks.example.com/purchase', method: 'POST' },
    });
  });
});
