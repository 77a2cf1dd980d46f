/**
 * 数据权限 in a real browser, as the people involved do it: an admin opens a form's 数据权限 from
 * the form list, adds a permission group by clicking — members: one staff user; actions: 查看;
 * the 内部备注 field unticked; records: 等级 = A — and saves it. The staff user then logs in: the
 * record list shows exactly the A records, without the 内部备注 column or a 新建 button, and the
 * record page shows no 内部备注. The admin, who may unmask, clicks 显示 on a masked phone number
 * and finds both the group change and the unmask in 审计日志.
 * The form, users and records are made over the API: this file is about the pages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { pickOption } from '../helpers/antdSelect.ts';
import { useBrowser, type Person } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

const FORM = 'vip_customer';
const STAFF = { username: 'xiaoli', displayName: '小李', password: 'xiaoli-password' };
const ids: Record<string, string> = {};
let admin: Person;

/** The first-column text of each row of the records table. */
const names = (page: Page) => page.locator('[data-testid=records-table] tbody tr[data-testid^=record-row-] td:first-child').allInnerTexts();

beforeAll(async () => {
  const token = await t.login('admin', TEST_ADMIN_PASSWORD);
  const request = async (method: string, path: string, body?: unknown) => {
    const answer = await t.request(method, path, { token, body });
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body;
  };
  await request('POST', '/api/users', { ...STAFF, role: 'staff' });
  await request('POST', '/api/forms', {
    key: FORM,
    title: '重点客户',
    schema: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 1 },
        tier: { type: 'string', enum: ['A', 'B'] },
        phone: { type: 'string', 'x-personal': 'phone' },
        note: { type: 'string' },
      },
    },
    uiSchema: {
      'ui:title': { 'zh-CN': '重点客户', en: 'Key customer' },
      'ui:order': ['name', 'tier', 'phone', 'note'],
      name: { 'ui:title': { 'zh-CN': '客户名称', en: 'Name' } },
      tier: { 'ui:title': { 'zh-CN': '等级', en: 'Tier' }, 'ui:enumNames': { 'zh-CN': ['A 战略', 'B 重要'], en: ['A', 'B'] } },
      phone: { 'ui:title': { 'zh-CN': '联系电话', en: 'Phone' } },
      note: { 'ui:title': { 'zh-CN': '内部备注', en: 'Internal note' } },
    },
  });
  for (const data of [
    { name: '东方机械', tier: 'A', phone: '13812345678', note: '价格底线 8 折' },
    { name: '西岭贸易', tier: 'B', phone: '13900001111', note: '欠款未清' },
    { name: '南湖电子', tier: 'A', phone: '13700002222', note: '老板是校友' },
  ]) {
    ids[data.name] = (await request('POST', `/api/forms/${FORM}/records`, { data })).id;
  }
});

