/**
 * The routed ticket and the process are one thing (engine/routing/taskLink.ts): a node assigned
 * to the routed department (`routedDepartment` members | head) offers its task to that
 * department; claiming either the ticket (queue) or the task (inbox) claims both, exactly one
 * of two simultaneous claims wins, completing the node closes the ticket, handing the ticket
 * back offers the task again, and an unrouted record falls back as the node says.
 *
 * Organisation (helpers/approvalOrg.ts): finance (head zhouba; zhouba, wangwu, lisi, gone —
 * inactive), service (head sunqi; sunqi, lisi). Complaints about billing go to finance, the
 * rest to service.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createOrg, type Org } from '../helpers/approvalOrg.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let org: Org;
const departments: Record<string, string> = {};

const schema = {
  type: 'object',
  required: ['customer', 'category'],
  properties: { customer: { type: 'string' }, category: { type: 'string', enum: ['billing', 'quality'] } },
};

/** Form `formKey` bound to: start → handle (the routed department) → confirm (admin) → end. */
function routedProcess(id: string, formKey: string, who: 'members' | 'head', fallback = 'admin'): string {
  return bpmn(`<process id="${id}" isExecutable="true">
    <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="${formKey}"/></liuzhuan:settings></extensionElements>
    <startEvent id="s"/>
    <userTask id="handle" name="处理投诉">
      <extensionElements><liuzhuan:approval mode="single" fallback="${fallback}">
        <liuzhuan:assignee type="routedDepartment" value="${who}"/>
      </liuzhuan:approval></extensionElements>
    </userTask>
    <userTask id="confirm" name="确认" camunda:assignee="admin"/>
    <endEvent id="e"/>
    ${flow('s', 'handle')}${flow('handle', 'confirm')}${flow('confirm', 'e')}
  </process>`);
}

/** Form `followup` bound to: start → review (admin) → handle (the routed department's members) → end. */
const reviewFirst = bpmn(`<process id="followup_flow" isExecutable="true">
  <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="followup"/></liuzhuan:settings></extensionElements>
  <startEvent id="s"/>
  <userTask id="review" name="初审" camunda:assignee="admin"/>
  <userTask id="handle" name="处理">
    <extensionElements><liuzhuan:approval mode="single"><liuzhuan:assignee type="routedDepartment" value="members"/></liuzhuan:approval></extensionElements>
  </userTask>
  <endEvent id="e"/>
  ${flow('s', 'review')}${flow('review', 'handle')}${flow('handle', 'e')}
</process>`);

/** Form `twostep` bound to: start → handle (the routed department's members) → verify (its head) → end. */
const twoSteps = bpmn(`<process id="twostep_flow" isExecutable="true">
  <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="twostep"/></liuzhuan:settings></extensionElements>
  <startEvent id="s"/>
  <userTask id="handle" name="处理">
    <extensionElements><liuzhuan:approval><liuzhuan:assignee type="routedDepartment" value="members"/></liuzhuan:approval></extensionElements>
  </userTask>
  <userTask id="verify" name="复核">
    <extensionElements><liuzhuan:approval><liuzhuan:assignee type="routedDepartment" value="head"/></liuzhuan:approval></extensionElements>
  </userTask>
  <endEvent id="e"/>
  ${flow('s', 'handle')}${flow('handle', 'verify')}${flow('verify', 'e')}
</process>`);

async function submit(formKey: string, category: string, user = 'zhangsan') {
  const submitted = await org.as(user).post(`/api/forms/${formKey}/submit`, { data: { customer: '王先生', category } });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  const instanceId: string = submitted.body.instance.id;
  const recordId: string = submitted.body.record.id;
  const tasks = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body;
  expect(tasks).toHaveLength(1);
  return { instanceId, recordId, task: tasks[0] };
}

async function ticketOf(recordId: string, department: string, status = '') {
  const queue = await org.as('admin').get(`/api/departments/${departments[department]}/queue${status ? `?status=${status}` : ''}`);
  expect(queue.status).toBe(200);
  return queue.body.items.find((item: any) => item.recordId === recordId);
}

const taskById = async (id: string) => (await org.as('admin').get(`/api/tasks/${id}`)).body;

beforeAll(async () => {
  org = await createOrg(t);
  for (const department of (await org.as('admin').get('/api/departments')).body) departments[department.code] = department.id;
  for (const key of ['complaint', 'escalation', 'note', 'followup', 'twostep']) {
    expect((await org.as('admin').post('/api/forms', { key, title: key, schema })).status).toBe(201);
  }
  // `note` has no routing: its records are not routed.
  for (const key of ['complaint', 'escalation', 'followup', 'twostep']) {
    const routing = await t.request('PUT', `/api/routing/${key}`, {
      token: org.tokens.admin,
      body: {
        defaultDepartmentId: departments.service,
        rules: [{ name: '账单', condition: 'category = "billing"', departmentId: departments.finance }],
      },
    });
    expect(routing.status, JSON.stringify(routing.body)).toBe(200);
  }
  for (const xml of [
    routedProcess('complaint_flow', 'complaint', 'members'),
    routedProcess('escalation_flow', 'escalation', 'head'),
    routedProcess('note_flow', 'note', 'members'),
    reviewFirst,
    twoSteps,
  ]) {
    const deployed = await org.as('admin').post('/api/definitions', { xml });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  }
});

