/**
 * Staff always know what to do next, in a real browser: an admin picks the inbox summary
 * fields of a complaint flow in the flow designer's 流程设置 and publishes; a handler's open
 * page announces the new task with that summary; when the node's reminder falls due (the
 * admin runs the due job, as an operator can) the bell's count goes up live with a toast;
 * the handler opens the bell, sees the reminder, clicks it, lands on the task and the count
 * drops; the inbox row shows the summary and the deadline and sorts by deadline.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { bpmn, flow, lineDiagram } from '../helpers/engine.ts';
import { useBrowser, type Person } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

const FORM = 'e2e_complaint';
const FLOW = 'e2e_complaint_flow';
const QUICK = 'e2e_quick_check';
const LATE = 'e2e_late_check';

let admin: Person;
let handler: Person;
let adminToken: string;
let handlerToken: string;
let complaintTask: string;
let quickTask: string;
let lateTask: string;

const testId = (page: Page, id: string) => page.getByTestId(id);
const api = (method: string, path: string, token: string, body?: unknown) => t.request(method, path, { token, body });

/** Picks `text` in an antd Select by typing it and pressing Enter. */
async function choose(page: Page, selectTestId: string, text: string): Promise<void> {
  await testId(page, selectTestId).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const bellCount = (page: Page) => testId(page, 'notification-count').getAttribute('data-count');

beforeAll(async () => {
  adminToken = await t.login('admin', TEST_ADMIN_PASSWORD);
  const user = await api('POST', '/api/users', adminToken, { username: 'lihua', displayName: '李华', password: 'lihua-password', role: 'staff' });
  expect(user.status, JSON.stringify(user.body)).toBe(201);
  handlerToken = await t.login('lihua', 'lihua-password');
  const form = await api('POST', '/api/forms', adminToken, {
    key: FORM,
    title: '客户投诉单',
    schema: {
      type: 'object',
      required: ['customer', 'description', 'category', 'amount'],
      properties: {
        customer: { type: 'string', minLength: 1 },
        description: { type: 'string' },
        category: { type: 'string', enum: ['billing', 'quality'] },
        amount: { type: 'number', 'x-widget': 'money' },
      },
    },
    uiSchema: {
      'ui:order': ['customer', 'description', 'category', 'amount'],
      customer: { 'ui:title': { 'zh-CN': '客户', en: 'Customer' } },
      description: { 'ui:title': { 'zh-CN': '投诉内容', en: 'Description' }, 'ui:widget': 'textarea' },
      category: { 'ui:title': { 'zh-CN': '投诉类别', en: 'Category' }, 'ui:enumNames': { 'zh-CN': ['账单', '质量'], en: ['Billing', 'Quality'] } },
      amount: { 'ui:title': { 'zh-CN': '金额', en: 'Amount' }, 'ui:widget': 'money' },
    },
  });
  expect(form.status, JSON.stringify(form.body)).toBe(201);
  // The complaint flow as the designer draws it, with a reminder 4 hours after the task arrives.
  const flows = [
    bpmn(`<process id="${FLOW}" name="客户投诉处理" isExecutable="true">
      <startEvent id="start" name="提交投诉" camunda:formKey="${FORM}"/>
      <userTask id="review" name="处理投诉" camunda:assignee="lihua">
        <extensionElements><liuzhuan:timeout remindAfter="PT4H"/></extensionElements>
      </userTask>
      <endEvent id="end"/>
      ${flow('start', 'review')}${flow('review', 'end')}
    </process>
    ${lineDiagram(FLOW)}`),
    // A check due within the hour: sorting by deadline puts it first.
    bpmn(`<process id="${QUICK}" name="快速核对" isExecutable="true">
      <startEvent id="s"/><userTask id="check" name="快速核对" camunda:assignee="lihua" camunda:dueDate="PT1H"/><endEvent id="e"/>
      ${flow('s', 'check')}${flow('check', 'e')}
    </process>`),
    // One already past its due date: overdue.
    bpmn(`<process id="${LATE}" name="逾期核对" isExecutable="true">
      <startEvent id="s"/><userTask id="check" name="逾期核对" camunda:assignee="lihua" camunda:dueDate="2026-01-05T09:00:00Z"/><endEvent id="e"/>
      ${flow('s', 'check')}${flow('check', 'e')}
    </process>`),
  ];
  for (const xml of flows) {
    const deployed = await api('POST', '/api/definitions', adminToken, { xml });
    expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  }
  admin = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
  handler = await browser.person(t.url, 'lihua', 'lihua-password');
});

describe('the notification bell and inbox rows that say what they are', () => {
  it('the admin picks the inbox summary fields in 流程设置 and publishes', async () => {
    const { page } = admin;
    await page.goto(`/flows/${FLOW}/design`);
    await testId(page, 'process-properties').waitFor();
    for (const label of ['投诉类别', '金额', '客户']) await choose(page, 'process-summary', label);
    await page.keyboard.press('Escape');
    await expect.poll(() => testId(page, 'process-summary').textContent()).toMatch(/投诉类别.*金额.*客户/);
    await testId(page, 'flow-deploy').click();
    await page.getByText('v2 已发布').first().waitFor();
    const latest = await api('GET', `/api/definitions/${FLOW}/latest`, adminToken);
    expect(latest.body.xml).toMatch(/<liuzhuan:summary fields="category,amount,customer"\s*\/>/);
  });

  it("announces the new task on the handler's open page with its summary", async () => {
    const { page } = handler;
    await page.goto('/inbox');
    await testId(page, 'inbox-list-todo').waitFor();
    expect(await bellCount(page)).toBe('0');
    const started = await api('POST', '/api/instances', adminToken, {
      definitionKey: FLOW,
      variables: { customer: '华北电力', description: '同一笔账单扣了两次', category: 'billing', amount: 12500.5 },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    complaintTask = (await api('GET', `/api/tasks?instanceId=${started.body.id}`, adminToken)).body[0].id;
    // No reload: the socket brings the toast, which says what the task is about and when it is due.
    await expect.poll(() => testId(page, 'new-task-summary').textContent(), { timeout: 20_000 }).toMatch(/账单 · ¥12,500\.50 · 华北电力 · 截止/);
    await page.locator('.ant-notification-notice-close').first().click();
  });

  it('shows a due reminder live in the bell with a toast, and opening it leads to the task and reads it', async () => {
    const { page } = handler;
    const jobs = (await api('GET', `/api/jobs?instanceId=${(await api('GET', `/api/tasks/${complaintTask}`, adminToken)).body.instanceId}`, adminToken)).body;
    const reminder = jobs.find((job: { type: string }) => job.type === 'task:remind');
    expect(reminder, JSON.stringify(jobs)).toBeDefined();
    expect((await api('POST', `/api/jobs/${reminder.id}/execute`, adminToken)).status).toBe(200);

    await expect.poll(() => bellCount(page), { timeout: 20_000 }).toBe('1');
    await testId(page, 'notification-toast-open').waitFor();
    await page.locator('.notification-toast .ant-notification-notice-close').click();
    // A second tab of the same person, left alone (never focused again): it hears the read live.
    const otherTab = await handler.context.newPage();
    await otherTab.goto('/inbox');
    await expect.poll(() => bellCount(otherTab), { timeout: 20_000 }).toBe('1');

    await testId(page, 'notification-bell').click();
    await testId(page, 'notification-dropdown').waitFor();
    const [stored] = (await api('GET', '/api/notifications', handlerToken)).body.items;
    expect(stored.link).toBe(`/tasks/${complaintTask}`);
    const item = testId(page, `notification-item-${stored.id}`);
    await expect.poll(() => item.getAttribute('data-unread')).toBe('true');
    expect(await item.textContent()).toContain('处理投诉');
    await browser.screenshot(page, 'notification-bell');

    await item.click();
    await page.waitForURL(`**/tasks/${complaintTask}`);
    await testId(page, 'task-page').waitFor();
    await expect.poll(() => bellCount(page)).toBe('0');
    expect((await api('GET', '/api/notifications', handlerToken)).body.unread).toBe(0);
    await expect.poll(() => bellCount(otherTab)).toBe('0');
    await otherTab.close();

    // 查看全部: the full list, where it now reads as read.
    await testId(page, 'notification-bell').click();
    await testId(page, 'notification-view-all').click();
    await page.waitForURL('**/notifications');
    await expect.poll(() => testId(page, 'notifications-page').getByTestId(`notification-item-${stored.id}`).getAttribute('data-unread')).toBe('false');
  });

  it('the inbox row shows the summary and the deadline, flags the overdue one, and sorts by deadline', async () => {
    const { page } = handler;
    const taskOf = async (key: string) => {
      const started = await api('POST', '/api/instances', adminToken, { definitionKey: key });
      expect(started.status).toBe(201);
      return (await api('GET', `/api/tasks?instanceId=${started.body.id}`, adminToken)).body[0].id as string;
    };
    quickTask = await taskOf(QUICK);
    lateTask = await taskOf(LATE);

    await page.goto('/inbox');
    const row = testId(page, `inbox-row-${complaintTask}`);
    await row.waitFor();
    await expect.poll(() => row.getByTestId('inbox-summary').textContent()).toBe('投诉类别：账单 · 金额：¥12,500.50 · 客户：华北电力');
    const due = await testId(page, `inbox-due-${complaintTask}`).textContent();
    const task = (await api('GET', `/api/tasks/${complaintTask}`, handlerToken)).body;
    expect(new Date(task.dueAt).getTime() - new Date(task.createdAt).getTime()).toBe(4 * 3_600_000);
    expect(due).toMatch(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}/);
    expect(due).toMatch(/小时后|hours/);
    // A process without a form or a choice falls back to its business key (none here: "—").
    expect(await testId(page, `inbox-row-${quickTask}`).textContent()).toContain('快速核对');
    await testId(page, `inbox-overdue-${lateTask}`).waitFor();
    expect(await testId(page, `inbox-overdue-${lateTask}`).textContent()).toBe('已超时');
    expect(await testId(page, `inbox-overdue-${quickTask}`).count()).toBe(0);
    expect(await testId(page, `inbox-overdue-${complaintTask}`).count()).toBe(0);

    const order = () => page.locator('[data-testid^="inbox-row-"]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')));
    // Arrival order, then by deadline (click), latest deadline first (click again), arrival again (third click).
    const rows = (...ids: string[]) => ids.map((id) => `inbox-row-${id}`);
    const dueHeader = page.locator('th', { has: testId(page, 'inbox-sort-due') });
    await expect.poll(order).toEqual(rows(complaintTask, quickTask, lateTask));
    await testId(page, 'inbox-sort-due').click();
    await expect.poll(order).toEqual(rows(lateTask, quickTask, complaintTask));
    expect(await dueHeader.getAttribute('aria-sort')).toBe('ascending');
    await page.mouse.move(10, 700);
    await expect.poll(() => page.locator('.ant-tooltip:visible').count()).toBe(0);
    await browser.screenshot(page, 'inbox-summary');
    await testId(page, 'inbox-sort-due').click();
    await expect.poll(() => dueHeader.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(order).toEqual(rows(complaintTask, quickTask, lateTask));
    await testId(page, 'inbox-sort-due').click();
    await expect.poll(() => dueHeader.getAttribute('aria-sort')).toBe(null);
    await expect.poll(order).toEqual(rows(complaintTask, quickTask, lateTask));
  });
});
