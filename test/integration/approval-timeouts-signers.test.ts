/**
 * Timeouts on approval nodes with several signers: a signer who has decided takes their
 * reminder and timeout jobs along, the others keep theirs; a task on hold behind a signer
 * added before it (前加签) is not acted on by its timeout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { approvalProcess, createOrg, type Org } from '../helpers/approvalOrg.ts';
import { bpmn } from '../helpers/engine.ts';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let org: Org;

const TIMEOUT = '<liuzhuan:timeout remindAfter="PT4H" after="P1D" action="approve"/>';

beforeAll(async () => {
  org = await createOrg(t);
  for (const [key, mode, names] of [['countersign', 'all', 'zhangsan,lisi,wangwu'], ['solo', 'single', 'zhangsan']] as const) {
    const approval = `<liuzhuan:approval mode="${mode}"><liuzhuan:assignee type="user" value="${names}"/></liuzhuan:approval>`;
    const deployed = await org.as('admin').post('/api/definitions', { xml: bpmn(approvalProcess(key, approval, TIMEOUT)) });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  }
});

async function start(key: string): Promise<string> {
  const started = await org.as('zhouba').post('/api/instances', { definitionKey: key, variables: {} });
  expect(started.status).toBe(201);
  return started.body.id;
}

async function reviewTasks(instanceId: string): Promise<Record<string, string>> {
  const tasks = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body as Array<{ id: string; elementId: string; assignee: string }>;
  return Object.fromEntries(tasks.filter((task) => task.elementId === 'review').map((task) => [task.assignee, task.id]));
}

/** taskId → the types of its task:* jobs. */
async function taskJobs(instanceId: string): Promise<Record<string, string[]>> {
  const rows = await t.server.ctx.db('jobs').where({ instance_id: instanceId }).andWhereLike('type', 'task:%').select('type', 'payload');
  const byTask: Record<string, string[]> = {};
  for (const row of rows) (byTask[row.payload.taskId] ??= []).push(row.type);
  for (const types of Object.values(byTask)) types.sort();
  return byTask;
}

describe('timeouts with several signers', () => {
  it('drops the jobs of a signer who approved and keeps the others’', async () => {
    const id = await start('countersign');
    const tasks = await reviewTasks(id);
    const both = ['task:remind', 'task:timeout'];
    expect(await taskJobs(id)).toEqual({ [tasks.zhangsan!]: both, [tasks.lisi!]: both, [tasks.wangwu!]: both });

    expect((await org.as('zhangsan').post(`/api/tasks/${tasks.zhangsan}/approve`)).status).toBe(200);
    expect(await taskJobs(id)).toEqual({ [tasks.lisi!]: both, [tasks.wangwu!]: both });
  });

  it('leaves a held task alone when its timeout fires; the added signer’s task has its own', async () => {
    const id = await start('solo');
    const { zhangsan } = await reviewTasks(id);
    const added = await org.as('zhangsan').post(`/api/tasks/${zhangsan}/add-signer`, { username: 'lisi', position: 'before' });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    const jobs = await taskJobs(id);
    expect(jobs[added.body.addedTask.id]).toEqual(['task:remind', 'task:timeout']);

    const heldTimeout = await t.server.ctx.db('jobs').where({ instance_id: id, type: 'task:timeout' }).whereRaw("payload->>'taskId' = ?", [zhangsan]).first();
    const fired = await org.as('admin').post(`/api/jobs/${heldTimeout.id}/execute`);
    expect(fired.body).toMatchObject({ status: 'executed' });
    const held = await t.server.ctx.db('tasks').where({ id: zhangsan }).first();
    expect(held).toMatchObject({ status: 'open', held: true });
    expect((await org.as('admin').get(`/api/instances/${id}`)).body).toMatchObject({ status: 'active', activeElementIds: ['review'] });
    expect(await t.server.ctx.db('incidents').where({ instance_id: id })).toEqual([]);
  });
});
