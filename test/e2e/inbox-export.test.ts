/**
 * Exporting 已办 from the inbox in a real browser: a staff member searches their done list,
 * clicks 导出 Excel and receives an .xlsx holding exactly the rows the list shows (read back
 * with exceljs) — not the rows the search hid, nor another user's tasks. Tasks are set up
 * over the API.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../helpers/browser.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const browser = useBrowser();

beforeAll(async () => {
  const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const tokens: Record<string, string> = {};
  for (const [username, displayName] of [['ie_carol', '卡罗尔'], ['ie_dave', '戴夫']] as const) {
    expect((await t.request('POST', '/api/users', { token: admin, body: { username, displayName, password: 'password-123', role: 'staff' } })).status).toBe(201);
    tokens[username] = await t.login(username, 'password-123');
  }
  const xml = bpmn(`<process id="ie_review" name="报销审核" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="check" name="核对票据" camunda:candidateUsers="ie_carol,ie_dave"/>
    <endEvent id="end"/>
    ${flow('start', 'check')}
    ${flow('check', 'end')}
  </process>`);
  expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
  for (const [who, businessKey] of [['ie_carol', 'BX-101'], ['ie_carol', 'BX-102'], ['ie_dave', 'BX-900']] as const) {
    expect((await t.request('POST', '/api/instances', { token: tokens[who], body: { definitionKey: 'ie_review', businessKey } })).status).toBe(201);
    const todo = await t.request('GET', `/api/inbox/todo?q=${businessKey}`, { token: tokens[who] });
    const done = await t.request('POST', `/api/tasks/${todo.body.items[0].taskId}/complete`, { token: tokens[who], body: {} });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
  }
});

describe('exporting the done list', () => {
  it('downloads the searched 已办 list as .xlsx with the rows the list shows', async () => {
    const { page } = await browser.person(t.url, 'ie_carol', 'password-123');
    await page.goto('/inbox?box=done');
    const table = page.getByTestId('inbox-list-done');
    await expect.poll(() => table.locator('tbody tr[data-testid^=inbox-row-]').count()).toBe(2);
    await page.getByTestId('inbox-search').locator('input').fill('BX-102');
    await page.getByTestId('inbox-search').locator('input').press('Enter');
    await expect.poll(() => table.locator('tbody tr[data-testid^=inbox-row-]').count()).toBe(1);
    await expect.poll(() => table.innerText()).toContain('BX-102');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('inbox-export-done').click()]);
    expect(download.suggestedFilename()).toMatch(/^done-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const chunks: Buffer[] = [];
    for await (const chunk of await download.createReadStream()) chunks.push(chunk as Buffer);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.concat(chunks) as any);
    const rows: unknown[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(['流程', '任务', '流程状态', '到达时间', '办理时间', '发起人', '处理人', '业务编号', '摘要']);
    expect(rows.slice(1).map((row) => [row[0], row[1], row[2], row[5], row[7]])).toEqual([['报销审核', '核对票据', '已完成', '卡罗尔', 'BX-102']]);
  });
});
