/**
 * Conditions in the admin's words, in a real browser: an admin opens 自动分派 for a form with
 * no rules and sees the notice; a rule written with a label (`category = "账单"`) is refused
 * with the values the field can hold shown on the row; the admin then builds the rule with the
 * builder — field 投诉类别, option 账单 picked from a dropdown — picks the department and
 * saves: the notice goes away without a reload. A billing record lands in that department's
 * queue, as its member sees it. In English the 发起 list shows English titles. The form
 * designer's canvas shows the real select and date widgets; a new option's stored value is a
 * slug of its English label, a published one's never changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_DEMO_PASSWORD } from '../../server/bootstrap.ts';
import { useBrowser, type Person } from '../helpers/browser.ts';
import { eventually } from '../helpers/eventually.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

// Templates on: the demo organisation (finance: 周八, 王五).
const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const browser = useBrowser();

const FORM = 'e2e_routed_complaint';
let admin: Person;
let token: string;
const departments: Record<string, string> = {};

const testId = (page: Page, id: string) => page.getByTestId(id);

/** The options of the open antd Select dropdown (a closing one may linger in the page, invisible). */
const openOptions = (page: Page) => page.locator('.ant-select-dropdown .ant-select-item-option').filter({ visible: true });

/** Picks `text` in an antd Select by typing it and pressing Enter, as a person does. */
async function pick(page: Page, selectTestId: string, text: string): Promise<void> {
  await testId(page, selectTestId).click();
  await page.keyboard.type(text);
  await openOptions(page).filter({ hasText: text }).first().waitFor();
  await page.keyboard.press('Enter');
}

beforeAll(async () => {
  token = await t.login('admin', TEST_ADMIN_PASSWORD);
  const form = await t.request('POST', '/api/forms', {
    token,
    body: {
      key: FORM,
      title: '客户投诉单',
      schema: {
        type: 'object',
        required: ['customer', 'category'],
        properties: {
          customer: { type: 'string', maxLength: 100 },
          category: { type: 'string', enum: ['billing', 'service', 'other'] },
          received_on: { type: 'string', format: 'date' },
        },
      },
      uiSchema: {
        'ui:title': { 'zh-CN': '客户投诉单', en: 'Customer complaint' },
        'ui:order': ['customer', 'category', 'received_on'],
        customer: { 'ui:title': { 'zh-CN': '客户', en: 'Customer' } },
        category: { 'ui:title': { 'zh-CN': '投诉类别', en: 'Category' }, 'ui:enumNames': { 'zh-CN': ['账单', '服务', '其他'], en: ['Billing', 'Service', 'Other'] } },
        received_on: { 'ui:title': { 'zh-CN': '收到日期', en: 'Received on' } },
      },
    },
  });
  expect(form.status, JSON.stringify(form.body)).toBe(201);
  const xml = bpmn(`<process id="${FORM}_flow" name="投诉处理" isExecutable="true">
    <extensionElements><liuzhuan:settings><liuzhuan:entry key="form" value="${FORM}"/></liuzhuan:settings></extensionElements>
    <startEvent id="start"/><userTask id="handle" name="处理" camunda:assignee="admin"/><endEvent id="end"/>
    ${flow('start', 'handle')}${flow('handle', 'end')}</process>`);
  const deployed = await t.request('POST', '/api/definitions', { token, body: { xml } });
  expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
  for (const department of (await t.request('GET', '/api/departments', { token })).body) departments[department.code] = department.id;
  admin = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
});