describe('routedDepartment members: one claimable task, linked to the ticket', () => {
  it("offers the node to the routed department's active members and links the ticket to it", async () => {
    const { instanceId, recordId, task } = await submit('complaint', 'billing');
    expect(task).toMatchObject({ elementId: 'handle', assignee: null });
    expect([...task.candidateUsers].sort()).toEqual(['lisi', 'wangwu', 'zhouba']);
    const todo = (await org.as('wangwu').get('/api/inbox/todo')).body.items.map((item: any) => item.id ?? item.taskId);
    expect(todo).toContain(task.id);

    const ticket = await ticketOf(recordId, 'finance');
    expect(ticket).toMatchObject({ status: 'queued', claimedBy: null, instanceId, taskId: task.id, elementId: 'handle', stageName: '处理投诉' });
    // The quality complaint goes to service, whose members get the task.
    const other = await submit('complaint', 'quality');
    expect([...other.task.candidateUsers].sort()).toEqual(['lisi', 'sunqi']);
  });

  it('claiming the ticket claims the task; the other candidates lose it; completing the node closes the ticket', async () => {
    const { recordId, task, instanceId } = await submit('complaint', 'billing');
    const ticket = await ticketOf(recordId, 'finance');
    const claimed = await org.as('wangwu').post(`/api/tickets/${ticket.id}/claim`);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect(claimed.body).toMatchObject({ status: 'claimed', claimedBy: 'wangwu', taskId: task.id });
    expect((await taskById(task.id)).assignee).toBe('wangwu');
    expect((await org.as('zhouba').post(`/api/tasks/${task.id}/claim`)).status).toBe(409);
    expect((await org.as('zhouba').post(`/api/tasks/${task.id}/complete`, { variables: {} })).status).toBe(403);
    // Closed with its part of the process, not by hand.
    const close = await org.as('wangwu').post(`/api/tickets/${ticket.id}/close`);
    expect(close.status).toBe(409);
    expect(close.body.error.code).toBe('ticket_follows_process');

    const done = await org.as('wangwu').post(`/api/tasks/${task.id}/complete`, { variables: {} });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const closed = await ticketOf(recordId, 'finance', 'closed');
    expect(closed).toMatchObject({ status: 'closed', claimedBy: 'wangwu', taskId: null, elementId: 'handle', instanceId });
    expect(closed.closedAt).toEqual(expect.any(String));
    const instance = (await org.as('admin').get(`/api/instances/${instanceId}`)).body;
    expect(instance.activeElementIds).toEqual(['confirm']);
  });

  it('claiming the task from the inbox claims the ticket; handing the ticket back offers the task again', async () => {
    const { recordId, task } = await submit('complaint', 'billing');
    expect((await org.as('zhouba').post(`/api/tasks/${task.id}/claim`)).status).toBe(200);
    const ticket = await ticketOf(recordId, 'finance');
    expect(ticket).toMatchObject({ status: 'claimed', claimedBy: 'zhouba', taskId: task.id });
    expect((await org.as('wangwu').post(`/api/tickets/${ticket.id}/claim`)).status).toBe(409);
    // Only the claimer hands back.
    expect((await org.as('wangwu').post(`/api/tickets/${ticket.id}/hand-back`)).status).toBe(403);

    const back = await org.as('zhouba').post(`/api/tickets/${ticket.id}/hand-back`);
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ status: 'queued', claimedBy: null, taskId: task.id });
    const released = await taskById(task.id);
    expect(released.assignee).toBeNull();
    expect([...released.candidateUsers].sort()).toEqual(['lisi', 'wangwu', 'zhouba']);
    // Any candidate may take it now.
    expect((await org.as('lisi').post(`/api/tickets/${ticket.id}/claim`)).status).toBe(200);
    expect((await taskById(task.id)).assignee).toBe('lisi');
  });

  it('of a claim via the ticket and one via the task at the same moment, exactly one wins', async () => {
    for (let round = 0; round < 3; round++) {
      const { recordId, task } = await submit('complaint', 'billing');
      const ticket = await ticketOf(recordId, 'finance');
      const [viaTicket, viaTask] = await Promise.all([
        org.as('wangwu').post(`/api/tickets/${ticket.id}/claim`),
        org.as('zhouba').post(`/api/tasks/${task.id}/claim`),
      ]);
      expect([viaTicket.status, viaTask.status].sort()).toEqual([200, 409]);
      const winner = viaTicket.status === 200 ? 'wangwu' : 'zhouba';
      expect((await taskById(task.id)).assignee).toBe(winner);
      expect(await ticketOf(recordId, 'finance')).toMatchObject({ status: 'claimed', claimedBy: winner });
    }
  });

  it('a withdrawn instance closes its ticket', async () => {
    const { recordId, instanceId } = await submit('complaint', 'billing');
    const withdrawn = await org.as('zhangsan').post(`/api/instances/${instanceId}/withdraw`, {});
    expect(withdrawn.status, JSON.stringify(withdrawn.body)).toBe(200);
    expect(await ticketOf(recordId, 'finance', 'closed')).toMatchObject({ status: 'closed', taskId: null, instanceId });
  });
});

