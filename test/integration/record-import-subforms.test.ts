/**
 * Sub-forms (子表单) in .xlsx import and export over real HTTP (engine/imports/subformSheets.ts,
 * exportXlsx.ts): one extra sheet per sub-form joined to the main sheet by a key column; a
 * record is checked whole, so a bad sub-form line refuses its record (named by sheet and line)
 * and a line whose key matches no row is refused on its own; the export writes the sheets and
 * reads back through the import into an empty form with the same schema (round trip).
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;

const schema = {
  type: 'object',
  required: ['order_no'],
  additionalProperties: false,
  properties: {
    order_no: { type: 'string', minLength: 1 },
    customer: { type: 'string' },
    ordered_on: { type: 'string', format: 'date' },
    items: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        required: ['product', 'qty'],
        additionalProperties: false,
        properties: {
          product: { type: 'string', minLength: 1 },
          qty: { type: 'number', exclusiveMinimum: 0 },
          unit: { type: 'string', enum: ['box', 'kg'] },
        },
      },
    },
    payments: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { due_on: { type: 'string', format: 'date' }, amount: { type: 'number' } } },
    },
  },
};
const label = (zh: string, en: string) => ({ 'ui:title': { 'zh-CN': zh, en } });
const uiSchema = {
  'ui:order': ['order_no', 'customer', 'ordered_on', 'items', 'payments'],
  order_no: label('订单号', 'Order no'),
  customer: label('客户', 'Customer'),
  ordered_on: label('下单日期', 'Ordered on'),
  items: {
    ...label('明细', 'Items'),
    items: {
      'ui:order': ['product', 'qty', 'unit'],
      product: label('产品', 'Product'),
      qty: label('数量', 'Quantity'),
      unit: { ...label('单位', 'Unit'), 'ui:enumNames': { 'zh-CN': ['箱', '千克'], en: ['Box', 'Kg'] } },
    },
  },
  payments: { ...label('付款计划', 'Payments'), items: { due_on: label('应付日期', 'Due on'), amount: label('金额', 'Amount') } },
};

/**
 * Main sheet 订单 keyed by 订单号; sheet 明细 (items) joined by the same header. 明细 line 4
 * (O2's second item) has a bad quantity, line 6's key O9 names no order; sheet 付款计划 is
 * left for O1 only.
 */
async function orderBook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const main = workbook.addWorksheet('订单');
  main.addRow(['订单号', '客户', '下单日期']);
  main.addRow(['O1', '华东', '2026-03-01']);
  main.addRow(['O2', '华南', '2026-03-02']);
  main.addRow(['O3', '华北', '2026-03-03']);
  const items = workbook.addWorksheet('明细');
  items.addRow(['订单号', '产品', '数量', '单位']);
  items.addRow(['O1', '螺丝', 10, '箱']);
  items.addRow(['O2', '螺母', 5, 'kg']);
  items.addRow(['O2', '垫片', 'abc', '箱']);
  items.addRow(['O1', '扳手', '2', 'Box']);
  items.addRow(['O9', '孤儿', 1, '箱']);
  const payments = workbook.addWorksheet('付款计划');
  payments.addRow(['订单号', '应付日期', '金额']);
  payments.addRow(['O1', '2026-04-01', 1000]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function upload(file: Buffer | string, name: string, form: string) {
  const body = new FormData();
  body.append('file', new Blob([typeof file === 'string' ? file : new Uint8Array(file)]), name);
  const response = await fetch(`${t.url}/api/forms/${form}/imports`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body });
  return { status: response.status, body: (await response.json()) as any };
}

async function runToEnd(form: string, id: string, body: Record<string, unknown>) {
  const started = await t.request('POST', `/api/forms/${form}/imports/${id}/start`, { token: admin, body });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  let job: any;
  await eventually(async () => {
    job = (await t.request('GET', `/api/forms/${form}/imports/${id}`, { token: admin })).body;
    expect(['done', 'failed', 'cancelled']).toContain(job.status);
    return true;
  }, { message: `import ${id} to end`, timeoutMs: 60_000, intervalMs: 100 });
  return job;
}

async function records(form: string): Promise<Record<string, any>[]> {
  const list = await t.request('GET', `/api/forms/${form}/records?pageSize=100&sort=order_no`, { token: admin });
  expect(list.status, JSON.stringify(list.body)).toBe(200);
  return list.body.items.map((r: { data: Record<string, unknown> }) => r.data);
}

async function workbookOf(response: Response): Promise<ExcelJS.Workbook> {
  expect(response.status).toBe(200);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as any);
  return workbook;
}

