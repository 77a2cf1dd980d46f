/**
 * How many approve (单人/会签/或签/依次), the progress the API shows, and 加签 — over real HTTP.
 * Every process: review (the approval node) → gateway on `approved` → archive | fix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn } from '../helpers/engine.ts';
import { approvalProcess, createOrg, type Org } from '../helpers/approvalOrg.ts';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let org: Org;

const users = (names: string) => `<liuzhuan:assignee type="user" value="${names}"/>`;

beforeAll(async () => {
  org = await createOrg(t);
  const deploy = async (key: string, mode: string, names: string, extras = '') => {
    const xml = bpmn(approvalProcess(key, `<liuzhuan:approval mode="${mode}">${users(names)}</liuzhuan:approval>`, extras));
    const deployed = await org.as('admin').post('/api/definitions', { xml });
    expect(deployed.status).toBe(201);
  };
  await deploy('countersign', 'all', 'zhangsan,lisi,wangwu');
  await deploy('orsign', 'any', 'zhangsan,lisi,wangwu');
  await deploy('insequence', 'sequential', 'zhangsan,lisi,wangwu');
  await deploy('single', 'single', 'zhangsan,lisi');
  await deploy('solo', 'single', 'zhangsan');
  await deploy('nosigner', 'all', 'zhangsan,lisi', '<liuzhuan:actions allowed="approve,reject"/>');
  // A plain user task (camunda assignment, no liuzhuan:approval) also accepts 加签.
  const plain = bpmn(approvalProcess('plain', '').replace('<userTask id="review" name="审批">', '<userTask id="review" camunda:assignee="zhangsan">'));
  expect((await org.as('admin').post('/api/definitions', { xml: plain })).status).toBe(201);
});

async function start(key: string): Promise<string> {
  const started = await org.as('zhouba').post('/api/instances', { definitionKey: key, variables: { amount: 10 } });
  expect(started.status).toBe(201);
  return started.body.id;
}

/** Open review tasks of the instance by assignee (or by `*` for a task offered to several). */
async function reviewTasks(instanceId: string): Promise<Record<string, string>> {
  const tasks = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body as Array<any>;
  return Object.fromEntries(tasks.filter((task) => task.elementId === 'review').map((task) => [task.assignee ?? '*', task.id]));
}

const instance = async (id: string) => (await org.as('admin').get(`/api/instances/${id}`)).body;
const statusOf = async (taskId: string) => (await t.server.ctx.db('tasks').where({ id: taskId }).first()).status as string;
const decisions = async (id: string) =>
  ((await org.as('admin').get(`/api/instances/${id}/actions`)).body as Array<any>)
    .filter((row) => row.action === 'approve' || row.action === 'reject')
    .map((row) => `${row.actor}:${row.action}`);

