/**
 * The record pages as people use them, in a real browser: an admin opens 数据 for the
 * complaint form, filters 投诉类别 by picking 账单 from the label dropdown, sorts by a column,
 * opens a flow record, prints it with the form's print template, follows the link to its
 * process instance and sees the history; edits a plain record and deletes one after
 * confirming. A staff member who may not change a flow record sees no edit or delete button.
 * The forms, flow, template and records are set up over the API: this file is about the
 * record pages, not the designers.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { bpmn, flow } from '../helpers/engine.ts';
import { pickOption } from '../helpers/antdSelect.ts';
import { useBrowser, type Person } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

const FORM = 'complaint';
/** Each test is a journey of many page steps; the suite's 30 s is tight when the machine is busy. */
const JOURNEY_TIMEOUT = 90_000;
let admin: Person;
let adminToken: string;
const ids: Record<string, string> = {};
let runningInstance: string;

/** The side menu's highlighted entry, as the reader sees it. */
const selectedMenuItem = (page: Page) => page.locator('[data-testid=side-menu] .ant-menu-item-selected').innerText().then((text) => text.trim());
const testId = (page: Page, id: string) => page.getByTestId(id);

/** The first-column text of each row of the records table, top to bottom. */
async function customers(page: Page): Promise<string[]> {
  return page.locator('[data-testid=records-table] tbody tr[data-testid^=record-row-] td:first-child').allInnerTexts();
}

async function waitForCustomers(page: Page, expected: string[]): Promise<void> {
  await expect.poll(() => customers(page), { timeout: 10_000 }).toEqual(expected);
}


beforeAll(async () => {
  adminToken = await t.login('admin', TEST_ADMIN_PASSWORD);
  const request = async (method: string, path: string, body: unknown, token = adminToken) => {
    const answer = await t.request(method, path, { token, body });
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body;
  };
  await request('POST', '/api/users', { username: 'alice', displayName: '爱丽丝', password: 'alice-password', role: 'staff' });
  await request('POST', '/api/forms', {
    key: FORM,
    title: '客户投诉单',
    schema: {
      type: 'object',
      required: ['customer', 'category'],
      properties: {
        customer: { type: 'string', minLength: 1 },
        category: { type: 'string', enum: ['billing', 'service', 'delivery'] },
        amount: { type: 'number' },
        received: { type: 'string', format: 'date' },
      },
    },
    uiSchema: {
      'ui:title': { 'zh-CN': '客户投诉单', en: 'Customer complaint' },
      'ui:order': ['customer', 'category', 'amount', 'received'],
      customer: { 'ui:title': { 'zh-CN': '客户', en: 'Customer' } },
      category: { 'ui:title': { 'zh-CN': '投诉类别', en: 'Category' }, 'ui:enumNames': { 'zh-CN': ['账单', '服务', '物流'], en: ['Billing', 'Service', 'Delivery'] } },
      amount: { 'ui:title': { 'zh-CN': '金额', en: 'Amount' } },
      received: { 'ui:title': { 'zh-CN': '受理日期', en: 'Received' } },
    },
  });
  // Created oldest first; amounts whose text order (100 < 9) differs from their number order.
  for (const data of [
    { customer: '阿尔法公司', category: 'billing', amount: 100, received: '2026-03-10' },
    { customer: '贝塔公司', category: 'service', amount: 9, received: '2026-11-02' },
    { customer: '伽马公司', category: 'billing', amount: 10, received: '2025-12-31' },
  ]) {
    ids[data.customer] = (await request('POST', `/api/forms/${FORM}/records`, { data })).id;
  }
  await request('POST', '/api/definitions', {
    xml: bpmn(`<process id="complaint_flow" name="投诉处理" isExecutable="true">
      <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="${FORM}"/></liuzhuan:settings></extensionElements>
      <startEvent id="start"/>
      <userTask id="handle" name="部门处理" camunda:assignee="admin"/>
      <endEvent id="end"/>
      ${flow('start', 'handle')}${flow('handle', 'end')}
    </process>`),
  });
  const alice = await t.login('alice', 'alice-password');
  const submitted = await request('POST', `/api/forms/${FORM}/submit`, { data: { customer: '德尔塔公司', category: 'delivery', amount: 50 } }, alice);
  ids['德尔塔公司'] = submitted.record.id;
  runningInstance = submitted.instance.id;
  await request('PUT', '/api/templates/print/complaint-slip', {
    formKey: FORM,
    title: '投诉回执',
    body: '<h1 class="slip">投诉回执</h1><p>客户：{{customer}}</p><p>类别：{{label "category" category}}</p>',
  });
  admin = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
});