describe('自动分派 with the condition builder', () => {
  it('refuses a label, builds the rule from the dropdowns, saves, and the notice goes away without a reload', async () => {
    const { page } = admin;
    await page.goto(`/admin/routing?form=${FORM}`);
    await testId(page, 'routing-not-configured').waitFor();

    await testId(page, 'routing-add-rule').click();
    await testId(page, 'routing-rule-0-name').fill('账单问题');
    // An expert writes the label where the stored value belongs: the server refuses it and says what 投诉类别 can be.
    await testId(page, 'routing-rule-0-condition').fill('category = "账单"');
    await pick(page, 'routing-rule-0-department', '财务部');
    await pick(page, 'routing-default-department', '客服部');
    await testId(page, 'routing-save').click();
    const refusal = testId(page, 'routing-rule-0-condition-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('投诉类别 可以是："billing"（账单）、"service"（服务）、"other"（其他）');
    expect(await t.request('GET', `/api/routing/${FORM}`, { token })).toMatchObject({ body: { defaultDepartmentId: null, rules: [] } });

    // The builder: clear the row, then field 投诉类别 and option 账单 from dropdowns that show labels.
    await testId(page, 'routing-rule-0-condition').fill('');
    await testId(page, 'routing-rule-0-cond-add').click();
    await pick(page, 'routing-rule-0-cond-field-0', '投诉类别');
    await testId(page, 'routing-rule-0-cond-value-0').click();
    const offered = openOptions(page);
    await eventually(async () => (await offered.allTextContents()).join('|') === '账单|服务|其他', { message: 'the options by label' });
    await offered.filter({ hasText: '账单' }).click();
    expect(await testId(page, 'routing-rule-0-condition').inputValue()).toBe('category = "billing"');
    await browser.screenshot(page, 'routing-builder');

    await testId(page, 'routing-save').click();
    await page.getByText('已保存分派规则').waitFor();
    await eventually(async () => (await testId(page, 'routing-not-configured').count()) === 0, { message: 'the notice goes away' });
    const saved = await t.request('GET', `/api/routing/${FORM}`, { token });
    expect(saved.body).toMatchObject({
      defaultDepartmentId: departments.service,
      rules: [{ name: '账单问题', condition: 'category = "billing"', departmentId: departments.finance, enabled: true }],
    });
  });

  it("routes a billing record to the finance queue, where its member sees it", async () => {
    const record = await t.request('POST', `/api/forms/${FORM}/records`, { token, body: { data: { customer: '华星科技', category: 'billing' } } });
    expect(record.status, JSON.stringify(record.body)).toBe(201);
    const queue = await t.request('GET', `/api/departments/${departments.finance}/queue`, { token });
    const ticket = queue.body.items.find((item: { recordId: string }) => item.recordId === record.body.id);
    expect(ticket).toBeTruthy();

    const member = await browser.person(t.url, 'wangwu', DEFAULT_DEMO_PASSWORD);
    await member.page.goto('/queue');
    await testId(member.page, `queue-row-${ticket.id}`).waitFor();
  });
});

describe('English start list and the form designer canvas', () => {
  it('shows the English form title on the 发起 list and the start form when the UI is English', async () => {
    const { page } = admin;
    await page.goto('/start');
    expect(await testId(page, `start-card-title-${FORM}`).textContent()).toBe('客户投诉单');
    await testId(page, 'locale-switch').getByText('EN').click();
    await eventually(async () => (await testId(page, `start-card-title-${FORM}`).textContent()) === 'Customer complaint', { message: 'English title' });
    // The process's name is Chinese only: an English page shows its key instead.
    expect(await testId(page, `start-card-${FORM}`).textContent()).toContain(`${FORM}_flow`);
    expect(await testId(page, `start-card-${FORM}`).textContent()).not.toContain('投诉处理');
    await testId(page, `start-card-${FORM}`).click();
    expect(await testId(page, 'start-form-title').textContent()).toBe('Customer complaint');
    await testId(page, 'locale-switch').getByText('中').click();
  });

  it('draws each field on the canvas with its real widget, and keeps option values readable and fixed once published', async () => {
    const { page } = admin;
    await page.goto(`/forms/${FORM}/design`);
    const select = testId(page, 'canvas-preview-category');
    await select.locator('.ant-select').waitFor();
    expect(await select.textContent()).toContain('投诉类别');
    await testId(page, 'canvas-preview-received_on').locator('.ant-picker').waitFor();
    await testId(page, 'canvas-preview-customer').locator('input').waitFor();
    // Disabled: the canvas shows the widget, it does not take input; a click selects the field.
    expect(await testId(page, 'canvas-preview-customer').locator('input').isDisabled()).toBe(true);
    await testId(page, 'canvas-field-category').click();
    await testId(page, 'options-editor').waitFor();
    await browser.screenshot(page, 'form-designer-canvas');

    // Options: stored values stay out of sight; a new option's value follows its English label,
    // and a published option's value cannot be changed (records hold it).
    expect(await testId(page, 'option-value-0').count()).toBe(0);
    await testId(page, 'option-add').click();
    await testId(page, 'option-zh-3').fill('退款');
    await testId(page, 'option-en-3').fill('Refund request');
    await testId(page, 'option-advanced').click();
    expect(await testId(page, 'option-value-3').inputValue()).toBe('refund_request');
    expect(await testId(page, 'option-value-0').inputValue()).toBe('billing');
    expect(await testId(page, 'option-value-0').isDisabled()).toBe(true);
    await testId(page, 'option-en-0').fill('Invoice');
    expect(await testId(page, 'option-value-0').inputValue()).toBe('billing');
  });
});
