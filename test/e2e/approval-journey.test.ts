/**
 * The product's main journey in a real browser, each person in their own context:
 * an admin builds a form (text, number, money, date, select, sub-form, formula) and a
 * two-node approval flow bound to it with the amount read-only at the second node, and
 * publishes both; a staff member submits the form; the second approver watches their inbox,
 * sees the task arrive without reloading, cannot edit the read-only amount, and approves;
 * the instance view shows the flow finished. Screenshots of each screen are kept.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_DEMO_PASSWORD } from '../../server/bootstrap.ts';
import { useBrowser, type Person } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const browser = useBrowser();

const FORM = 'e2e_expense';
const FLOW = 'e2e_expense_flow';

let admin: Person;
let staff: Person;
let approver: Person;
let instanceId: string;

const testId = (page: Page, id: string) => page.getByTestId(id);

/** Picks `text` in an antd Select by typing it and pressing Enter. */
async function choose(page: Page, selectTestId: string, text: string): Promise<void> {
  await testId(page, selectTestId).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

beforeAll(async () => {
  admin = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
});

describe('admin builds, staff submits, approvers approve', () => {
  it('admin builds a form with seven field types including a sub-form and publishes it', async () => {
    const { page } = admin;
    await page.goto('/forms');
    await testId(page, 'forms-new').click();
    await testId(page, 'form-title-zh').fill('费用报销');
    await testId(page, 'form-title-en').fill('Expense claim');
    await testId(page, 'form-key').fill(FORM);
    for (const type of ['text', 'number', 'money', 'date', 'select', 'subform', 'formula']) await testId(page, `palette-${type}`).click();

    await testId(page, 'canvas-field-text_1').click();
    await testId(page, 'prop-label-zh').fill('报销事由');
    await testId(page, 'prop-required').click();
    await testId(page, 'prop-minLength').fill('3');
    await testId(page, 'canvas-field-number_1').click();
    await testId(page, 'prop-label-zh').fill('天数');
    await testId(page, 'prop-required').click();
    await testId(page, 'canvas-field-money_1').click();
    await testId(page, 'prop-label-zh').fill('金额');
    await testId(page, 'prop-required').click();
    await testId(page, 'canvas-field-subform_1').click();
    await testId(page, 'prop-label-zh').fill('明细');
    await testId(page, 'prop-required').click();
    await testId(page, 'canvas-field-formula_1').click();
    await testId(page, 'prop-label-zh').fill('日均');
    await testId(page, 'prop-formula').fill('money_1 / number_1');
    await expect.poll(() => testId(page, 'prop-formula-status').textContent()).toMatch(/正确/);
    await browser.screenshot(page, 'form-designer');

    await testId(page, 'form-publish').click();
    await page.getByText('v1 已发布').first().waitFor();
    const stored = await t.request('GET', `/api/forms/${FORM}`, { token: await t.login('admin', TEST_ADMIN_PASSWORD) });
    expect(stored.status).toBe(200);
    expect(stored.body.schema.required).toEqual(expect.arrayContaining(['text_1', 'number_1', 'money_1', 'subform_1']));
    expect(stored.body.schema.properties.subform_1.type).toBe('array');
  });

  it('admin builds a two-node approval flow bound to the form, amount read-only at node 2, and deploys it', async () => {
    const { page } = admin;
    await page.goto('/flows');
    await testId(page, 'flow-new').click();
    await testId(page, 'new-flow-name').fill('费用报销审批');
    await testId(page, 'new-flow-key').fill(FLOW);
    await choose(page, 'new-flow-form', FORM);
    await testId(page, 'new-flow-create').click();
    await page.waitForURL(`**/flows/${FLOW}/design`);

    await expect.poll(() => testId(page, 'flow-add-approval').isEnabled(), { timeout: 15_000 }).toBe(true);
    await testId(page, 'flow-add-approval').click();
    await testId(page, 'user-task-properties').waitFor();
    await testId(page, 'node-name').fill('财务审批');
    await page.keyboard.press('Enter');
    // The second node's approver is wangwu rather than the submitter's head.
    await testId(page, 'assignee-remove-0').click();
    await testId(page, 'assignee-add').click();
    await choose(page, 'assignee-value-0', 'wangwu');
    await page.keyboard.press('Escape');
    await testId(page, 'perm-money_1-readonly').click();
    await browser.screenshot(page, 'flow-designer');

    await testId(page, 'flow-deploy').click();
    await page.getByText('v1 已发布').first().waitFor();
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    const latest = await t.request('GET', `/api/definitions/${FLOW}/latest`, { token });
    expect(latest.status).toBe(200);
    expect(latest.body.formKey).toBe(FORM);
    expect(latest.body.xml).toContain('access="readonly"');
  });

  it('shows each error of bad data beside its field and stores nothing', async () => {
    staff = await browser.person(t.url, 'zhangsan', DEFAULT_DEMO_PASSWORD);
    const { page } = staff;
    await page.goto('/start');
    await testId(page, `start-card-${FORM}`).click();
    await page.locator('[data-testid=field-text_1] input').fill('ab');
    await testId(page, 'start-submit').click();
    await expect.poll(() => testId(page, 'field-text_1').textContent()).toMatch(/3/);
    await browser.screenshot(page, 'start-form-errors');
    for (const field of ['number_1', 'money_1']) {
      await expect.poll(() => testId(page, `field-${field}`).textContent()).toMatch(/必填/);
    }
    const records = await t.request('GET', `/api/forms/${FORM}/records`, { token: await t.login('zhangsan', DEFAULT_DEMO_PASSWORD) });
    expect(records.body.total).toBe(0);
  });

  it('staff submits the form; the first approver (the department head) approves over the API', async () => {
    approver = await browser.person(t.url, 'wangwu', DEFAULT_DEMO_PASSWORD);
    await approver.page.goto('/inbox');
    await testId(approver.page, 'inbox-count-todo').waitFor();

    const { page } = staff;
    await page.locator('[data-testid=field-text_1] input').fill('客户拜访差旅');
    await page.locator('[data-testid=field-number_1] input').fill('2');
    await page.locator('[data-testid=field-money_1] input').fill('1200');
    // The required sub-form starts with its one required row.
    await page.locator('[data-testid=cell-number_1] input').first().fill('3');
    await testId(page, 'start-submit').click();
    await page.waitForURL('**/instances/**');
    instanceId = new URL(page.url()).pathname.split('/').pop()!;
    await testId(page, 'instance-status').waitFor();
    await browser.screenshot(page, 'instance-submitted');

    const head = await t.login('zhaoliu', DEFAULT_DEMO_PASSWORD);
    const todo = await t.request('GET', `/api/tasks?instanceId=${instanceId}`, { token: head });
    expect(todo.body).toEqual([expect.objectContaining({ assignee: 'zhaoliu' })]);
    const approved = await t.request('POST', `/api/tasks/${todo.body[0].id}/approve`, { token: head, body: { comment: '同意' } });
    expect(approved.status).toBe(200);
  });

  it('the second approver sees the task arrive live, cannot edit the read-only amount, and approves', async () => {
    const { page } = approver;
    // No reload: the socket brings the toast and the row.
    await testId(page, 'new-task-open').waitFor({ timeout: 20_000 });
    await browser.screenshot(page, 'inbox-new-task');
    await testId(page, 'new-task-open').click();
    await testId(page, 'task-page').waitFor();
    const amount = page.locator('[data-testid=field-money_1] input');
    await expect.poll(() => amount.inputValue()).toMatch(/1,?200/);
    expect(await amount.isDisabled()).toBe(true);
    expect(await page.locator('[data-testid=field-text_1] input').isDisabled()).toBe(false);
    await browser.screenshot(page, 'task-page');
    await testId(page, 'task-comment').fill('金额无误');
    await testId(page, 'action-approve').click();
    await page.waitForURL('**/inbox**');

    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    const instance = await t.request('GET', `/api/instances/${instanceId}`, { token });
    expect(instance.body.status).toBe('completed');
    expect(instance.body.variables.money_1).toBe(1200);
  });

  it('shows the finished flow on the instance page with every node completed', async () => {
    const { page } = staff;
    await page.goto(`/instances/${instanceId}`);
    await expect.poll(() => testId(page, 'instance-status').getAttribute('data-status')).toBe('completed');
    await page.locator('[data-testid=process-diagram][data-loaded=true]').waitFor();
    await expect.poll(() => page.locator('g.djs-element.lz-completed').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('g.djs-element.lz-active').count()).toBe(0);
    await browser.screenshot(page, 'instance-finished');
  });
});
