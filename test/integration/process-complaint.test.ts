/**
 * The key-account template's complaint_handling process (workflows/complaint_handling.bpmn)
 * end to end over HTTP, as the template installs it: its complaint form, routing.json and the
 * demo organisation (finance: head 周八 zhouba, member 王五 wangwu; service: head 孙七 sunqi,
 * member 李四 lisi; sales: 张三 zhangsan).
 *
 * - A billing complaint lands in finance's queue, 王五 claims it and lets 4 hours pass (the
 *   boundary timer's job run now): the first response goes to the head, who is notified, and
 *   the record says escalated and, once he responds, when. The customer answers "not
 *   satisfied" through the single-use link: back to finance's queue, reopen count 1; then
 *   "satisfied" closes it; the first link is refused the second time.
 * - A severe quality complaint goes to service; the owner confirms by phone; the service
 *   manager's countersign closes it and starts feedback_loop with the complaint as its source.
 * - A customer files a complaint through the form's public link (外链): the process starts as for
 *   staff, and the department names the customer and its owner at the first response.
 * - An installation whose complaint form is still the one first shipped gets the new version.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveForm } from '../../engine/forms/forms.ts';
import { DEFAULT_DEMO_PASSWORD } from '../../server/bootstrap.ts';
import { formFingerprint } from '../../templates/formFingerprint.ts';
import { installTemplateApp } from '../../templates/loader.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const tokens: Record<string, string> = {};
const departments: Record<string, string> = {};

const as = (user: string) => ({
  get: (path: string) => t.request('GET', path, { token: tokens[user] }),
  post: (path: string, body?: unknown) => t.request('POST', path, { token: tokens[user], body: body ?? {} }),
});

beforeAll(async () => {
  tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const user of ['zhangsan', 'wangwu', 'zhouba', 'lisi', 'sunqi']) tokens[user] = await t.login(user, DEFAULT_DEMO_PASSWORD);
  for (const department of (await as('admin').get('/api/departments')).body) departments[department.code] = department.id;
});

async function submitComplaint(user: string, data: Record<string, unknown>) {
  const submitted = await as(user).post('/api/forms/complaint/submit', { data });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  expect(submitted.body.instance.definitionKey).toBe('complaint_handling');
  return { instanceId: submitted.body.instance.id as string, recordId: submitted.body.record.id as string };
}

async function record(recordId: string) {
  const found = await as('admin').get(`/api/forms/complaint/records/${recordId}`);
  expect(found.status).toBe(200);
  return found.body.data as Record<string, any>;
}

/** The instance's one open task (at `elementId`). */
async function openTask(instanceId: string, elementId: string) {
  const tasks = (await as('admin').get(`/api/tasks?instanceId=${instanceId}`)).body;
  expect(tasks.map((task: any) => task.elementId)).toEqual([elementId]);
  return tasks[0];
}

async function ticketOf(recordId: string, department: string, status = '') {
  const queue = await as('admin').get(`/api/departments/${departments[department]}/queue${status ? `?status=${status}` : ''}`);
  expect(queue.status).toBe(200);
  return queue.body.items.find((item: any) => item.recordId === recordId);
}

/** The boundary timer on the first response, and how long after the task came it is due. */
async function responseTimer(instanceId: string, task: { createdAt: string }) {
  const timer = (await as('admin').get(`/api/jobs?instanceId=${instanceId}`)).body.find(
    (job: any) => job.type === 'timer' && job.elementId === 'responseOverdue',
  );
  return { timer, hours: (Date.parse(timer.dueAt) - Date.parse(task.createdAt)) / 3_600_000 };
}

async function submitTask(user: string, taskId: string, variables: Record<string, unknown>) {
  const done = await as(user).post(`/api/tasks/${taskId}/submit`, { variables });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
}

/** The customer's side of the confirmation link the process just made (a path `/p/<token>`). */
async function confirmationToken(instanceId: string): Promise<string> {
  const instance = (await as('admin').get(`/api/instances/${instanceId}`)).body;
  const link = instance.variables.confirmationLink as string;
  expect(link).toMatch(/^\/p\/[\w-]{20,}$/);
  return link.slice('/p/'.length);
}

