/**
 * Node timeouts (`<liuzhuan:timeout>`) over real HTTP, Postgres and socket.io: the jobs a
 * task gets, a reminder reaching the assignee's socket, auto-approve, auto-return (to the
 * previous node and to a named one), escalation to a user and to the department head (and
 * above a head), a transfer keeping the deadline, closed tasks leaving no job, a failing
 * action becoming an incident, multi-instance tasks (bad settings: approval-timeouts-deploy.test.ts). Time is
 * moved by running the jobs now (`POST /api/jobs/:id/execute`), never by sleeping.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { insertJobs } from '../../engine/store/jobs.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';
import { awaitSentinel, useSockets, type Received } from '../helpers/sockets.ts';

const t = useTestServer();
const clients = useSockets(() => t.url);

const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const sockets: Record<string, Received[]> = {};

const HOUR = 3_600_000;
const timeout = (attributes: string) => `<extensionElements><liuzhuan:timeout ${attributes}/></extensionElements>`;

/** draft (the starter) → [middle] → review (${reviewer}, with `review`'s timeout) → archive (admin). */
function approvalProcess(key: string, reviewTimeout: string, middle = false): string {
  return bpmn(`<process id="${key}" isExecutable="true">
    <startEvent id="s" camunda:initiator="starter"/>
    <userTask id="draft" name="Draft" camunda:assignee="\${starter}"/>
    ${middle ? '<userTask id="check" name="Check" camunda:assignee="admin"/>' : ''}
    <userTask id="review" name="Review" camunda:assignee="\${reviewer}">${timeout(reviewTimeout)}</userTask>
    <userTask id="archive" name="Archive" camunda:assignee="admin"/>
    <endEvent id="e"/>
    ${flow('s', 'draft')}
    ${middle ? flow('draft', 'check') + flow('check', 'review') : flow('draft', 'review')}
    ${flow('review', 'archive')}${flow('archive', 'e')}
  </process>`);
}

