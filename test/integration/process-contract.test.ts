/**
 * 合同审批 (workflows/contract_approval.bpmn) end to end over HTTP, with the key-account
 * template app as the server installs it (its contract and payment_record forms, the deployed
 * process, the 回款登记 automation) and the demo organisation: 张三 (sales) submits, his head
 * 赵六 approves; above the threshold 周八 (finance) and 郑十 (legal) countersign, then 吴九
 * (general manager). Signing tracks each installment until a payment_record arrives; time is
 * moved by executing the timer jobs now (`POST /api/jobs/:id/execute`), never by sleeping.
 */
import { describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const DEMO_PASSWORD = 'demo123';

const tokens = new Map<string, string>();
async function token(username: string): Promise<string> {
  let found = tokens.get(username);
  if (!found) tokens.set(username, (found = await t.login(username, username === 'admin' ? TEST_ADMIN_PASSWORD : DEMO_PASSWORD)));
  return found;
}
const as = (username: string) => ({
  get: async (path: string) => t.request('GET', path, { token: await token(username) }),
  post: async (path: string, body: unknown = {}) => t.request('POST', path, { token: await token(username), body }),
});

/** A date `days` from today (UTC), as YYYY-MM-DD. */
function day(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

let serial = 0;
function contract(amount: number, payments: Array<{ due_on?: string; amount: number; paid?: boolean }>) {
  return {
    customer: '华东精密制造有限公司',
    contract_no: `HT-T-${++serial}`,
    title: '设备维保服务',
    products: [{ name: '年度维保', quantity: 1, unit_price: amount }],
    amount,
    signed_on: day(0),
    payments,
  };
}

async function submit(data: object) {
  const submitted = await as('zhangsan').post('/api/forms/contract/submit', { data });
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
  return { instanceId: submitted.body.instance.id as string, recordId: submitted.body.record.id as string };
}

async function openTasks(instanceId: string): Promise<any[]> {
  const { body } = await as('admin').get(`/api/tasks?instanceId=${instanceId}`);
  return body;
}

/** The one open task of `username` in the instance. */
async function taskOf(instanceId: string, username: string): Promise<any> {
  const mine = (await openTasks(instanceId)).filter((task) => task.assignee === username);
  expect(mine, `${username}'s task`).toHaveLength(1);
  return mine[0];
}

async function approve(instanceId: string, username: string, comment = '同意') {
  const task = await taskOf(instanceId, username);
  const approved = await as(username).post(`/api/tasks/${task.id}/approve`, { comment });
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
}

const instance = async (id: string) => (await as('admin').get(`/api/instances/${id}`)).body;
const record = async (id: string) => (await as('admin').get(`/api/forms/contract/records/${id}`)).body;
const jobs = async (instanceId: string): Promise<any[]> => (await as('admin').get(`/api/jobs?instanceId=${instanceId}`)).body;
const execute = async (jobId: string) => {
  const fired = await as('admin').post(`/api/jobs/${jobId}/execute`);
  expect(fired.status, JSON.stringify(fired.body)).toBe(200);
};

async function notificationsOf(username: string): Promise<any[]> {
  return (await as(username).get('/api/notifications?pageSize=100')).body.items;
}

async function recordPayment(contractNo: string, installment: number, amount: number) {
  const created = await as('wangwu').post('/api/forms/payment_record/records', {
    data: { contract_no: contractNo, installment, customer: '华东精密制造有限公司', method: 'bank_transfer', paid_on: day(0), amount, handler: 'wangwu' },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

/** The customer's ABC revenue after an on-demand tiering run. */
async function tierRevenue(customer: string): Promise<number> {
  expect((await as('admin').post('/api/apps/key-account/tiering/run')).status).toBe(200);
  const { body } = await as('admin').get('/api/forms/customer_profile/records?pageSize=100');
  return body.items.find((item: any) => item.data.name === customer).data.tier_revenue;
}

describe('contract_approval (合同审批)', () => {
  it('is deployed by the template, bound to the contract form', async () => {
    const latest = await as('admin').get('/api/definitions/contract_approval/latest');
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ key: 'contract_approval', name: '合同审批', formKey: 'contract' });
  });

  it('refuses an installment without a due date and a negative amount with a 422 naming each, storing nothing', async () => {
    const before = (await as('admin').get('/api/forms/contract/records')).body.total;
    const bad = { ...contract(-5, [{ amount: 100 }]) };
    const refused = await as('zhangsan').post('/api/forms/contract/submit', { data: bad });
    expect(refused.status).toBe(422);
    const pointers = refused.body.error.details.map((detail: any) => detail.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/amount', '/payments/0/due_on']));
    const negativePayment = await as('wangwu').post('/api/forms/payment_record/records', {
      data: { contract_no: 'HT-T-0', installment: 1, customer: '华东精密制造有限公司', method: 'cash', paid_on: day(0), amount: -1 },
    });
    expect(negativePayment.status).toBe(422);
    expect(negativePayment.body.error.details.map((detail: any) => detail.pointer)).toContain('/amount');
    expect((await as('admin').get('/api/forms/contract/records')).body.total).toBe(before);
    expect((await as('admin').get('/api/forms/payment_record/records')).body.total).toBe(0);
    // The automation action that ends a wait is checked like any other: a message name and FEEL.
    const automation = await as('admin').post('/api/automations', {
      name: 'broken', trigger: 'record.created', formKey: 'payment_record',
      actions: [{ type: 'correlateMessage', correlationKey: 'contract_no +' }],
    });
    expect(automation.status).toBe(422);
    expect(automation.body.error.details.map((detail: any) => detail.pointer)).toEqual(['/actions/0/messageName', '/actions/0/correlationKey']);
    // A model's notification names its template and recipients, or it is not deployed.
    const notifyWithout = bpmn(
      `<process id="notifyCheck" isExecutable="true"><startEvent id="s"/><sendTask id="tell"><extensionElements><liuzhuan:effect type="notify"/></extensionElements></sendTask>${flow('s', 'tell')}</process>`,
    );
    const deployed = await as('admin').post('/api/definitions', { xml: notifyWithout });
    expect(deployed.status).toBe(422);
    const messages = deployed.body.error.details.filter((detail: any) => detail.pointer === 'tell').map((detail: any) => detail.message);
    expect(messages).toEqual([expect.stringContaining('needs template='), expect.stringContaining('needs to=')]);
  });

  it('below the threshold: the head alone signs it; a recorded payment ends its installment, the last one the process', async () => {
    const data = contract(300_000, [
      { due_on: day(-30), amount: 100_000, paid: true },
      { due_on: day(30), amount: 200_000 },
    ]);
    const { instanceId, recordId } = await submit(data);
    expect((await record(recordId)).data.status).toBe('pending');
    expect((await openTasks(instanceId)).map((task) => [task.elementId, task.assignee])).toEqual([['headApproval', 'zhaoliu']]);

    await approve(instanceId, 'zhaoliu');
    // Signed at once; the installment paid before signing settles, the other waits.
    expect((await record(recordId)).data.status).toBe('signed');
    const signed = await instance(instanceId);
    expect(signed.status).toBe('active');
    expect(signed.activeElementIds).toEqual(expect.arrayContaining(['paymentTracking', 'awaitPayment']));
    expect(signed.activeElementIds).not.toContain('countersign');
    expect((await jobs(instanceId)).filter((job) => job.elementId === 'dueReminder')).toHaveLength(1);

    // A payment for another installment or contract waits for nothing here: no change.
    await recordPayment(data.contract_no, 5, 1);
    // Two people record the same installment at once: one payment ends the wait, the other
    // finds nothing waiting — neither fails.
    await Promise.all([recordPayment(data.contract_no, 2, 200_000), recordPayment(data.contract_no, 2, 200_000)]);
    await eventually(async () => (await instance(instanceId)).status === 'completed', {
      message: 'the payment_record ends the last wait (automation → payment_recorded)',
      timeoutMs: 30_000,
    });
    const [automation] = (await as('admin').get('/api/automations')).body.filter((a: any) => a.formKey === 'payment_record');
    const runs = await eventually(async () => {
      const listed = (await as('admin').get(`/api/automations/${automation.id}/runs`)).body;
      return listed.length === 3 && listed;
    }, { message: 'the automation ran once per payment_record', timeoutMs: 30_000 });
    expect(runs.map((run: any) => [run.status, run.error])).toEqual([['done', null], ['done', null], ['done', null]]);
    const delivered = (await as('admin').get(`/api/instances/${instanceId}/actions`)).body.filter((a: any) => a.action === 'message');
    expect(delivered).toHaveLength(1);
    expect((await record(recordId)).data).toMatchObject({
      status: 'paid',
      payments: [{ due_on: data.payments[0].due_on, paid: true }, { due_on: data.payments[1].due_on, paid: true }],
    });
    expect(await jobs(instanceId)).toEqual([]);
  });

  it('above the threshold: finance and legal countersign in parallel, then the general manager signs', async () => {
    const { instanceId, recordId } = await submit(contract(800_000, [{ due_on: day(60), amount: 800_000 }]));
    await approve(instanceId, 'zhaoliu');
    const countersign = (await openTasks(instanceId)).map((task) => [task.elementId, task.assignee]).sort();
    expect(countersign).toEqual([['countersign', 'zhengshi'], ['countersign', 'zhouba']]);

    await approve(instanceId, 'zhouba');
    // 会签: one approval is not enough; no general-manager task yet.
    expect((await openTasks(instanceId)).map((task) => [task.elementId, task.assignee])).toEqual([['countersign', 'zhengshi']]);
    expect((await record(recordId)).data.status).toBe('pending');
    await approve(instanceId, 'zhengshi');
    expect((await openTasks(instanceId)).map((task) => [task.elementId, task.assignee])).toEqual([['gmApproval', 'wujiu']]);

    // Tiering counts a contract from its signature, though payment tracking keeps the process running.
    const revenueBefore = await tierRevenue('华东精密制造有限公司');
    await approve(instanceId, 'wujiu');
    expect((await record(recordId)).data.status).toBe('signed');
    expect(await tierRevenue('华东精密制造有限公司')).toBe(revenueBefore + 800_000);
    expect((await instance(instanceId)).activeElementIds).toContain('awaitPayment');
    const history = (await as('admin').get(`/api/instances/${instanceId}/history`)).body.map((row: any) => row.elementId);
    expect(history).toEqual(expect.arrayContaining(['headApproval', 'countersign', 'gmApproval', 'sign']));
  });

  it('a rejection goes back to the submitter, who revises and resubmits', async () => {
    const { instanceId } = await submit(contract(100_000, [{ due_on: day(10), amount: 100_000 }]));
    const task = await taskOf(instanceId, 'zhaoliu');
    expect((await as('zhaoliu').post(`/api/tasks/${task.id}/reject`, { comment: '付款条件需调整' })).status).toBe(200);
    const revise = await taskOf(instanceId, 'zhangsan');
    expect(revise.elementId).toBe('revise');
    const resubmitted = await as('zhangsan').post(`/api/tasks/${revise.id}/submit`, {
      variables: { payments: [{ due_on: day(20), amount: 100_000 }] },
    });
    expect(resubmitted.status, JSON.stringify(resubmitted.body)).toBe(200);
    expect((await taskOf(instanceId, 'zhaoliu')).elementId).toBe('headApproval');
  });

  it('a rejected contract not resubmitted within 30 days is void', async () => {
    const { instanceId, recordId } = await submit(contract(100_000, [{ due_on: day(10), amount: 100_000 }]));
    const task = await taskOf(instanceId, 'zhaoliu');
    expect((await as('zhaoliu').post(`/api/tasks/${task.id}/reject`, { comment: '不做了' })).status).toBe(200);
    const [expiry] = (await jobs(instanceId)).filter((job) => job.elementId === 'notResubmitted');
    await execute(expiry.id);
    expect(await instance(instanceId)).toMatchObject({ status: 'completed' });
    expect((await record(recordId)).data.status).toBe('rejected');
    expect(await openTasks(instanceId)).toEqual([]);
  });

  it('an overdue installment reminds the owner daily and after 7 days escalates to the head; its payment ends both', async () => {
    const data = contract(200_000, [
      { due_on: day(20), amount: 100_000 },
      { due_on: day(40), amount: 100_000 },
    ]);
    const { instanceId } = await submit(data);
    await approve(instanceId, 'zhaoliu');
    const timers = await jobs(instanceId);
    const reminders = timers.filter((job) => job.elementId === 'dueReminder');
    const escalations = timers.filter((job) => job.elementId === 'overdueWeek');
    expect(reminders).toHaveLength(2);
    expect(escalations).toHaveLength(2);
    // Each timer is at its own installment's date from the form: reminders from the due date
    // at 09:00 (Asia/Shanghai), the escalation 7 days later.
    const firstDue = Date.parse(`${day(20)}T09:00:00+08:00`);
    const reminder = reminders.find((job) => Date.parse(job.dueAt) === firstDue);
    expect(reminder, JSON.stringify(reminders)).toBeDefined();
    const escalation = escalations.find((job) => Date.parse(job.dueAt) === firstDue + 7 * 86_400_000);
    expect(escalation, JSON.stringify(escalations)).toBeDefined();

    const before = (await notificationsOf('zhangsan')).filter((n) => n.title.includes(data.contract_no)).length;
    await execute(reminder.id);
    // The cycle re-arms for the next day: the same installment is reminded again.
    const next = (await jobs(instanceId)).find((job) => job.elementId === 'dueReminder' && Date.parse(job.dueAt) === firstDue + 86_400_000);
    expect(next, 'the next day\'s reminder').toBeDefined();
    await execute(next.id);
    await eventually(async () => {
      const reminded = (await notificationsOf('zhangsan')).filter((n) => n.title.includes(data.contract_no));
      expect(reminded.length - before).toBe(2);
      expect(reminded[0].title).toContain('回款提醒');
      expect(reminded[0].body).toContain('¥100,000.00');
      return true;
    }, { message: 'two daily reminders reach the owner 张三', timeoutMs: 30_000 });

    await execute(escalation.id);
    const followUp = await taskOf(instanceId, 'zhaoliu');
    expect(followUp.elementId).toBe('escalate');
    // The head hears of it at once (the node's arrival notice), with a link to the task.
    const escalated = (await notificationsOf('zhaoliu')).filter((n) => n.title.includes(data.contract_no));
    expect(escalated.map((n) => [n.title, n.link])).toEqual([[expect.stringContaining('回款逾期 7 天'), `/tasks/${followUp.id}`]]);

    // The payment of that installment ends its wait: reminders, escalation task and all.
    await recordPayment(data.contract_no, 1, 100_000);
    await eventually(async () => (await openTasks(instanceId)).every((task) => task.elementId !== 'escalate'), {
      message: 'the payment ends the installment, with the head\'s follow-up task',
      timeoutMs: 30_000,
    });
    const left = await jobs(instanceId);
    expect(left.filter((job) => job.elementId === 'dueReminder').map((job) => Date.parse(job.dueAt))).toEqual([Date.parse(`${day(40)}T09:00:00+08:00`)]);
    expect((await instance(instanceId)).status).toBe('active');
    // The contract's schedule shows the paid installment, and only that one.
    const payments = (await as('admin').get(`/api/forms/contract/records/${(await instance(instanceId)).businessKey}`)).body.data.payments;
    expect(payments.map((p: any) => p.paid ?? false)).toEqual([true, false]);
  }, 120_000);
});