describe('a permission group made in the browser', () => {
  it('is created by clicking: a staff member, 查看, 内部备注 hidden, 等级 = A', async () => {
    admin = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    const { page } = admin;
    await page.goto('/forms');
    await page.getByTestId(`form-access-${FORM}`).click();
    await page.getByTestId('form-access').waitFor();
    await page.getByTestId('access-add-group').click();

    await page.getByTestId('group-name').fill('小李-A类客户');
    await page.getByTestId('group-name-en').fill('Xiao Li – tier A');
    await pickOption(page, page.getByTestId('group-users'), /小李/, { multiple: true });
    await page.keyboard.press('Escape');
    // 查看 is ticked for a new group; nothing else is.
    expect(await page.getByTestId('group-action-view').isChecked()).toBe(true);
    expect(await page.getByTestId('group-action-add').isChecked()).toBe(false);
    await page.getByTestId('group-visible-note').click();
    expect(await page.getByTestId('group-visible-all').isChecked()).toBe(false);

    await page.getByTestId('group-filter-add').click();
    await pickOption(page, page.getByTestId('group-filter-field-0'), '等级');
    await pickOption(page, page.getByTestId('group-filter-value-0'), 'A 战略');
    // The picture without the closing dropdown.
    await expect.poll(() => page.locator('.ant-select-dropdown:visible').count()).toBe(0);
    await browser.screenshot(page, 'data-permissions-group');

    await page.getByTestId('group-save').click();
    await page.locator('.ant-message-notice').filter({ hasText: '已保存权限组' }).waitFor();
    const row = page.getByTestId('access-group-小李-A类客户');
    await expect.poll(() => row.innerText()).toMatch(/小李[\s\S]*查看[\s\S]*3 个字段[\s\S]*1 个条件/);

    // What the server stored is what was clicked.
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    const groups = (await t.request('GET', `/api/forms/${FORM}/permission-groups`, { token })).body;
    const list = Array.isArray(groups) ? groups : groups.items;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      name: '小李-A类客户',
      nameEn: 'Xiao Li – tier A',
      actions: ['view'],
      fields: { visible: ['name', 'tier', 'phone'] },
      filter: { join: 'and', rules: [{ field: 'tier', operator: '=', value: 'A' }] },
    });
    expect(list[0].members.users).toHaveLength(1);
  });

  it('lets the staff member see exactly the A records, without the hidden field', async () => {
    // What the server answers the staff member (the page must show the same).
    const staffToken = await t.login(STAFF.username, STAFF.password);
    const listed = await t.request('GET', `/api/forms/${FORM}/records`, { token: staffToken });
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.items.map((item: { data: { name: string } }) => item.data.name).sort()).toEqual(['东方机械', '南湖电子'].sort());

    const { page } = await browser.person(t.url, STAFF.username, STAFF.password);
    await page.goto(`/forms/${FORM}/records`);
    await expect
      .poll(async () => ((await page.getByTestId('records-error').count()) ? await page.getByTestId('records-error').innerText() : (await names(page)).sort()), { timeout: 20_000 })
      .toEqual(['东方机械', '南湖电子'].sort());
    await page.getByTestId('records-column-tier').waitFor();
    expect(await page.getByTestId('records-column-note').count()).toBe(0);
    // The group gives 查看 only: no 新建 and no 导出.
    expect(await page.getByTestId('records-new').count()).toBe(0);
    expect(await page.getByTestId('records-export').count()).toBe(0);
    // Without 查看明文 the phone arrives masked.
    expect(await page.getByTestId('records-table').innerText()).toContain('138****5678');
    await browser.screenshot(page, 'data-permissions-staff');
    // A phone number is stored encrypted: the staff member finds a customer by the whole number
    // (the server matches its blind index), and the column offers no sort on it.
    const phoneFilter = page.getByTestId('records-filter-phone').locator('input');
    await phoneFilter.fill('13700002222');
    await phoneFilter.press('Enter');
    await expect.poll(async () => (await names(page)).sort()).toEqual(['南湖电子']);
    await phoneFilter.fill('');
    await phoneFilter.press('Enter');
    await expect.poll(async () => (await names(page)).sort()).toEqual(['东方机械', '南湖电子'].sort());

    await page.getByTestId(`record-row-${ids['东方机械']}`).click();
    const view = page.getByTestId('record-view');
    await expect.poll(() => view.innerText()).toContain('客户名称');
    const text = await view.innerText();
    expect(text).not.toContain('内部备注');
    expect(text).not.toContain('价格底线');
    expect(await page.getByTestId('unmask-phone').count()).toBe(0);
    expect(await page.getByTestId('record-edit').count()).toBe(0);
  });

  it('lets the admin, who may always unmask, show a phone number, and logs it', async () => {
    const { page } = admin;
    await page.goto(`/forms/${FORM}/records/${ids['东方机械']}`);
    const phone = page.getByTestId('personal-value-phone');
    await expect.poll(() => phone.innerText()).toBe('138****5678');
    await page.getByTestId('unmask-phone').click();
    await expect.poll(() => phone.innerText()).toBe('13812345678');
    await page.locator('.ant-message-notice').filter({ hasText: '审计日志' }).waitFor();

    await page.getByTestId('menu-/admin/audit').click();
    await page.getByTestId('audit-row-record.unmask').waitFor();
    await page.getByTestId('audit-row-permission.change').first().waitFor();
    await browser.screenshot(page, 'audit-log');
  });
});