const as = (user: string) => ({
  get: (path: string) => t.request('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.request('POST', path, { token: tokens[user], body }),
});

async function createUser(username: string, departmentIds: string[] = []): Promise<void> {
  const created = await as('admin').post('/api/users', {
    username,
    displayName: username,
    password: `${username}-password`,
    role: 'staff',
    departmentIds,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  ids[username] = created.body.id;
  tokens[username] = await t.login(username, `${username}-password`);
}

async function createDepartment(code: string, head: string, parentId: string | null = null): Promise<string> {
  const created = await as('admin').post('/api/departments', { code, name: code, headUserId: ids[head], parentId });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

async function deploy(xml: string): Promise<void> {
  const deployed = await as('admin').post('/api/definitions', { xml });
  expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
}

async function openTasks(instanceId: string): Promise<Array<{ id: string; elementId: string; assignee: string; createdAt: string }>> {
  return (await as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body;
}

async function onlyTask(instanceId: string) {
  const tasks = await openTasks(instanceId);
  expect(tasks).toHaveLength(1);
  return tasks[0]!;
}

async function jobsOf(instanceId: string): Promise<Array<{ id: string; type: string; elementId: string; dueAt: string }>> {
  const listed = await as('admin').get(`/api/jobs?instanceId=${instanceId}`);
  expect(listed.status).toBe(200);
  return listed.body;
}

const taskJobs = async (instanceId: string) => (await jobsOf(instanceId)).filter((job) => job.type.startsWith('task:'));
const jobOfType = async (instanceId: string, type: string) => {
  const found = (await taskJobs(instanceId)).filter((job) => job.type === type);
  expect(found).toHaveLength(1);
  return found[0]!;
};

const execute = (jobId: string) => as('admin').post(`/api/jobs/${jobId}/execute`);
const actions = async (instanceId: string) => (await as('admin').get(`/api/instances/${instanceId}/actions`)).body as any[];
const instance = async (instanceId: string) => (await as('admin').get(`/api/instances/${instanceId}`)).body;

/** alice starts `key` (reviewer as given) and submits the draft; the task is then at review. */
async function submitted(key: string, reviewer: string, variables: Record<string, unknown> = {}): Promise<string> {
  const started = await as('alice').post('/api/instances', { definitionKey: key, variables: { reviewer, ...variables } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const instanceId = started.body.id as string;
  const draft = await onlyTask(instanceId);
  expect((await as('alice').post(`/api/tasks/${draft.id}/complete`, { variables: { reason: 'trip' } })).status).toBe(200);
  return instanceId;
}

beforeAll(async () => {
  tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  // corp (head: ceo) ⊃ ops (head: opshead; staff: alice); bob and zoe outside.
  for (const name of ['ceo', 'opshead', 'bob', 'zoe']) await createUser(name);
  const corp = await createDepartment('corp', 'ceo');
  const ops = await createDepartment('ops', 'opshead', corp);
  await createUser('alice', [ops]);
  const members = await t.request('PUT', `/api/departments/${ops}/members`, {
    token: tokens.admin,
    body: { userIds: [ids.alice, ids.opshead] },
  });
  expect(members.status, JSON.stringify(members.body)).toBe(200);
  for (const name of ['alice', 'bob', 'zoe', 'opshead', 'ceo']) {
    sockets[name] = (await clients.connect({ token: tokens[name] })).received;
  }
  await deploy(approvalProcess('toApprove', 'remindAfter="PT4H" after="P1D" action="approve"'));
  await deploy(approvalProcess('toReturnPrevious', 'after="PT2H" action="return"', true));
  await deploy(approvalProcess('toReturnDraft', 'after="PT2H" action="return" returnTo="draft"', true));
  await deploy(approvalProcess('toEscalate', 'remindAfter="PT1H" after="PT8H" action="escalate" escalateTo="zoe"'));
  await deploy(approvalProcess('toHead', 'after="PT8H" action="escalate" escalateTo="head"'));
  await deploy(approvalProcess('toGhost', 'after="PT8H" action="escalate" escalateTo="ghost"'));
});

describe('node timeouts', () => {
  it('a task of a node with a timeout gets its jobs, due createdAt + the durations', async () => {
    const instanceId = await submitted('toApprove', 'bob');
    const task = await onlyTask(instanceId);
    const jobs = await taskJobs(instanceId);
    expect(jobs.map((job) => job.type).sort()).toEqual(['task:remind', 'task:timeout']);
    const created = new Date(task.createdAt).getTime();
    const due = (type: string) => new Date(jobs.find((job) => job.type === type)!.dueAt).getTime();
    expect(due('task:remind') - created).toBe(4 * HOUR);
    expect(due('task:timeout') - created).toBe(24 * HOUR);
    expect(jobs.every((job) => job.elementId === 'review')).toBe(true);
    // The draft node has no timeout: no job was made for its task.
    expect(jobs).toHaveLength(2);
  });

  it('the reminder reaches the assignee (and only them) as an in-app notification, once', async () => {
    const instanceId = await submitted('toApprove', 'bob');
    const task = await onlyTask(instanceId);
    const remind = await jobOfType(instanceId, 'task:remind');
    expect((await execute(remind.id)).body).toMatchObject({ status: 'executed' });

    const heard = await eventually(
      () => sockets.bob!.find((event) => event.type === 'notification' && event.payload.link === `/tasks/${task.id}`),
      { message: 'reminder on bob socket' },
    );
    expect(heard.payload.title).toContain('任务即将超时');
    expect(heard.payload.body).toContain('Review');
    await awaitSentinel(t, tokens.admin!, 'alice', sockets.alice!);
    expect(sockets.alice!.some((event) => event.type === 'notification' && event.payload.link === `/tasks/${task.id}`)).toBe(false);
    const listed = (await as('bob').get('/api/notifications')).body.items;
    expect(listed.filter((item: any) => item.link === `/tasks/${task.id}`)).toHaveLength(1);
    // Sent once: the job is gone, the timeout job is untouched, the task still open with bob.
    expect((await taskJobs(instanceId)).map((job) => job.type)).toEqual(['task:timeout']);
    expect((await execute(remind.id)).status).toBe(404);
    expect((await onlyTask(instanceId)).assignee).toBe('bob');
    // A reminder is not an action: nothing in the action log (so withdraw is still possible).
    expect((await actions(instanceId)).map((row) => row.action)).toEqual(['complete']);
  });

  it('auto-approve completes the task as the system actor and moves the instance on', async () => {
    const instanceId = await submitted('toApprove', 'bob');
    const task = await onlyTask(instanceId);
    const timeoutJob = await jobOfType(instanceId, 'task:timeout');
    expect((await execute(timeoutJob.id)).body).toMatchObject({ status: 'executed', instanceId });

    const next = await onlyTask(instanceId);
    expect(next).toMatchObject({ elementId: 'archive', assignee: 'admin' });
    const log = await actions(instanceId);
    expect(log.at(-1)).toMatchObject({ taskId: task.id, action: 'approve', actor: 'system' });
    expect(log.at(-1).comment).toMatch(/auto-approved after timeout/);
    expect((await instance(instanceId)).variables).toMatchObject({ approved: true, review_decision: 'approve', reason: 'trip' });
    // The remind job went with the task; the archive node has no timeout.
    expect(await taskJobs(instanceId)).toEqual([]);
    expect((await as('admin').get(`/api/tasks/${task.id}`)).body.status).toBe('completed');
    // bob heard the task close, as after a manual approval.
    await eventually(
      () => sockets.bob!.find((event) => event.type === 'task.updated' && event.payload.taskId === task.id && event.payload.status === 'completed'),
      { message: 'task.updated completed' },
    );
  });

  it('a task completed, or an instance withdrawn, before the deadline leaves no job that fires', async () => {
    const instanceId = await submitted('toApprove', 'bob');
    const task = await onlyTask(instanceId);
    const before = await taskJobs(instanceId);
    expect(before).toHaveLength(2);
    expect((await as('bob').post(`/api/tasks/${task.id}/approve`, {})).status).toBe(200);
    expect(await taskJobs(instanceId)).toEqual([]);
    for (const job of before) expect((await execute(job.id)).status).toBe(404);
    expect((await actions(instanceId)).map((row) => [row.action, row.actor])).toEqual([
      ['complete', 'alice'],
      ['approve', 'bob'],
    ]);

    const started = await as('alice').post('/api/instances', { definitionKey: 'toEscalate', variables: { reviewer: 'bob' } });
    const draft = await onlyTask(started.body.id);
    await as('alice').post(`/api/tasks/${draft.id}/complete`, {});
    expect(await taskJobs(started.body.id)).toHaveLength(2);
    expect((await as('alice').post(`/api/instances/${started.body.id}/withdraw`, {})).status).toBe(200);
    expect(await taskJobs(started.body.id)).toEqual([]);
  });

  it('auto-return without returnTo goes back to the previous user task, keeping the data; the new task gets fresh jobs', async () => {
    const started = await as('alice').post('/api/instances', { definitionKey: 'toReturnPrevious', variables: { reviewer: 'bob', amount: 5 } });
    const instanceId = started.body.id as string;
    await as('alice').post(`/api/tasks/${(await onlyTask(instanceId)).id}/complete`, { variables: { reason: 'trip' } });
    await as('admin').post(`/api/tasks/${(await onlyTask(instanceId)).id}/complete`, { variables: { checked: true } });
    const review = await onlyTask(instanceId);
    expect(review.elementId).toBe('review');
    const first = await jobOfType(instanceId, 'task:timeout');
    expect((await execute(first.id)).body).toMatchObject({ status: 'executed' });

    const back = await onlyTask(instanceId);
    expect(back).toMatchObject({ elementId: 'check', assignee: 'admin' });
    expect((await instance(instanceId)).variables).toMatchObject({ amount: 5, reason: 'trip', checked: true });
    expect((await actions(instanceId)).at(-1)).toMatchObject({
      taskId: review.id,
      action: 'return',
      actor: 'system',
      details: expect.objectContaining({ from: 'review', to: 'check' }),
    });
    expect((await actions(instanceId)).at(-1).comment).toMatch(/timeout/);
    expect(await taskJobs(instanceId)).toEqual([]);

    // Through check again: review is a new task with new jobs.
    await as('admin').post(`/api/tasks/${back.id}/complete`, {});
    const again = await onlyTask(instanceId);
    expect(again.id).not.toBe(review.id);
    const fresh = await jobOfType(instanceId, 'task:timeout');
    expect(fresh.id).not.toBe(first.id);
    expect(new Date(fresh.dueAt).getTime() - new Date(again.createdAt).getTime()).toBe(2 * HOUR);
  });

  it('auto-return with returnTo goes back to that node (the first one), with the data kept', async () => {
    const instanceId = await submitted('toReturnDraft', 'bob', { amount: 7 });
    await as('admin').post(`/api/tasks/${(await onlyTask(instanceId)).id}/complete`, {});
    expect((await onlyTask(instanceId)).elementId).toBe('review');
    expect((await execute((await jobOfType(instanceId, 'task:timeout')).id)).body.status).toBe('executed');

    const draft = await onlyTask(instanceId);
    expect(draft).toMatchObject({ elementId: 'draft', assignee: 'alice' });
    expect((await instance(instanceId)).variables).toMatchObject({ amount: 7, reason: 'trip' });
    await eventually(
      () => sockets.alice!.find((event) => event.type === 'task.assigned' && event.payload.taskId === draft.id),
      { message: 'task.assigned for alice' },
    );
    expect((await as('alice').get('/api/inbox/todo')).body.items.map((item: any) => item.taskId)).toContain(draft.id);
  });

  it('a person and the timeout acting at once: exactly one approval happens', async () => {
    const instanceId = await submitted('toApprove', 'bob');
    const task = await onlyTask(instanceId);
    const job = await jobOfType(instanceId, 'task:timeout');
    const [fired, manual] = await Promise.all([execute(job.id), as('bob').post(`/api/tasks/${task.id}/approve`, {})]);
    const approvals = (await actions(instanceId)).filter((row) => row.action === 'approve');
    expect(approvals).toHaveLength(1);
    if (approvals[0].actor === 'system') {
      expect(fired.body.status).toBe('executed');
      expect(manual.status).toBe(409);
    } else {
      expect(manual.status).toBe(200);
      expect(fired.status === 404 || fired.body.status === 'skipped').toBe(true);
    }
    expect((await onlyTask(instanceId)).elementId).toBe('archive');
    expect(await taskJobs(instanceId)).toEqual([]);
  });

  it('a stale job of a task that is no longer open is a no-op', async () => {
    const instanceId = await submitted('toApprove', 'bob');
    const task = await onlyTask(instanceId);
    expect((await as('bob').post(`/api/tasks/${task.id}/approve`, {})).status).toBe(200);
    // Only reachable by a path that closes a task without moving its token; made by hand here
    // (due tomorrow, so the server's own executor leaves it to us).
    const jobId = randomUUID();
    await insertJobs(t.server.ctx.db, [
      { id: jobId, type: 'task:timeout', instanceId, executionId: null, elementId: 'review', dueAt: new Date(Date.now() + 24 * HOUR), payload: { taskId: task.id } },
    ]);
    const before = await actions(instanceId);
    expect((await execute(jobId)).body).toMatchObject({ status: 'executed' });
    expect(await actions(instanceId)).toEqual(before);
    expect((await onlyTask(instanceId)).elementId).toBe('archive');
    expect(await taskJobs(instanceId)).toEqual([]);
  });

  it('escalation to a named user transfers the task: their todo and socket, logged as the system', async () => {
    const instanceId = await submitted('toEscalate', 'bob');
    const task = await onlyTask(instanceId);
    expect((await execute((await jobOfType(instanceId, 'task:timeout')).id)).body.status).toBe('executed');

    expect(await onlyTask(instanceId)).toMatchObject({ id: task.id, elementId: 'review', assignee: 'zoe' });
    await eventually(
      () => sockets.zoe!.find((event) => event.type === 'task.assigned' && event.payload.taskId === task.id),
      { message: 'task.assigned on zoe socket' },
    );
    expect((await as('zoe').get('/api/inbox/todo')).body.items.map((item: any) => item.taskId)).toContain(task.id);
    expect((await as('bob').get('/api/inbox/todo')).body.items.map((item: any) => item.taskId)).not.toContain(task.id);
    expect((await actions(instanceId)).at(-1)).toMatchObject({
      taskId: task.id,
      action: 'transfer',
      actor: 'system',
      details: { from: 'bob', to: 'zoe' },
    });
    // The timeout acted once; the remind job (for whoever holds the task) is still pending.
    expect((await taskJobs(instanceId)).map((job) => job.type)).toEqual(['task:remind']);
    // zoe may now approve as usual.
    expect((await as('zoe').post(`/api/tasks/${task.id}/approve`, {})).status).toBe(200);
    expect(await taskJobs(instanceId)).toEqual([]);
  });

  it('escalateTo="head": the head of the assignee\'s department, or of the parent department for a head', async () => {
    const staff = await submitted('toHead', 'alice');
    const staffTask = await onlyTask(staff);
    expect((await execute((await jobOfType(staff, 'task:timeout')).id)).body.status).toBe('executed');
    expect((await onlyTask(staff)).assignee).toBe('opshead');
    await eventually(
      () => sockets.opshead!.find((event) => event.type === 'task.assigned' && event.payload.taskId === staffTask.id),
      { message: 'task.assigned on opshead socket' },
    );
    expect((await as('opshead').get('/api/inbox/todo')).body.items.map((item: any) => item.taskId)).toContain(staffTask.id);

    const head = await submitted('toHead', 'opshead');
    const headTask = await onlyTask(head);
    expect((await execute((await jobOfType(head, 'task:timeout')).id)).body.status).toBe('executed');
    expect((await onlyTask(head)).assignee).toBe('ceo');
    await eventually(
      () => sockets.ceo!.find((event) => event.type === 'task.assigned' && event.payload.taskId === headTask.id),
      { message: 'task.assigned on ceo socket' },
    );
    expect((await as('ceo').get('/api/inbox/todo')).body.items.map((item: any) => item.taskId)).toContain(headTask.id);
    expect((await actions(head)).at(-1)).toMatchObject({ action: 'transfer', actor: 'system', details: { from: 'opshead', to: 'ceo' } });
  });

  it('a manual transfer keeps the node deadline; the reminder goes to whoever holds the task', async () => {
    const instanceId = await submitted('toEscalate', 'bob');
    const task = await onlyTask(instanceId);
    const before = await taskJobs(instanceId);
    expect((await as('bob').post(`/api/tasks/${task.id}/transfer`, { to: 'alice' })).status).toBe(200);
    expect(await taskJobs(instanceId)).toEqual(before);
    expect((await execute((await jobOfType(instanceId, 'task:remind')).id)).body.status).toBe('executed');
    await eventually(
      () => sockets.alice!.find((event) => event.type === 'notification' && event.payload.link === `/tasks/${task.id}`),
      { message: 'reminder on alice socket' },
    );
    await awaitSentinel(t, tokens.admin!, 'bob', sockets.bob!);
    expect(sockets.bob!.some((event) => event.type === 'notification' && event.payload.link === `/tasks/${task.id}`)).toBe(false);
  });

  it('a timeout action that fails is retried, then becomes an incident; nothing changed meanwhile', async () => {
    const instanceId = await submitted('toGhost', 'bob');
    const task = await onlyTask(instanceId);
    const job = await jobOfType(instanceId, 'task:timeout');
    expect((await execute(job.id)).body).toMatchObject({ status: 'retry', retriesLeft: 2 });
    expect((await execute(job.id)).body).toMatchObject({ status: 'retry', retriesLeft: 1 });
    const last = await execute(job.id);
    expect(last.body).toMatchObject({ status: 'incident', instanceId });
    expect(last.body.message).toContain('ghost');
    const after = await instance(instanceId);
    expect(after.status).toBe('incident');
    expect(after.incidents).toEqual([expect.objectContaining({ elementId: 'review' })]);
    expect(await onlyTask(instanceId)).toMatchObject({ id: task.id, assignee: 'bob' });
    expect((await actions(instanceId)).map((row) => row.action)).toEqual(['complete']);
  });

  it('each inner task of a multi-instance node gets its own jobs', async () => {
    await deploy(
      bpmn(`<process id="toSigners" isExecutable="true">
        <startEvent id="s"/>
        <userTask id="sign" camunda:assignee="\${signer}">
          <extensionElements><liuzhuan:timeout after="P1D" action="approve"/></extensionElements>
          <multiInstanceLoopCharacteristics camunda:collection="\${signers}" camunda:elementVariable="signer"/>
        </userTask>
        <userTask id="after" camunda:assignee="admin"/>
        ${flow('s', 'sign')}${flow('sign', 'after')}
      </process>`),
    );
    const started = await as('admin').post('/api/instances', { definitionKey: 'toSigners', variables: { signers: ['bob', 'zoe'] } });
    const instanceId = started.body.id as string;
    const tasks = await openTasks(instanceId);
    expect(tasks.map((task) => task.assignee).sort()).toEqual(['bob', 'zoe']);
    const jobs = await taskJobs(instanceId);
    expect(jobs).toHaveLength(2);
    const bobTask = tasks.find((task) => task.assignee === 'bob')!;
    // Approve bob's by hand: only his job goes; zoe's still fires and finishes the node.
    expect((await as('bob').post(`/api/tasks/${bobTask.id}/approve`, {})).status).toBe(200);
    const left = await taskJobs(instanceId);
    expect(left).toHaveLength(1);
    expect(jobs.map((job) => job.id)).toContain(left[0]!.id);
    expect((await execute(left[0]!.id)).body.status).toBe('executed');
    expect((await onlyTask(instanceId)).elementId).toBe('after');
    expect((await actions(instanceId)).map((row) => [row.action, row.actor])).toEqual([
      ['approve', 'bob'],
      ['approve', 'system'],
    ]);
  });
});
