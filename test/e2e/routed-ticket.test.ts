/**
 * The routed ticket and its process as people use them, in a real browser: a staff member
 * submits a complaint through its start form; a member of the department it was routed to
 * sees it arrive live in the department queue, claims it (认领), follows the card's link to
 * the task, completes it, and the queue shows the ticket closed at that node.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createOrg, type Org } from '../helpers/approvalOrg.ts';
import { useBrowser, type Person } from '../helpers/browser.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();
let org: Org;
let staff: Person;
let member: Person;

const testId = (page: Page, id: string) => page.getByTestId(id);

const process = bpmn(`<process id="complaint_flow" name="投诉处理" isExecutable="true">
  <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="complaint"/></liuzhuan:settings></extensionElements>
  <startEvent id="s"/>
  <userTask id="handle" name="处理投诉">
    <extensionElements><liuzhuan:approval mode="single">
      <liuzhuan:assignee type="routedDepartment" value="members"/>
    </liuzhuan:approval></extensionElements>
  </userTask>
  <endEvent id="e"/>
  ${flow('s', 'handle')}${flow('handle', 'e')}
</process>`);

beforeAll(async () => {
  org = await createOrg(t);
  const departments = (await org.as('admin').get('/api/departments')).body as Array<{ id: string; code: string }>;
  const finance = departments.find((department) => department.code === 'finance')!.id;
  const form = await org.as('admin').post('/api/forms', {
    key: 'complaint',
    title: '客户投诉',
    schema: { type: 'object', required: ['customer'], properties: { customer: { type: 'string', minLength: 1 }, details: { type: 'string' } } },
    uiSchema: { 'ui:title': { 'zh-CN': '客户投诉', en: 'Complaint' }, customer: { 'ui:title': { 'zh-CN': '客户', en: 'Customer' } }, details: { 'ui:title': { 'zh-CN': '问题描述', en: 'Details' } } },
  });
  expect(form.status, JSON.stringify(form.body)).toBe(201);
  const routing = await t.request('PUT', '/api/routing/complaint', { token: org.tokens.admin, body: { defaultDepartmentId: finance, rules: [] } });
  expect(routing.status).toBe(200);
  const deployed = await org.as('admin').post('/api/definitions', { xml: process });
  expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
});

describe('a routed complaint is one ticket and one task', () => {
  it("arrives live in the routed department's queue, is claimed there, handled on its task page and closes", async () => {
    member = await browser.person(t.url, 'wangwu', 'wangwu-password');
    await member.page.goto('/queue');
    await testId(member.page, 'queue-list').waitFor();

    staff = await browser.person(t.url, 'zhangsan', 'zhangsan-password');
    await staff.page.goto('/start');
    await testId(staff.page, 'start-card-complaint').click();
    await staff.page.locator('[data-testid=field-customer] input').fill('王先生');
    await staff.page.locator('[data-testid=field-details] input').fill('账单金额不对');
    await testId(staff.page, 'start-submit').click();
    await staff.page.waitForURL('**/instances/**');

    // No reload: the ticket comes over the socket, highlighted as new, waiting at the routed node.
    const { page } = member;
    const card = page.locator('[data-testid^=queue-row-]').filter({ hasText: '王先生' });
    await card.waitFor({ timeout: 20_000 });
    expect(await card.getAttribute('class')).toContain('lz-ticket-fresh');
    expect(await card.getAttribute('data-status')).toBe('queued');
    const ticketId = (await card.getAttribute('data-testid'))!.replace('queue-row-', '');
    await expect.poll(() => testId(page, `queue-stage-${ticketId}`).textContent()).toBe('当前节点：处理投诉');

    await testId(page, `queue-claim-${ticketId}`).click();
    await expect.poll(() => card.getAttribute('data-status')).toBe('claimed');
    await expect.poll(() => card.textContent()).toContain('已认领');
    // Claimed in the queue = the task is the member's (no claim needed on the task page).
    const tasks = await org.as('admin').get(`/api/tasks?instanceId=${new URL(staff.page.url()).pathname.split('/').pop()}`);
    expect(tasks.body).toEqual([expect.objectContaining({ elementId: 'handle', assignee: 'wangwu' })]);
    await browser.screenshot(page, 'queue-linked-ticket');

    await testId(page, `queue-task-${ticketId}`).click();
    await testId(page, 'task-page').waitFor();
    await testId(page, 'action-approve').click();
    await page.waitForURL('**/inbox**');

    await page.goto('/queue');
    await testId(page, 'queue-status').getByText('已关闭').click();
    const closed = page.locator(`[data-testid=queue-row-${ticketId}]`);
    await expect.poll(() => closed.getAttribute('data-status')).toBe('closed');
    expect(await testId(page, `queue-stage-${ticketId}`).textContent()).toBe('已办结：处理投诉');
    // Closed with its process, so the card offers no close or claim any more, and links to the instance.
    expect(await testId(page, `queue-claim-${ticketId}`).count()).toBe(0);
    expect(await testId(page, `queue-close-${ticketId}`).count()).toBe(0);
    await testId(page, `queue-instance-${ticketId}`).click();
    await expect.poll(() => testId(page, 'instance-status').getAttribute('data-status')).toBe('completed');
  }, 120_000);
});
