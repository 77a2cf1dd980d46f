/**
 * The .xlsx export (`GET /api/forms/:key/records/export.xlsx`, engine/imports/exportXlsx.ts),
 * read back with exceljs: headers are the labels in the caller's language, values match the
 * records (options as labels, dates as dates), the list's filters and sort apply, a field the
 * caller may not see is no column, personal fields are masked.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
let staff: string;

const schema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    tier: { type: 'string', enum: ['A', 'B'] },
    amount: { type: 'number' },
    signed_on: { type: 'string', format: 'date' },
    phone: { type: 'string', 'x-personal': 'phone' },
    secret: { type: 'string' },
  },
};
const label = (zh: string, en: string) => ({ 'ui:title': { 'zh-CN': zh, en } });
const uiSchema = {
  'ui:order': ['name', 'tier', 'amount', 'signed_on', 'phone', 'secret'],
  name: label('客户名称', 'Customer name'),
  tier: { ...label('等级', 'Tier'), 'ui:enumNames': { 'zh-CN': ['重点', '普通'], en: ['Key', 'Normal'] } },
  amount: label('金额', 'Amount'),
  signed_on: label('签约日期', 'Signed on'),
  phone: label('电话', 'Phone'),
  secret: label('内部备注', 'Internal note'),
};
const records = [
  { name: 'Alpha', tier: 'A', amount: 1200.5, signed_on: '2026-03-01', phone: '13800001111', secret: 'vip' },
  { name: 'Beta', tier: 'B', amount: 300, signed_on: '2026-03-02', phone: '13900002222', secret: 'none' },
  { name: 'Gamma', tier: 'A', amount: 50 },
];

async function exportRows(token: string, query = ''): Promise<{ status: number; rows: unknown[][] }> {
  const response = await fetch(`${t.url}/api/forms/exp_customer/records/export.xlsx${query}`, { headers: { authorization: `Bearer ${token}` } });
  if (response.status !== 200) return { status: response.status, rows: [] };
  expect(response.headers.get('content-type')).toContain('spreadsheetml');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as any);
  const rows: unknown[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return { status: 200, rows };
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const user = await t.request('POST', '/api/users', { token: admin, body: { username: 'exp_staff', displayName: 'Exp', password: 'staff-password', locale: 'en' } });
  expect(user.status).toBe(201);
  staff = await t.login('exp_staff', 'staff-password');
  expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'exp_customer', title: '客户', schema, uiSchema } })).status).toBe(201);
  for (const data of records) expect((await t.request('POST', '/api/forms/exp_customer/records', { token: admin, body: { data } })).status).toBe(201);
  const group = await t.request('POST', '/api/forms/exp_customer/permission-groups', {
    token: admin,
    body: { name: '销售', members: { users: [user.body.id] }, actions: ['view', 'export'], fields: { visible: ['name', 'tier', 'amount', 'phone'], editable: [] } },
  });
  expect(group.status, JSON.stringify(group.body)).toBe(201);
});

describe('exporting records as .xlsx', () => {
  it('has the labels as headers and the values of the records, filtered and sorted like the list', async () => {
    const { status, rows } = await exportRows(admin, '?sort=-amount');
    expect(status).toBe(200);
    expect(rows[0]).toEqual(['id', '创建时间', '客户名称', '等级', '金额', '签约日期', '电话', '内部备注']);
    expect(rows.slice(1).map((row) => row.slice(2))).toEqual([
      ['Alpha', '重点', 1200.5, new Date('2026-03-01T00:00:00Z'), '138****1111', 'vip'],
      ['Beta', '普通', 300, new Date('2026-03-02T00:00:00Z'), '139****2222', 'none'],
      ['Gamma', '重点', 50],
    ]);
    const filtered = await exportRows(admin, `?${new URLSearchParams({ 'filter[tier]': 'A', sort: 'amount' })}`);
    expect(filtered.rows.slice(1).map((row) => row[2])).toEqual(['Gamma', 'Alpha']);
  });

  it('leaves out fields the caller may not see, masks personal ones, and speaks their language', async () => {
    const { rows } = await exportRows(staff, '?sort=name');
    expect(rows[0]).toEqual(['id', 'Created at', 'Customer name', 'Tier', 'Amount', 'Phone']);
    expect(rows.slice(1).map((row) => row.slice(2))).toEqual([
      ['Alpha', 'Key', 1200.5, '138****1111'],
      ['Beta', 'Normal', 300, '139****2222'],
      ['Gamma', 'Key', 50],
    ]);
    expect(JSON.stringify(rows)).not.toContain('vip');
  });

  it('refuses a filter on a hidden field (403) and a caller without export', async () => {
    expect((await exportRows(staff, '?filter[secret]=vip')).status).toBe(403);
    await t.request('POST', '/api/users', { token: admin, body: { username: 'exp_other', displayName: 'Other', password: 'staff-password' } });
    expect((await exportRows(await t.login('exp_other', 'staff-password'))).status).toBe(403);
  });

  it('writes an audit row per export', async () => {
    const { rows } = await t.server.ctx.db.raw(`select count(*)::int as n from audit_log where action = 'record.export' and form_key = 'exp_customer' and details->>'format' = 'xlsx'`);
    expect(rows[0].n).toBeGreaterThanOrEqual(3);
  });
});