function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const key of ['sub_order', 'sub_order_copy', 'sub_order_export']) {
    expect((await t.request('POST', '/api/forms', { token: admin, body: { key, title: '订单', schema, uiSchema } })).status).toBe(201);
  }
});

describe('importing sub-form sheets', () => {
  let uploaded: any;

  it('joins each sheet to its sub-form by label and the key column both sheets share, and previews whole records', async () => {
    const { status, body } = await upload(await orderBook(), 'orders.xlsx', 'sub_order');
    expect(status, JSON.stringify(body)).toBe(201);
    uploaded = body;
    expect(body.mapping).toEqual(['order_no', 'customer', 'ordered_on']);
    expect(body.keyColumn).toBe(0);
    expect(body.sheets).toEqual([
      { name: '明细', headers: ['订单号', '产品', '数量', '单位'], totalRows: 5, subform: 'items', keyColumn: 0, mapping: [null, 'product', 'qty', 'unit'] },
      { name: '付款计划', headers: ['订单号', '应付日期', '金额'], totalRows: 1, subform: 'payments', keyColumn: 0, mapping: [null, 'due_on', 'amount'] },
    ]);
    expect(body.subforms.map((s: { name: string }) => s.name)).toEqual(['items', 'payments']);
    expect(body.notice).toBeNull();
    const [o1, o2] = body.preview;
    expect(o1).toMatchObject({
      rowNumber: 2,
      subRows: 3,
      errors: [],
      data: { order_no: 'O1', items: [{ product: '螺丝', qty: 10, unit: 'box' }, { product: '扳手', qty: 2, unit: 'box' }], payments: [{ due_on: '2026-04-01', amount: 1000 }] },
    });
    expect(o2.errors).toEqual([expect.objectContaining({ field: 'items', sheet: '明细', row: 4, column: 2, message: '「abc」不是数字' })]);
  });

  it('refuses a join naming no sub-form or no key column (422 naming the sheet entry), nothing started', async () => {
    const bad = await t.request('POST', `/api/forms/sub_order/imports/${uploaded.id}/start`, {
      token: admin,
      body: { mapping: uploaded.mapping, mode: 'skip_bad_rows', keyColumn: 0, sheets: [{ subform: 'nope', keyColumn: 0, mapping: [null, null, null, null] }, { subform: 'payments', keyColumn: 9, mapping: [null, 'due_on', 'amount'] }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { pointer: string }) => d.pointer)).toEqual(['/sheets/0/subform', '/sheets/1/keyColumn']);
    expect((await t.request('GET', `/api/forms/sub_order/imports/${uploaded.id}`, { token: admin })).body.status).toBe('uploaded');
  });

  it('skip-bad-rows: a bad sub-form line skips its whole record; a line whose key names no row is refused; the report names sheet and line', async () => {
    const done = await runToEnd('sub_order', uploaded.id, { mapping: uploaded.mapping, mode: 'skip_bad_rows' });
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'done', rowsDone: 3, imported: 2, refused: 2 });
    const saved = await records('sub_order');
    expect(saved.map((r) => r.order_no)).toEqual(['O1', 'O3']);
    expect(saved[0]!.items).toEqual([{ product: '螺丝', qty: 10, unit: 'box' }, { product: '扳手', qty: 2, unit: 'box' }]);
    expect(saved[0]!.payments).toEqual([{ due_on: '2026-04-01', amount: 1000 }]);
    expect(saved[1]!.items).toBeUndefined();

    const report = rowsOf((await workbookOf(await fetch(`${t.url}/api/forms/sub_order/imports/${uploaded.id}/report`, { headers: { authorization: `Bearer ${admin}` } }))).worksheets[0]!);
    expect(report).toHaveLength(3);
    expect(report[1]!.slice(0, 3)).toEqual([3, '明细 第 4 行 · 数量: 「abc」不是数字', 'O2']);
    expect(report[2]!.slice(0, 3)).toEqual(['明细 第 6 行', '明细 第 6 行 · 订单号: 关联值「O9」在主表中不存在', 'O9']);
  });

  it('all-or-nothing: the same file imports nothing', async () => {
    const { body } = await upload(await orderBook(), 'orders.xlsx', 'sub_order_copy');
    const done = await runToEnd('sub_order_copy', body.id, { mapping: body.mapping, mode: 'all_or_nothing' });
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'failed', imported: 0, refused: 2 });
    expect(await records('sub_order_copy')).toEqual([]);
  });

  it('refuses at upload (422 naming the sheet and the limit) sub-form sheets over 50,000 lines, held in memory to join', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('订单').addRows([['订单号'], ['O1']]);
    const items = workbook.addWorksheet('明细');
    items.addRow(['订单号', '产品', '数量']);
    for (let i = 0; i <= 50_000; i++) items.addRow(['O1', 'p', 1]);
    const { status, body } = await upload(Buffer.from(await workbook.xlsx.writeBuffer()), 'big.xlsx', 'sub_order_copy');
    expect(status).toBe(422);
    expect(body.error.details[0]).toMatchObject({ pointer: '/file', message: expect.stringContaining('工作表「明细」') });
    expect(body.error.message).toContain('50000 行');
  });

  it('a CSV brings no sub-form rows, and the answer says so', async () => {
    const { status, body } = await upload('订单号,客户\nO7,西南\n', 'orders.csv', 'sub_order_copy');
    expect(status).toBe(201);
    expect(body.sheets).toEqual([]);
    expect(body.notice).toContain('CSV');
    await t.request('POST', `/api/forms/sub_order_copy/imports/${body.id}/cancel`, { token: admin, body: {} });
  });
});

