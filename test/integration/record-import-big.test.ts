/**
 * A 100,000-row .xlsx imported skipping its 1,000 bad rows, only with LIUZHUAN_BIG_IMPORT=1
 * (minutes on the shared machine). Prints the upload scan time, the run time and rows/s, and
 * the peak RSS of the process (server and test share it) sampled during the run against the
 * RSS before: the file is streamed, so the peak stays far below what 100,000 rows would take
 * held whole. Figures are printed, never asserted (speed belongs in bench/).
 */
import { openAsBlob } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const ROWS = 100_000;
const BAD_EVERY = 100;
const big = process.env.LIUZHUAN_BIG_IMPORT === '1';
const t = useTestServer();
let admin: string;
const file = path.join(os.tmpdir(), `big-import-${process.pid}.xlsx`);

async function writeSheet(): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = workbook.addWorksheet('客户');
  sheet.addRow(['客户名称', '等级', '金额', '签约日期', '负责人']).commit();
  for (let i = 1; i <= ROWS; i++) {
    const bad = i % BAD_EVERY === 0;
    sheet.addRow([`客户${i}`, ['重点', '普通', '小'][i % 3], bad ? 'n/a' : i * 1.5, new Date(Date.UTC(2025, i % 12, 1 + (i % 28))), 'admin']).commit();
  }
  sheet.commit();
  await workbook.commit();
}

beforeAll(async () => {
  if (!big) return;
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const label = (zh: string, en: string) => ({ 'ui:title': { 'zh-CN': zh, en } });
  const created = await t.request('POST', '/api/forms', {
    token: admin,
    body: {
      key: 'big_customer',
      title: '客户',
      schema: {
        type: 'object',
        required: ['name', 'amount'],
        properties: {
          name: { type: 'string', minLength: 1 },
          tier: { type: 'string', enum: ['A', 'B', 'C'] },
          amount: { type: 'number', minimum: 0 },
          signed_on: { type: 'string', format: 'date' },
          owner: { type: 'string', 'x-widget': 'user-picker' },
          code: { type: 'string', 'x-serial': { prefix: 'K', digits: 6 } },
        },
      },
      uiSchema: {
        name: label('客户名称', 'Name'),
        tier: { ...label('等级', 'Tier'), 'ui:enumNames': { 'zh-CN': ['重点', '普通', '小'], en: ['Key', 'Normal', 'Small'] } },
        amount: label('金额', 'Amount'),
        signed_on: label('签约日期', 'Signed on'),
        owner: label('负责人', 'Owner'),
      },
    },
  });
  expect(created.status).toBe(201);
  await writeSheet();
}, 600_000);

describe.skipIf(!big)('a 100,000-row .xlsx', () => {
  it('is imported streamed, the bad rows listed in the report', async () => {
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
    try {
      const body = new FormData();
      body.append('file', await openAsBlob(file), 'big.xlsx');
      const uploadStart = Date.now();
      const response = await fetch(`${t.url}/api/forms/big_customer/imports`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body });
      const job = (await response.json()) as any;
      expect(response.status, JSON.stringify(job)).toBe(201);
      const uploadMs = Date.now() - uploadStart;
      expect(job.totalRows).toBe(ROWS);
      const runStart = Date.now();
      const started = await t.request('POST', `/api/forms/big_customer/imports/${job.id}/start`, { token: admin, body: { mapping: job.mapping, mode: 'skip_bad_rows' } });
      expect(started.status).toBe(202);
      const done = await eventually(async () => {
        const current = (await t.request('GET', `/api/forms/big_customer/imports/${job.id}`, { token: admin })).body;
        return ['done', 'failed', 'cancelled'].includes(current.status) ? current : null;
      }, { message: 'the big import to end', timeoutMs: 1_800_000, intervalMs: 1000 });
      const runMs = Date.now() - runStart;
      expect(done).toMatchObject({ status: 'done', rowsDone: ROWS, imported: ROWS - ROWS / BAD_EVERY, refused: ROWS / BAD_EVERY });
      const { rows } = await t.server.ctx.db.raw(`select count(*)::int as n, count(distinct data->>'code')::int as codes from records where form_key = 'big_customer'`);
      expect(rows[0]).toEqual({ n: ROWS - ROWS / BAD_EVERY, codes: ROWS - ROWS / BAD_EVERY });

      const report = await fetch(`${t.url}/api/forms/big_customer/imports/${job.id}/report`, { headers: { authorization: `Bearer ${admin}` } });
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await report.arrayBuffer()) as any);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.rowCount).toBe(1 + ROWS / BAD_EVERY);
      expect(sheet.getRow(2).getCell(1).value).toBe(BAD_EVERY + 1);
      expect(String(sheet.getRow(2).getCell(2).value)).toContain('金额');

      const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
      console.log(
        `big import: ${ROWS} rows (${ROWS / BAD_EVERY} bad): upload+scan ${(uploadMs / 1000).toFixed(1)} s, run ${(runMs / 1000).toFixed(1)} s ` +
          `(${Math.round((ROWS / runMs) * 1000)} rows/s); RSS before ${mb(baseline)} MB, peak during ${mb(peak)} MB (+${mb(peak - baseline)} MB), process max ${mb(process.resourceUsage().maxRSS * 1024)} MB`,
      );
    } finally {
      clearInterval(sampler);
      await rm(file, { force: true });
    }
  }, 1_800_000);
});