describe('会签 (all)', () => {
  it('the second of three rejects: node rejected, the third task cancelled, the gateway routes on approved=false', async () => {
    const id = await start('countersign');
    const tasks = await reviewTasks(id);
    expect(Object.keys(tasks).sort()).toEqual(['lisi', 'wangwu', 'zhangsan']);
    expect((await org.as('zhangsan').post(`/api/tasks/${tasks.zhangsan}/approve`)).status).toBe(200);
    expect((await instance(id)).activeElementIds).toEqual(['review']);
    expect((await instance(id)).variables).not.toHaveProperty('approved');
    expect((await org.as('lisi').post(`/api/tasks/${tasks.lisi}/reject`, { comment: '预算不足' })).status).toBe(200);
    const after = await instance(id);
    expect(after.activeElementIds).toEqual(['fix']);
    expect(after.variables).toMatchObject({ approved: false, review_decision: 'reject' });
    expect(await statusOf(tasks.wangwu!)).toBe('cancelled');
    const late = await org.as('wangwu').post(`/api/tasks/${tasks.wangwu}/approve`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('task_closed');
    expect(await decisions(id)).toEqual(['zhangsan:approve', 'lisi:reject']);
  });

  it('all approve: "2 of 3" is visible while it runs, then the node is approved', async () => {
    const id = await start('countersign');
    const tasks = await reviewTasks(id);
    await org.as('lisi').post(`/api/tasks/${tasks.lisi}/approve`);
    await org.as('zhangsan').post(`/api/tasks/${tasks.zhangsan}/approve`);
    const progress = { mode: 'all', total: 3, approved: 2, rejected: 0, pending: ['wangwu'] };
    const task = await org.as('wangwu').get(`/api/tasks/${tasks.wangwu}`);
    expect(task.body.approval).toMatchObject(progress);
    expect(task.body.approval.decided.map((d: any) => `${d.username}:${d.decision}`)).toEqual(['lisi:approve', 'zhangsan:approve']);
    expect((await org.as('wangwu').get(`/api/tasks/${tasks.wangwu}/form`)).body.approval).toMatchObject(progress);
    expect((await org.as('zhouba').get(`/api/instances/${id}/approvals`)).body).toEqual([
      expect.objectContaining({ elementId: 'review', ...progress }),
    ]);
    expect((await instance(id)).activeElementIds).toEqual(['review']);
    expect((await org.as('wangwu').post(`/api/tasks/${tasks.wangwu}/approve`)).status).toBe(200);
    const done = await instance(id);
    expect(done.activeElementIds).toEqual(['archive']);
    expect(done.variables).toMatchObject({ approved: true, review_decision: 'approve' });
    expect((await org.as('zhouba').get(`/api/instances/${id}/approvals`)).body).toEqual([]);
  });
});

describe('transfer at an approval node', () => {
  it('the progress names the new assignee, whose approval counts', async () => {
    const id = await start('countersign');
    const tasks = await reviewTasks(id);
    expect((await org.as('lisi').post(`/api/tasks/${tasks.lisi}/transfer`, { to: 'sunqi' })).status).toBe(200);
    const [progress] = (await org.as('admin').get(`/api/instances/${id}/approvals`)).body;
    expect(progress.pending).toEqual(['zhangsan', 'sunqi', 'wangwu']);
    expect((await org.as('sunqi').post(`/api/tasks/${tasks.lisi}/approve`)).status).toBe(200);
    const [after] = (await org.as('admin').get(`/api/instances/${id}/approvals`)).body;
    expect(after).toMatchObject({ approved: 1, pending: ['zhangsan', 'wangwu'], decided: [expect.objectContaining({ username: 'sunqi' })] });
  });
});

describe('或签 (any)', () => {
  it('two people act at once: exactly one wins, the other gets 409, the node is decided once', async () => {
    const id = await start('orsign');
    const tasks = await reviewTasks(id);
    const [a, b] = await Promise.all([
      org.as('zhangsan').post(`/api/tasks/${tasks.zhangsan}/approve`),
      org.as('lisi').post(`/api/tasks/${tasks.lisi}/reject`),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error.code).toBe('task_closed');
    const approvedWon = a.status === 200;
    const after = await instance(id);
    expect(after.activeElementIds).toEqual([approvedWon ? 'archive' : 'fix']);
    expect(after.variables.approved).toBe(approvedWon);
    expect(await decisions(id)).toEqual([approvedWon ? 'zhangsan:approve' : 'lisi:reject']);
    expect(await statusOf(tasks.wangwu!)).toBe('cancelled');
    const history = (await org.as('admin').get(`/api/instances/${id}/history`)).body as Array<any>;
    expect(history.filter((row) => row.elementId === 'review')).toHaveLength(1);
  });

  it('the first approval decides; the others no longer have a task', async () => {
    const id = await start('orsign');
    const tasks = await reviewTasks(id);
    expect((await org.as('wangwu').post(`/api/tasks/${tasks.wangwu}/approve`)).status).toBe(200);
    expect((await instance(id)).activeElementIds).toEqual(['archive']);
    expect([await statusOf(tasks.zhangsan!), await statusOf(tasks.lisi!)]).toEqual(['cancelled', 'cancelled']);
  });
});

describe('依次 (sequential)', () => {
  it('offers the task to one approver at a time, in rule order', async () => {
    const id = await start('insequence');
    for (const [index, name] of ['zhangsan', 'lisi', 'wangwu'].entries()) {
      const tasks = await reviewTasks(id);
      expect(Object.keys(tasks)).toEqual([name]);
      const [progress] = (await org.as('admin').get(`/api/instances/${id}/approvals`)).body;
      expect(progress).toMatchObject({ total: 3, approved: index, pending: ['zhangsan', 'lisi', 'wangwu'].slice(index) });
      expect((await org.as(name).post(`/api/tasks/${tasks[name]}/approve`)).status).toBe(200);
    }
    expect((await instance(id)).activeElementIds).toEqual(['archive']);
    expect(await decisions(id)).toEqual(['zhangsan:approve', 'lisi:approve', 'wangwu:approve']);
  });

  it('a rejection stops the sequence and rejects the node', async () => {
    const id = await start('insequence');
    await org.as('zhangsan').post(`/api/tasks/${(await reviewTasks(id)).zhangsan}/reject`);
    expect((await instance(id)).activeElementIds).toEqual(['fix']);
    const rows = await t.server.ctx.db('tasks').where({ instance_id: id, element_id: 'review' }).pluck('status');
    expect(rows).toEqual(['completed']); // lisi and wangwu never got a task
  });
});

describe('single', () => {
  it('several approvers share one task: whoever acts first decides, the other gets 409', async () => {
    const id = await start('single');
    const tasks = await reviewTasks(id);
    expect(Object.keys(tasks)).toEqual(['*']);
    const task = (await org.as('lisi').get(`/api/tasks/${tasks['*']}`)).body;
    expect(task).toMatchObject({ candidateUsers: ['zhangsan', 'lisi'], approval: { mode: 'single', total: 1, pending: ['zhangsan', 'lisi'] } });
    expect((await org.as('lisi').post(`/api/tasks/${tasks['*']}/approve`)).status).toBe(200);
    expect((await org.as('zhangsan').post(`/api/tasks/${tasks['*']}/approve`)).status).toBe(409);
    expect((await instance(id)).activeElementIds).toEqual(['archive']);
  });
});

describe('加签 (add signer)', () => {
  it('before: the added user signs first while the caller’s task is held, then it re-opens for the caller', async () => {
    const id = await start('countersign');
    const tasks = await reviewTasks(id);
    const added = await org.as('zhangsan').post(`/api/tasks/${tasks.zhangsan}/add-signer`, { username: 'sunqi', position: 'before', comment: '请孙七先看' });
    expect(added.status).toBe(200);
    expect(added.body.task).toMatchObject({ id: tasks.zhangsan, status: 'held' });
    expect(added.body.addedTask).toMatchObject({ assignee: 'sunqi', elementId: 'review', status: 'open' });
    // Held: in nobody's todo, not in the task list, and not actionable.
    expect(Object.keys(await reviewTasks(id)).sort()).toEqual(['lisi', 'sunqi', 'wangwu']);
    const todo = (await org.as('zhangsan').get('/api/inbox/todo')).body;
    expect(JSON.stringify(todo)).not.toContain(tasks.zhangsan);
    const blocked = await org.as('zhangsan').post(`/api/tasks/${tasks.zhangsan}/approve`);
    expect(blocked.status).toBe(409);
    expect(blocked.body.error.code).toBe('task_held');
    expect((await org.as('admin').get(`/api/instances/${id}/approvals`)).body[0]).toMatchObject({ total: 4, pending: ['zhangsan', 'sunqi', 'lisi', 'wangwu'] });

    expect((await org.as('sunqi').post(`/api/tasks/${added.body.addedTask.id}/approve`)).status).toBe(200);
    expect(Object.keys(await reviewTasks(id)).sort()).toEqual(['lisi', 'wangwu', 'zhangsan']);
    expect((await org.as('zhangsan').get(`/api/tasks/${tasks.zhangsan}`)).body.status).toBe('open');
    expect(JSON.stringify((await org.as('zhangsan').get('/api/inbox/todo')).body)).toContain(tasks.zhangsan);
    for (const name of ['zhangsan', 'lisi', 'wangwu']) {
      expect((await org.as(name).post(`/api/tasks/${tasks[name]}/approve`)).status).toBe(200);
    }
    expect((await instance(id)).activeElementIds).toEqual(['archive']);
    const actions = (await org.as('admin').get(`/api/instances/${id}/actions`)).body as Array<any>;
    expect(actions[0]).toMatchObject({
      action: 'add_signer',
      actor: 'zhangsan',
      comment: '请孙七先看',
      details: { position: 'before', username: 'sunqi' },
    });
  });

  it('before: a rejection by the added signer rejects the node', async () => {
    const id = await start('solo');
    const { zhangsan } = await reviewTasks(id);
    const added = await org.as('zhangsan').post(`/api/tasks/${zhangsan}/add-signer`, { username: 'boss', position: 'before' });
    expect((await org.as('boss').post(`/api/tasks/${added.body.addedTask.id}/reject`)).status).toBe(200);
    expect((await instance(id)).activeElementIds).toEqual(['fix']);
    expect(await statusOf(zhangsan!)).toBe('cancelled');
  });

  it('after: the caller’s approval counts and the node also waits for the added user', async () => {
    const id = await start('solo');
    const { zhangsan } = await reviewTasks(id);
    const added = await org.as('zhangsan').post(`/api/tasks/${zhangsan}/add-signer`, { username: 'boss', position: 'after' });
    expect(added.status).toBe(200);
    expect(added.body.task).toMatchObject({ status: 'completed' });
    expect(added.body.approval).toMatchObject({ total: 2, approved: 1, pending: ['boss'] });
    expect((await instance(id)).activeElementIds).toEqual(['review']);
    expect(Object.keys(await reviewTasks(id))).toEqual(['boss']);
    expect((await org.as('boss').post(`/api/tasks/${added.body.addedTask.id}/approve`)).status).toBe(200);
    expect((await instance(id)).activeElementIds).toEqual(['archive']);
    expect(await decisions(id)).toEqual(['zhangsan:approve', 'boss:approve']);
  });

  it('works on a plain user task too: after, the node waits for the added user', async () => {
    const id = await start('plain');
    const { zhangsan } = await reviewTasks(id);
    expect((await org.as('zhangsan').get(`/api/tasks/${zhangsan}`)).body.approval).toBeNull();
    const added = await org.as('zhangsan').post(`/api/tasks/${zhangsan}/add-signer`, { username: 'wangwu', position: 'after' });
    expect(added.status).toBe(200);
    expect((await instance(id)).activeElementIds).toEqual(['review']);
    expect((await org.as('wangwu').post(`/api/tasks/${added.body.addedTask.id}/reject`)).status).toBe(200);
    expect((await instance(id)).activeElementIds).toEqual(['fix']);
    expect((await instance(id)).variables).toMatchObject({ approved: false, review_decision: 'reject' });
  });

  it('is refused with 403 where the node does not allow it, and 422 for a bad signer', async () => {
    const id = await start('nosigner');
    const { zhangsan } = await reviewTasks(id);
    const refused = await org.as('zhangsan').post(`/api/tasks/${zhangsan}/add-signer`, { username: 'boss', position: 'before' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('action_not_allowed');

    const other = await start('countersign');
    const tasks = await reviewTasks(other);
    for (const [body, pointer] of [
      [{ username: 'nobody', position: 'before' }, '/username'],
      [{ username: 'lisi', position: 'after' }, '/username'],
      [{ username: 'boss', position: 'sideways' }, '/position'],
    ] as const) {
      const response = await org.as('zhangsan').post(`/api/tasks/${tasks.zhangsan}/add-signer`, body);
      expect(response.status).toBe(422);
      expect(response.body.error.details[0].pointer).toBe(pointer);
    }
    expect(await statusOf(tasks.zhangsan!)).toBe('open');
    expect((await org.as('lisi').post(`/api/tasks/${tasks.zhangsan}/add-signer`, { username: 'boss', position: 'before' })).status).toBe(403);
  });
});