describe('exporting sub-forms as sheets', () => {
  const data = [
    { order_no: 'E1', customer: '甲', ordered_on: '2026-05-01', items: [{ product: '螺丝', qty: 3, unit: 'kg' }, { product: '钉子', qty: 1.5 }], payments: [{ due_on: '2026-06-01', amount: 20 }] },
    { order_no: 'E2', customer: '乙', items: [] },
    { order_no: 'E3', items: [{ product: '胶水', qty: 7, unit: 'box' }] },
  ];

  beforeAll(async () => {
    for (const record of data) {
      const created = await t.request('POST', '/api/forms/sub_order_export/records', { token: admin, body: { data: record } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
  });

  it('writes one sheet per sub-form: the record id, then its fields by label, options as labels', async () => {
    const workbook = await workbookOf(await fetch(`${t.url}/api/forms/sub_order_export/records/export.xlsx?sort=order_no`, { headers: { authorization: `Bearer ${admin}` } }));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['订单', '明细', '付款计划']);
    const main = rowsOf(workbook.worksheets[0]!);
    expect(main[0]).toEqual(['id', '创建时间', '订单号', '客户', '下单日期']);
    const ids = main.slice(1).map((row) => row[0]);
    expect(main.slice(1).map((row) => row[2])).toEqual(['E1', 'E2', 'E3']);
    const items = rowsOf(workbook.worksheets[1]!);
    expect(items).toEqual([
      ['id', '产品', '数量', '单位'],
      [ids[0], '螺丝', 3, '千克'],
      [ids[0], '钉子', 1.5],
      [ids[2], '胶水', 7, '箱'],
    ]);
    // No `ui:order` in the payments' uiSchema: the stored schema's key order (jsonb's) decides.
    expect(rowsOf(workbook.worksheets[2]!)).toEqual([['id', '金额', '应付日期'], [ids[0], 20, new Date('2026-06-01T00:00:00Z')]]);
  });

  it('CSV: a sub-form is one readable cell, a line per row (labels, options by label)', async () => {
    const response = await fetch(`${t.url}/api/forms/sub_order_export/records/export?sort=order_no`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    const csv = await response.text();
    expect(csv).toContain(',"产品: 螺丝, 数量: 3, 单位: 千克\n产品: 钉子, 数量: 1.5",');
    expect(csv).toContain('金额: 20, 应付日期: 2026-06-01');
    expect(csv).toContain(',"产品: 胶水, 数量: 7, 单位: 箱",');
    expect(csv).not.toContain('[{');
  });

  it('round trip: the export imports into an empty form with the same schema as the same records', async () => {
    const response = await fetch(`${t.url}/api/forms/sub_order_export/records/export.xlsx`, { headers: { authorization: `Bearer ${admin}` } });
    expect(response.status).toBe(200);
    const file = Buffer.from(await response.arrayBuffer());
    const empty = 'sub_order_copy';
    expect(await records(empty)).toEqual([]);
    const { status, body } = await upload(file, 'export.xlsx', empty);
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.keyColumn).toBe(0);
    expect(body.sheets.map((s: { subform: string }) => s.subform)).toEqual(['items', 'payments']);
    const done = await runToEnd(empty, body.id, { mapping: body.mapping, mode: 'all_or_nothing' });
    expect(done, JSON.stringify(done)).toMatchObject({ status: 'done', imported: 3, refused: 0 });
    // An empty sub-form exports no line, so it comes back absent rather than [].
    const expected = data.map(({ items, ...rest }) => (items.length ? { ...rest, items } : rest));
    expect(await records(empty)).toEqual(expected);
  });
});