describe('the record list', () => {
  it('opens 数据 for the form, filters 投诉类别 by its label and sorts by a column', async () => {
    const { page } = admin;
    await page.goto('/data');
    await testId(page, `form-data-${FORM}`).click();
    await waitForCustomers(page, ['德尔塔公司', '伽马公司', '贝塔公司', '阿尔法公司']);
    // The side menu still says where the admin is: 数据, not 表单 (the records' path is under /forms).
    expect(await selectedMenuItem(page)).toBe('数据');
    // The flow record shows where its process stands.
    const status = testId(page, `record-process-${ids['德尔塔公司']}`);
    await expect.poll(() => status.innerText()).toMatch(/进行中[\s\S]*部门处理/);

    await pickOption(page, testId(page, 'records-filter-category'), '账单');
    await waitForCustomers(page, ['伽马公司', '阿尔法公司']);
    // The cells show the label, not the stored value.
    expect(await page.locator('[data-testid=records-table] tbody tr td:nth-child(2)').allInnerTexts()).toEqual(['账单', '账单']);

    // 金额 ascending, then descending: as numbers (10 before 100).
    await testId(page, 'records-column-amount').click();
    await waitForCustomers(page, ['伽马公司', '阿尔法公司']);
    await testId(page, 'records-column-amount').click();
    await waitForCustomers(page, ['阿尔法公司', '伽马公司']);

    // Cleared filter, sorted by 受理日期 as dates (2025-12-31 first; no date last).
    await page.locator('[data-testid=records-filter-category] .ant-select-clear').click({ force: true });
    await testId(page, 'records-column-received').click();
    await waitForCustomers(page, ['伽马公司', '阿尔法公司', '贝塔公司', '德尔塔公司']);
    await page.mouse.move(0, 0); // no sort tooltip over the picture
    await browser.screenshot(page, 'records-list');
  }, JOURNEY_TIMEOUT);
});

describe('in English', () => {
  it('offers the English labels, filters by them, and says where the process stands in English', async () => {
    const bob = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    const { page } = bob;
    await page.goto(`/forms/${FORM}/records`);
    await testId(page, 'locale-switch').getByText('EN').click();
    await testId(page, 'records-column-category').getByText('Category').waitFor();
    await pickOption(page, testId(page, 'records-filter-category'), 'Delivery');
    await waitForCustomers(page, ['德尔塔公司']);
    expect(await page.locator('[data-testid=records-table] tbody tr td:nth-child(2)').allInnerTexts()).toEqual(['Delivery']);
    expect(await testId(page, `record-process-${ids['德尔塔公司']}`).innerText()).toMatch(/In progress[\s\S]*At: 部门处理[\s\S]*Open process/);
    await bob.context.close();
  }, JOURNEY_TIMEOUT);
});

describe('the record page', () => {
  it('opens a flow record, prints it with the template, and follows the link to its instance and history', async () => {
    const { page, context } = admin;
    await page.goto(`/forms/${FORM}/records`);
    await testId(page, `record-row-${ids['德尔塔公司']}`).click();
    await testId(page, 'record-view').waitFor();
    expect(await selectedMenuItem(page)).toBe('数据');
    expect(await testId(page, 'record-process').innerText()).toMatch(/进行中[\s\S]*当前节点：部门处理/);
    // An admin may not change a flow record while its process runs: no edit, no delete.
    expect(await testId(page, 'record-edit').count()).toBe(0);
    expect(await testId(page, 'record-delete').count()).toBe(0);
    await browser.screenshot(page, 'record-page');

    const [printed] = await Promise.all([context.waitForEvent('page'), testId(page, 'record-print').click()]);
    await printed.waitForLoadState();
    expect(printed.url()).toContain(`/api/forms/${FORM}/records/${ids['德尔塔公司']}/print?template=complaint-slip`);
    expect(await printed.locator('h1.slip').innerText()).toBe('投诉回执');
    expect(await printed.locator('body').innerText()).toContain('客户：德尔塔公司');
    expect(await printed.locator('body').innerText()).toContain('类别：物流');
    await printed.close();

    await testId(page, 'record-process-history').click();
    await page.waitForURL(`**/instances/${runningInstance}#history`);
    await testId(page, 'instance-page').waitFor();
    await expect.poll(() => testId(page, 'instance-history').innerText()).toMatch(/爱丽丝|alice/);
    expect(await testId(page, 'instance-status').getAttribute('data-status')).toBe('active');
  }, JOURNEY_TIMEOUT);

  it('edits a plain record and deletes another after confirming', async () => {
    const { page } = admin;
    await page.goto(`/forms/${FORM}/records/${ids['贝塔公司']}`);
    await testId(page, 'record-edit').click();
    await page.locator('[data-testid=field-customer] input').fill('贝塔集团');
    await testId(page, 'record-save').click();
    await page.getByText('已保存').first().waitFor();
    await expect.poll(() => page.locator('[data-testid=field-customer] input').inputValue()).toBe('贝塔集团');
    expect((await t.request('GET', `/api/forms/${FORM}/records/${ids['贝塔公司']}`, { token: adminToken })).body.data.customer).toBe('贝塔集团');

    await page.goto(`/forms/${FORM}/records/${ids['阿尔法公司']}`);
    await testId(page, 'record-delete').click();
    await testId(page, 'record-delete-confirm').click();
    await page.getByText('已删除').first().waitFor();
    await page.waitForURL(`**/forms/${FORM}/records`);
    await waitForCustomers(page, ['德尔塔公司', '伽马公司', '贝塔集团']);
    expect((await t.request('GET', `/api/forms/${FORM}/records/${ids['阿尔法公司']}`, { token: adminToken })).status).toBe(404);
  }, JOURNEY_TIMEOUT);

  it('shows a staff member no edit or delete on a record the server would not let them change', async () => {
    const alice = await browser.person(t.url, 'alice', 'alice-password');
    await alice.page.goto(`/forms/${FORM}/records/${ids['德尔塔公司']}`);
    await testId(alice.page, 'record-view').waitFor();
    await testId(alice.page, 'record-print').waitFor();
    expect(await testId(alice.page, 'record-edit').count()).toBe(0);
    expect(await testId(alice.page, 'record-delete').count()).toBe(0);
  }, JOURNEY_TIMEOUT);
});