describe('routedDepartment head, and records that were not routed', () => {
  it("gives the node to the routed department's head, whose ticket is claimed by them", async () => {
    const { recordId, task } = await submit('escalation', 'billing');
    expect(task).toMatchObject({ elementId: 'handle', assignee: 'zhouba' });
    expect(await ticketOf(recordId, 'finance')).toMatchObject({ status: 'claimed', claimedBy: 'zhouba', taskId: task.id });
    // Assigned to one person: there is nobody to hand it back to.
    const back = await org.as('zhouba').post(`/api/tickets/${(await ticketOf(recordId, 'finance')).id}/hand-back`);
    expect(back.status).toBe(409);
    expect(back.body.error.code).toBe('task_not_offered');
    expect((await org.as('zhouba').post(`/api/tasks/${task.id}/complete`, { variables: {} })).status).toBe(200);
    expect(await ticketOf(recordId, 'finance', 'closed')).toMatchObject({ status: 'closed', claimedBy: 'zhouba' });

    const service = await submit('escalation', 'quality');
    expect(service.task.assignee).toBe('sunqi');
  });

  it("an unrouted record gets the node's fallback (the admins) and no ticket", async () => {
    const { instanceId, recordId, task } = await submit('note', 'billing');
    expect(task.elementId).toBe('handle');
    expect([...(task.assignee ? [task.assignee] : task.candidateUsers)].sort()).toEqual(['admin', 'admin2']);
    const actions = (await org.as('admin').get(`/api/instances/${instanceId}/actions`)).body;
    expect(actions.map((action: any) => action.action)).toContain('fallback');
    for (const department of ['finance', 'service']) expect(await ticketOf(recordId, department)).toBeUndefined();
  });
});

describe('a ticket claimed before the process reaches the department, and a return', () => {
  it("hands the department's task straight to whoever claimed the ticket, and closes and re-opens the ticket around a return", async () => {
    const { instanceId, recordId, task: review } = await submit('followup', 'billing');
    expect(review).toMatchObject({ elementId: 'review', assignee: 'admin' });
    const waiting = await ticketOf(recordId, 'finance');
    expect(waiting).toMatchObject({ status: 'queued', instanceId, followsProcess: true, taskId: null });

    const claimed = await org.as('wangwu').post(`/api/tickets/${waiting.id}/claim`);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect((await org.as('admin').post(`/api/tasks/${review.id}/complete`, { variables: {} })).status).toBe(200);
    const [handle] = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body;
    expect(handle).toMatchObject({ elementId: 'handle', assignee: 'wangwu' });
    expect(await ticketOf(recordId, 'finance')).toMatchObject({ status: 'claimed', claimedBy: 'wangwu', taskId: handle.id, stageName: '处理' });

    // Sent back to the review: the department's part is over for now…
    const returned = await org.as('wangwu').post(`/api/tasks/${handle.id}/return`, { toElementId: 'review' });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    expect(await ticketOf(recordId, 'finance', 'closed')).toMatchObject({ status: 'closed', taskId: null, elementId: 'handle' });
    // …and starts again when the process comes back, offered to the whole department.
    const [again] = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body;
    expect((await org.as('admin').post(`/api/tasks/${again.id}/complete`, { variables: {} })).status).toBe(200);
    const [handleAgain] = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body;
    expect(handleAgain).toMatchObject({ elementId: 'handle', assignee: null });
    expect(await ticketOf(recordId, 'finance')).toMatchObject({ status: 'queued', claimedBy: null, taskId: handleAgain.id, closedAt: null });
  });
});

describe('a process with two nodes of the routed department', () => {
  it('moves the ticket from node to node with whoever holds each task, and closes it after the last', async () => {
    const { recordId, task: handle, instanceId } = await submit('twostep', 'billing');
    const ticket = await ticketOf(recordId, 'finance');
    expect((await org.as('wangwu').post(`/api/tickets/${ticket.id}/claim`)).status).toBe(200);
    expect((await org.as('wangwu').post(`/api/tasks/${handle.id}/complete`, { variables: {} })).status).toBe(200);

    const [verify] = (await org.as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body;
    expect(verify).toMatchObject({ elementId: 'verify', assignee: 'zhouba' });
    expect(await ticketOf(recordId, 'finance')).toMatchObject({ status: 'claimed', claimedBy: 'zhouba', taskId: verify.id, elementId: 'verify', stageName: '复核' });

    expect((await org.as('zhouba').post(`/api/tasks/${verify.id}/complete`, { variables: {} })).status).toBe(200);
    expect(await ticketOf(recordId, 'finance', 'closed')).toMatchObject({ status: 'closed', elementId: 'verify', taskId: null });
    expect((await org.as('admin').get(`/api/instances/${instanceId}`)).body.status).toBe('completed');
  });
});
