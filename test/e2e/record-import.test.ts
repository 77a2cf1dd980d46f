/**
 * Importing records through the data page, in a real browser: an admin uploads a small .xlsx
 * with one bad row, maps the column the server could not match by label, sees the bad row's
 * problem in the preview, imports skipping bad rows, watches the progress end with the
 * report link (and keeps it when the start request's answer arrives after the end), and finds
 * the imported records in the list and the import in the audit log. The form is set up over the API.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pickOption } from '../helpers/antdSelect.ts';
import { useBrowser } from '../helpers/browser.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();
const FORM = 'imp_complaint';
let file: string;


beforeAll(async () => {
  const token = await t.login('admin', TEST_ADMIN_PASSWORD);
  const created = await t.request('POST', '/api/forms', {
    token,
    body: {
      key: FORM,
      title: '客户投诉单',
      schema: {
        type: 'object',
        required: ['customer', 'amount'],
        properties: {
          customer: { type: 'string', minLength: 1 },
          amount: { type: 'number' },
          category: { type: 'string', enum: ['billing', 'service', 'delivery'] },
        },
      },
      uiSchema: {
        'ui:order': ['customer', 'amount', 'category'],
        customer: { 'ui:title': { 'zh-CN': '客户', en: 'Customer' } },
        amount: { 'ui:title': { 'zh-CN': '金额', en: 'Amount' } },
        category: { 'ui:title': { 'zh-CN': '投诉类别', en: 'Category' }, 'ui:enumNames': { 'zh-CN': ['账单', '服务', '物流'], en: ['Billing', 'Service', 'Delivery'] } },
      },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('投诉');
  sheet.addRow(['客户', '金额', '类型']);
  sheet.addRow(['阿尔法公司', 100, '账单']);
  sheet.addRow(['贝塔公司', 'abc', '服务']);
  sheet.addRow(['伽马公司', '1,200', '物流']);
  // A folder of its own, so the file keeps the name a person would give it (it shows in the dialog).
  file = path.join(await mkdtemp(path.join(os.tmpdir(), 'record-import-')), '投诉导入.xlsx');
  await writeFile(file, Buffer.from(await workbook.xlsx.writeBuffer()));
});

describe('importing records on the data page', () => {
  it('uploads, maps, previews the bad row, imports the good ones and offers the report', async () => {
    const { page } = await browser.person(t.url, 'admin', TEST_ADMIN_PASSWORD);
    await page.goto(`/forms/${FORM}/records`);
    await page.getByTestId('records-import').click();
    await page.locator('.ant-modal .ant-upload input[type=file]').setInputFiles(file);

    // 客户 and 金额 matched by label; 类型 is the admin's to map.
    await page.getByTestId('import-mapping').waitFor();
    await pickOption(page, page.getByTestId('import-map-2'), '投诉类别');
    await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('import-preview').innerText()).toContain('类型 → 投诉类别');
    await expect.poll(() => page.getByTestId('import-errors-3').innerText()).toContain('「abc」不是数字');
    await browser.screenshot(page, 'record-import');

    // Three rows import faster than the start request's answer travels back, and it describes
    // the job as it started (0 rows, running). Hold that answer until the socket has shown
    // the end, then let it in: the dialog must stay at the end, not fall back to "0 / 3".
    let releaseStart!: () => void;
    const startHeld = new Promise<void>((resolve) => (releaseStart = resolve));
    await page.route('**/api/forms/*/imports/*/start', async (route) => {
      const response = await route.fetch();
      await startHeld;
      await route.fulfill({ response });
    });
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-summary').innerText(), { timeout: 30_000 }).toContain('成功 2 行，未导入 1 行');
    const startAnswered = page.waitForResponse((response) => response.url().endsWith('/start'));
    releaseStart();
    await startAnswered;
    // Two frames: React has rendered whatever the answer changed.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    // Read at once, not waited for: the slow poll would bring a lost end back within 3 s.
    expect(await page.getByTestId('import-summary').isVisible()).toBe(true);
    expect(await page.getByTestId('import-speed').innerText()).toContain('3 / 3 行');
    // Ended: no time left is shown.
    expect(await page.getByTestId('import-speed').innerText()).not.toContain('预计剩余');
    expect(await page.getByTestId('import-report').getAttribute('href')).toMatch(new RegExp(`/api/forms/${FORM}/imports/[0-9a-f-]+/report$`));
    // The bar's width eases in: shoot once it is full.
    await expect
      .poll(() => page.locator('[data-testid=import-progress] .ant-progress-track').first().evaluate((bar) => bar.getBoundingClientRect().width / bar.closest('.ant-progress-rail')!.getBoundingClientRect().width))
      .toBeGreaterThan(0.99);
    await browser.screenshot(page, 'record-import-done');

    await page.getByTestId('import-close').click();
    await expect
      .poll(() => page.locator('[data-testid=records-table] tbody tr[data-testid^=record-row-] td:first-child').allInnerTexts())
      .toEqual(expect.arrayContaining(['阿尔法公司', '伽马公司']));
    // The admin finds the import in the audit log: who, which file, how many rows.
    await page.getByTestId('menu-/admin/audit').click();
    const traced = page.getByTestId('audit-row-record.import');
    await expect.poll(() => traced.innerText()).toContain('导入数据');
    expect(await traced.innerText()).toContain('投诉导入.xlsx: 3 rows');
    await browser.screenshot(page, 'record-import-audit');
    const stored = await t.server.ctx.db('records').where({ form_key: FORM }).select('data');
    expect(stored.map((r: { data: Record<string, unknown> }) => r.data).sort((a, b) => String(a.customer).localeCompare(String(b.customer)))).toEqual([
      { customer: '伽马公司', amount: 1200, category: 'delivery' },
      { customer: '阿尔法公司', amount: 100, category: 'billing' },
    ].sort((a, b) => a.customer.localeCompare(b.customer)));
  });
});