async function answerLink(token: string, data: Record<string, unknown>) {
  return t.request('POST', `/api/public/links/${token}`, { body: { data } });
}

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('complaint_handling (template process)', () => {
  it('billing complaint: finance queue, 4-hour escalation to the head, not satisfied once through the link, then closed', async () => {
    const { instanceId, recordId } = await submitComplaint('zhangsan', {
      customer: '华东精密制造有限公司',
      category: 'billing',
      severity: 'medium',
      description: '11 月发票金额与合同不符',
    });
    // Registered at submission: the time it came in, the submitter as owner, open.
    const registered = await record(recordId);
    expect(registered).toMatchObject({ owner: 'zhangsan', status: 'open', escalated: false, reopen_count: 0 });
    expect(registered.received_at).toMatch(isoInstant);

    // Routed by category to finance: one claimable task, the ticket queued in finance's queue.
    const respond = await openTask(instanceId, 'respond');
    expect(respond.assignee).toBeNull();
    expect([...respond.candidateUsers].sort()).toEqual(['wangwu', 'zhouba']);
    const ticket = await ticketOf(recordId, 'finance');
    expect(ticket).toMatchObject({ status: 'queued', taskId: respond.id });
    const claimed = await as('wangwu').post(`/api/tickets/${ticket.id}/claim`);
    expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
    expect((await as('admin').get(`/api/tasks/${respond.id}`)).body.assignee).toBe('wangwu');

    // 王五 lets 4 hours pass: the boundary timer (due 4 h after the task came) is run now.
    // (The timer and the task read the command's clock apart: the same instant to within a second.)
    const { timer, hours } = await responseTimer(instanceId, respond);
    expect(hours).toBeCloseTo(4, 3);
    expect((await as('admin').post(`/api/jobs/${timer.id}/execute`)).status).toBe(200);

    const escalated = await openTask(instanceId, 'respondByHead');
    expect(escalated.assignee).toBe('zhouba');
    expect(await ticketOf(recordId, 'finance')).toMatchObject({ status: 'claimed', claimedBy: 'zhouba', taskId: escalated.id });
    const bell = (await as('zhouba').get('/api/notifications')).body.items;
    expect(bell.find((notice: any) => notice.link === `/tasks/${escalated.id}`)).toMatchObject({
      title: '投诉首次响应超时，已升级给您：华东精密制造有限公司（中）',
    });
    expect(await record(recordId)).toMatchObject({ escalated: true, status: 'open' });
    expect((await record(recordId)).first_response_at).toBeUndefined();

    // The head responds: the time is written to the record; he keeps the complaint to resolve it.
    await submitTask('zhouba', escalated.id, { first_response: '已致电客户，核对发票中' });
    const responded = await record(recordId);
    expect(responded).toMatchObject({ status: 'in_progress', first_response: '已致电客户，核对发票中' });
    expect(responded.first_response_at).toMatch(isoInstant);
    expect(Date.parse(responded.first_response_at)).toBeGreaterThanOrEqual(Date.parse(responded.received_at));
    const resolve = await openTask(instanceId, 'resolve');
    expect(resolve.assignee).toBe('zhouba');
    await submitTask('zhouba', resolve.id, { resolution: '已开具红字发票并重开' });
    expect(await record(recordId)).toMatchObject({ status: 'resolved' });

    // The owner hears of the link to forward; the customer is not satisfied.
    const phone = await openTask(instanceId, 'confirmByPhone');
    expect(phone.assignee).toBe('zhangsan');
    const first = await confirmationToken(instanceId);
    const told = (await as('zhangsan').get('/api/notifications')).body.items;
    expect(told.some((notice: any) => `${notice.link ?? ''}${notice.body ?? ''}`.includes(first))).toBe(true);
    expect((await answerLink(first, { result: 'not_satisfied', comment: '金额仍然不对' })).status).toBe(201);

    // Back to finance's queue, counted once; nobody holds it until a member claims it again.
    const again = await openTask(instanceId, 'resolve');
    expect(again.assignee).toBeNull();
    expect(await ticketOf(recordId, 'finance')).toMatchObject({ status: 'queued', taskId: again.id });
    expect(await record(recordId)).toMatchObject({
      reopen_count: 1,
      status: 'in_progress',
      confirmation: 'not_satisfied',
      confirmation_channel: 'link',
      confirmation_note: '金额仍然不对',
    });
    expect((await answerLink(first, { result: 'satisfied' })).body.error.code).toBe('link_used');

    expect((await as('wangwu').post(`/api/tasks/${again.id}/claim`)).status).toBe(200);
    await submitTask('wangwu', again.id, { resolution: '差额已退回' });
    const second = await confirmationToken(instanceId);
    expect(second).not.toBe(first);
    expect((await answerLink(second, { result: 'satisfied', comment: '谢谢' })).status).toBe(201);

    const instance = (await as('admin').get(`/api/instances/${instanceId}`)).body;
    expect(instance.status).toBe('completed');
    const closed = await record(recordId);
    expect(closed).toMatchObject({ status: 'closed', confirmation: 'satisfied', confirmation_channel: 'link', reopen_count: 1 });
    expect(closed.closed_at).toMatch(isoInstant);
    expect(await ticketOf(recordId, 'finance')).toBeUndefined();
    expect(await ticketOf(recordId, 'finance', 'closed')).toMatchObject({ status: 'closed', elementId: 'resolve' });
  }, 120_000);

  it('severe quality complaint: service queue, phone confirmation, the service manager countersigns, feedback_loop starts', async () => {
    const { instanceId, recordId } = await submitComplaint('zhangsan', {
      customer: '南海物流集团',
      category: 'quality',
      severity: 'high',
      description: '第三批货物外包装破损',
    });
    const respond = await openTask(instanceId, 'respond');
    expect(await ticketOf(recordId, 'service')).toMatchObject({ status: 'queued', taskId: respond.id });
    expect((await responseTimer(instanceId, respond)).hours).toBeCloseTo(4, 3);
    // A critical complaint is to be answered within 2 hours (as complaint_received tells the department).
    const critical = await submitComplaint('zhangsan', { customer: '南海物流集团', category: 'delivery', severity: 'critical', description: '整批货物滞留港口' });
    expect((await responseTimer(critical.instanceId, await openTask(critical.instanceId, 'respond'))).hours).toBeCloseTo(2, 3);
    expect((await as('lisi').post(`/api/tasks/${respond.id}/claim`)).status).toBe(200);
    await submitTask('lisi', respond.id, { first_response: '已安排上门查看' });
    const responded = await record(recordId);
    expect(responded).toMatchObject({ escalated: false, status: 'in_progress' });
    expect(responded.first_response_at).toMatch(isoInstant);
    // The first response time stays what it was when the complaint is worked on later.
    await submitTask('lisi', (await openTask(instanceId, 'resolve')).id, { resolution: '补发并更换包装供应商' });

    // The owner reached the customer by phone: the link is no longer needed.
    const phone = await openTask(instanceId, 'confirmByPhone');
    await submitTask('zhangsan', phone.id, { confirmation: 'satisfied', confirmation_note: '电话回访，客户认可' });
    expect(await record(recordId)).toMatchObject({ confirmation: 'satisfied', confirmation_channel: 'phone', status: 'resolved' });

    const countersign = await openTask(instanceId, 'countersign');
    expect(countersign.assignee).toBe('sunqi');
    const approved = await as('sunqi').post(`/api/tasks/${countersign.id}/approve`, { comment: '同意关闭' });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    const closed = await record(recordId);
    expect(closed).toMatchObject({ status: 'closed', first_response_at: responded.first_response_at, reopen_count: 0 });
    const called = (await as('admin').get('/api/instances?definitionKey=feedback_loop')).body.items.filter(
      (item: any) => item.parentInstanceId === instanceId,
    );
    expect(called).toHaveLength(1);
    const loop = (await as('admin').get(`/api/instances/${called[0].id}`)).body;
    expect(loop.variables).toMatchObject({ source: 'complaint', sourceForm: 'complaint', sourceRecordId: recordId, customer: '南海物流集团' });
    // Linked both ways: the feedback loop wrote itself onto the complaint.
    expect((await record(recordId)).feedback_instance_id).toBe(called[0].id);
    expect((await as('admin').get(`/api/instances/${instanceId}`)).body).toMatchObject({ status: 'active', activeElementIds: ['feedbackLoop'] });
  }, 120_000);

  it('a customer files through the public form link; the department names the customer and owner at the first response', async () => {
    const link = await as('admin').post('/api/forms/complaint/public-links', { title: '投诉与建议' });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    expect(link.body).toMatchObject({ kind: 'start', processKey: 'complaint_handling' });
    // The page leaves off what the customer cannot pick (customer record, owner) and what the process fills.
    const page = await t.request('GET', `/api/public/links/${link.body.token}`);
    expect(page.body.hiddenFields).toEqual(expect.arrayContaining(['customer', 'owner', 'status', 'first_response_at', 'reopen_count']));
    expect(page.body.hiddenFields).not.toContain('contact');
    const answered = await t.request('POST', `/api/public/links/${link.body.token}`, {
      body: { data: { category: 'delivery', severity: 'low', description: '到货比约定晚了三天', contact: '南海物流 陈经理 13800000000' } },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    const filed = await as('admin').get(`/api/forms/complaint/records/${answered.body.recordId}`);
    // contact is personal (x-personal: name): answered masked, stored encrypted, clear only through an audited unmask.
    expect(filed.body.data).toMatchObject({ contact: '南***', owner: '', status: 'open' });
    const clear = await as('admin').post(`/api/forms/complaint/records/${answered.body.recordId}/unmask`, { fields: ['contact'] });
    expect(clear.body).toEqual({ data: { contact: '南海物流 陈经理 13800000000' } });
    expect(filed.body.data.customer).toBeUndefined();

    // Routed like any complaint (交付 → 客服部); the member must name the customer and its owner.
    const instanceId = filed.body.instanceId as string;
    const respond = await openTask(instanceId, 'respond');
    expect(await ticketOf(answered.body.recordId, 'service')).toMatchObject({ status: 'queued', taskId: respond.id });
    expect((await as('lisi').post(`/api/tasks/${respond.id}/claim`)).status).toBe(200);
    const missing = await as('lisi').post(`/api/tasks/${respond.id}/submit`, { variables: { first_response: '已回电' } });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details.map((detail: any) => detail.pointer).sort()).toEqual(['/customer', '/owner']);
    await submitTask('lisi', respond.id, { first_response: '已回电', customer: '南海物流集团', owner: 'zhangsan' });
    expect(await record(answered.body.recordId)).toMatchObject({ customer: '南海物流集团', owner: 'zhangsan', status: 'in_progress' });
  }, 120_000);

  it('upgrades a complaint form installed from the earlier template to the version the process fills in', async () => {
    const db = t.server.ctx.db;
    const v1 = JSON.parse(readFileSync(new URL('../fixtures/complaint.v1.json', import.meta.url), 'utf8'));
    const template = JSON.parse(readFileSync(new URL('../../templates/key-account/forms/complaint.json', import.meta.url), 'utf8'));
    expect(template.replaces).toContain(formFingerprint(v1));
    const { version: old } = await saveForm(db, { key: 'complaint', title: v1.title['zh-CN'], schema: v1.schema, uiSchema: v1.uiSchema }, null);
    expect((await installTemplateApp(db, 'key-account', null)).upgradedForms).toEqual(['complaint']);
    const form = (await as('admin').get('/api/forms/complaint')).body;
    expect(form.version).toBe(old + 1);
    expect(Object.keys(form.schema.properties)).toEqual(expect.arrayContaining(['first_response_at', 'reopen_count', 'confirmation', 'received_at']));
  });
});
