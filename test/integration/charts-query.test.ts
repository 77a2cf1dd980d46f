/**
 * Chart queries over HTTP against six hand-counted records: every aggregation, every time
 * bucket (in Asia/Shanghai: two records sit on the other side of a month or quarter in UTC),
 * typed filters, sub-form rows, each customer's latest record, and bad queries answered 422
 * naming the part. The expected numbers are worked out by hand in the comments, not by SQL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin = '';
let staff = '';
const query = (body: unknown, token = admin) => t.request('POST', '/api/charts/query', { token, body });

const schema = {
  type: 'object',
  properties: {
    customer: { type: 'string' },
    category: { type: 'string', enum: ['a', 'b', 'c'] },
    score: { type: 'number' },
    opened_at: { type: 'string', format: 'date-time' },
    answered_at: { type: 'string', format: 'date-time' },
    tags: { type: 'array', items: { type: 'string', enum: ['x', 'y'] }, uniqueItems: true },
    items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'number' } } } },
    phone: { type: 'string', 'x-personal': 'phone' },
  },
};
const uiSchema = { category: { 'ui:enumNames': { 'zh-CN': ['账单', '质量', '其他'], en: ['Billing', 'Quality', 'Other'] } } };

// Local (+08:00) times. R6 is 31 Dec in UTC, R4 is 31 March in UTC: month and quarter buckets
// differ from UTC's exactly there.
const records = [
  { customer: 'X', category: 'a', score: 10, opened_at: '2026-01-05T01:00:00+08:00', answered_at: '2026-01-05T03:00:00+08:00', tags: ['x'], items: [{ sku: 'p', qty: 2 }, { sku: 'q', qty: 3 }] }, // R1 2 h
  { customer: 'X', category: 'a', score: 20, opened_at: '2026-01-06T23:30:00+08:00', answered_at: '2026-01-07T03:30:00+08:00', tags: ['x', 'y'], items: [{ sku: 'p', qty: 5 }] }, // R2 4 h
  { customer: 'Y', category: 'b', score: 30, opened_at: '2026-01-04T23:30:00+08:00', answered_at: '2026-01-05T09:30:00+08:00', tags: ['y'] }, // R3 10 h
  { customer: 'Z', category: 'b', score: 40, opened_at: '2026-04-01T00:30:00+08:00', answered_at: '2026-04-01T01:30:00+08:00' }, // R4 1 h
  { customer: 'Y', category: 'c', score: 50, opened_at: '2026-02-15T12:00:00+08:00' }, // R5 not answered
  { customer: 'X', category: 'a', opened_at: '2026-01-01T07:00:00+08:00', answered_at: '2026-01-01T15:00:00+08:00', phone: '13800001111' }, // R6 8 h, no score
];

const source = { kind: 'records', formKey: 'ticket' };
/** Rows as `{d0: m0}` for one dimension and one measure. */
const pairs = (rows: Record<string, unknown>[]) => Object.fromEntries(rows.map((row) => [row.d0, row.m0]));

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'ticket', title: '工单', schema, uiSchema } })).status).toBe(201);
  for (const data of records) expect((await t.request('POST', '/api/forms/ticket/records', { token: admin, body: { data } })).status).toBe(201);
  expect((await t.request('POST', '/api/users', { token: admin, body: { username: 'viewer', displayName: 'V', password: 'viewer-password-1', role: 'staff' } })).status).toBe(201);
  staff = await t.login('viewer', 'viewer-password-1');
});

describe('aggregations', () => {
  it('count, distinct, sum, avg, min, max per category', async () => {
    const { status, body } = await query({
      source,
      dimensions: [{ field: 'category' }],
      measures: [
        { agg: 'count' }, { agg: 'distinct', field: 'customer' }, { agg: 'sum', field: 'score' },
        { agg: 'avg', field: 'score' }, { agg: 'min', field: 'score' }, { agg: 'max', field: 'score' },
      ],
      sort: [{ by: 'dimension', index: 0 }],
    });
    expect(status).toBe(200);
    // a: R1 R2 R6 (customer X only; R6 has no score); b: R3 R4 (Y, Z); c: R5 (Y).
    expect(body.rows).toEqual([
      { d0: 'a', m0: 3, m1: 1, m2: 30, m3: 15, m4: 10, m5: 20 },
      { d0: 'b', m0: 2, m1: 2, m2: 70, m3: 35, m4: 30, m5: 40 },
      { d0: 'c', m0: 1, m1: 1, m2: 50, m3: 50, m4: 50, m5: 50 },
    ]);
    expect(body.truncated).toBe(false);
    expect(body.columns[0]).toMatchObject({ key: 'd0', label: 'category', type: 'text' });
    expect(body.columns[0].options).toContainEqual({ value: 'a', label: { 'zh-CN': '账单', en: 'Billing' } });
  });

  it('median and p90 of a field and of a duration between two dates', async () => {
    const { body } = await query({
      source,
      measures: [
        { agg: 'median', field: 'score' }, { agg: 'p90', field: 'score' },
        { agg: 'median', duration: { from: 'opened_at', to: 'answered_at', unit: 'hour' } },
        { agg: 'p90', duration: { from: 'opened_at', to: 'answered_at', unit: 'hour' } },
        { agg: 'avg', duration: { from: 'opened_at', to: 'answered_at', unit: 'minute' } },
        { agg: 'distinct', field: 'customer' },
      ],
    });
    // Scores 10 20 30 40 50: median 30; p90 at position 0.9×4 = 3.6 → 40 + 0.6×10 = 46.
    // Hours 1 2 4 8 10 (R5 unanswered): median 4; p90 at 3.6 → 8 + 0.6×2 = 9.2; mean 5 h = 300 min.
    const [row] = body.rows;
    expect(row.m0).toBe(30);
    expect(row.m1).toBeCloseTo(46, 9);
    expect(row.m2).toBe(4);
    expect(row.m3).toBeCloseTo(9.2, 9);
    expect(row.m4).toBe(300);
    expect(row.m5).toBe(3);
  });

  it('ratio: the share of rows meeting a condition, in percent', async () => {
    const { body } = await query({ source, measures: [{ agg: 'ratio', where: [{ field: 'score', op: 'gte', value: 30 }] }] });
    // R3 R4 R5 of six.
    expect(body.rows).toEqual([{ m0: 50 }]);
  });
});

describe('time buckets in Asia/Shanghai', () => {
  const bucketed = async (bucket: string) =>
    pairs((await query({ source, dimensions: [{ field: 'opened_at', bucket }], measures: [{ agg: 'count' }] })).body.rows);

  it('day', async () => {
    expect(await bucketed('day')).toEqual({ '2026-01-01': 1, '2026-01-04': 1, '2026-01-05': 1, '2026-01-06': 1, '2026-02-15': 1, '2026-04-01': 1 });
  });
  it('week (from Monday)', async () => {
    // 1 Jan 2026 is a Thursday: R6 (Thu 1 Jan) and R3 (Sun 4 Jan) fall in the week of Mon 29 Dec;
    // R1 and R2 in the week of 5 Jan; R5 (Sun 15 Feb) in that of 9 Feb; R4 (Wed 1 Apr) in that of 30 Mar.
    expect(await bucketed('week')).toEqual({ '2025-12-29': 2, '2026-01-05': 2, '2026-02-09': 1, '2026-03-30': 1 });
  });
  it('month', async () => {
    expect(await bucketed('month')).toEqual({ '2026-01-01': 4, '2026-02-01': 1, '2026-04-01': 1 });
  });
  it('quarter', async () => {
    expect(await bucketed('quarter')).toEqual({ '2026-01-01': 5, '2026-04-01': 1 });
  });
  it('a bucket filter selects one bar (drill-down)', async () => {
    const { body } = await t.request('POST', '/api/charts/rows', {
      token: admin, body: { source, filters: [{ field: 'opened_at', op: 'eq', bucket: 'month', value: '2026-01-01' }] },
    });
    expect(body.total).toBe(4);
    expect(body.items.map((item: { data: { score?: number } }) => item.data.score ?? null).sort()).toEqual([10, 20, 30, null]);
    // Personal values never leave in the clear.
    const r6 = body.items.find((item: { data: { score?: number } }) => item.data.score === undefined);
    expect(r6.data.phone).not.toBe('13800001111');
  });
});

describe('filters', () => {
  const count = async (filters: unknown[]) => (await query({ source, filters })).body.rows[0].m0;
  it('typed by the field', async () => {
    expect(await count([{ field: 'category', op: 'eq', value: '账单' }])).toBe(3);
    expect(await count([{ field: 'category', op: 'in', value: ['Quality', 'c'] }])).toBe(3);
    expect(await count([{ field: 'score', op: 'gte', value: 30 }])).toBe(3);
    expect(await count([{ field: 'score', op: 'empty' }])).toBe(1);
    // A date-only upper bound includes its day: R6 (1 Jan), R3 (4 Jan), R1 (5 Jan 01:00).
    expect(await count([{ field: 'opened_at', op: 'between', value: ['2026-01-01', '2026-01-05'] }])).toBe(3);
    expect(await count([{ field: 'opened_at', op: 'lte', value: '2026-01-04' }])).toBe(2);
    expect(await count([{ field: 'tags', op: 'eq', value: 'y' }])).toBe(2);
    expect(await count([{ field: 'customer', op: 'contains', value: 'x' }])).toBe(3);
    expect(await count([{ field: 'customer', op: 'ne', value: 'X' }])).toBe(3);
    expect(await count([{ field: 'opened_at', op: 'gt', value: 'today' }])).toBe(0);
  });

  it('a stored date-shaped text that does not parse is left out instead of failing the chart', async () => {
    // Written before the field became a date (straight into the table: today's writes are validated).
    const legacy = { kind: 'records', formKey: 'legacy' };
    const legacySchema = { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, done: { type: 'string', format: 'date-time' } } };
    expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'legacy', title: '旧表', schema: legacySchema } })).status).toBe(201);
    await t.server.ctx.db('records').insert([
      { form_key: 'legacy', form_version: 1, data: { at: '2026-03-01T08:00:00+08:00', done: '2026-03-01T10:00:00+08:00' } }, // 2 h
      { form_key: 'legacy', form_version: 1, data: { at: '2026-03-20T08:00:00+08:00', done: '2026-03-20T12:00:00+08:00' } }, // 4 h
      { form_key: 'legacy', form_version: 1, data: { at: '2026-13-45T08:00:00+08:00', done: '2026-03-02T08:00:00+08:00' } }, // month 13
      { form_key: 'legacy', form_version: 1, data: { at: '上周三', done: 'soon' } },
    ]);
    const answer = await query({
      source: legacy,
      measures: [{ agg: 'count' }, { agg: 'avg', duration: { from: 'at', to: 'done', unit: 'hour' } }],
      filters: [{ field: 'at', op: 'between', value: ['2026-02-01', '2026-03-31'] }],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.rows).toEqual([{ m0: 2, m1: 3 }]);
    const month = await query({ source: legacy, dimensions: [{ field: 'at', bucket: 'month' }], measures: [{ agg: 'count' }] });
    expect(pairs(month.body.rows)).toEqual({ '2026-03-01': 2, null: 2 });
    const rows = await t.request('POST', '/api/charts/rows', { token: admin, body: { source: legacy, filters: [{ field: 'at', op: 'between', value: ['2026-02-01', '2026-03-31'] }] } });
    expect(rows.status).toBe(200);
    expect(rows.body.total).toBe(2);
  });
});

describe('sources', () => {
  it('sub-form rows, with the record\'s fields as _parent.*', async () => {
    const { body } = await query({
      source: { ...source, subForm: 'items' },
      dimensions: [{ field: 'sku' }],
      measures: [{ agg: 'sum', field: 'qty' }, { agg: 'count' }],
      filters: [{ field: '_parent.category', op: 'eq', value: 'a' }],
    });
    // R1: p 2, q 3; R2: p 5.
    expect(body.rows).toEqual([{ d0: 'p', m0: 7, m1: 2 }, { d0: 'q', m0: 3, m1: 1 }]);
  });

  it('each customer\'s latest record', async () => {
    const { body } = await query({
      source: { ...source, latestPer: { field: 'customer', by: 'opened_at' } },
      measures: [{ agg: 'count' }, { agg: 'sum', field: 'score' }],
    });
    // X → R2 (6 Jan) 20, Y → R5 (15 Feb) 50, Z → R4 40.
    expect(body.rows).toEqual([{ m0: 3, m1: 110 }]);
  });

  it('limit and truncated', async () => {
    const { body } = await query({ source, dimensions: [{ field: 'customer' }], limit: 2 });
    expect(body.rows).toHaveLength(2);
    expect(body.truncated).toBe(true);
    // X has 3 records, Y 2: biggest first.
    expect(body.rows).toEqual([{ d0: 'X', m0: 3 }, { d0: 'Y', m0: 2 }]);
  });

  it('staff see what the record list shows them (the implicit default: every plain record)', async () => {
    expect((await query({ source }, staff)).body.rows).toEqual([{ m0: 6 }]);
  });
});

describe('bad queries answer 422 naming the part, and change nothing', () => {
  const refused = async (body: unknown, pointer: string) => {
    const answer = await query(body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(422);
    expect(answer.body.error.details.map((d: { pointer: string }) => d.pointer)).toContain(pointer);
    return answer.body.error;
  };

  it('unknown field', async () => {
    await refused({ source, dimensions: [{ field: 'colour' }] }, '/dimensions/0/field');
  });
  it('an aggregation that does not fit the type', async () => {
    const error = await refused({ source, measures: [{ agg: 'count' }, { agg: 'sum', field: 'customer' }] }, '/measures/1/field');
    expect(error.message).toMatch(/number/);
    await refused({ source, measures: [{ agg: 'avg', field: 'opened_at' }] }, '/measures/0/field');
    await refused({ source, dimensions: [{ field: 'score', bucket: 'month' }] }, '/dimensions/0/bucket');
  });
  it('injection attempts in field names never reach SQL', async () => {
    await refused({ source, filters: [{ field: "x'); drop table records; --", op: 'eq', value: 1 }] }, '/filters/0/field');
    await refused({ source, dimensions: [{ field: 'category" ; delete from records' }] }, '/dimensions/0/field');
    await refused({ source: { ...source, subForm: "items') --" } }, '/source/subForm');
    expect((await query({ source })).body.rows).toEqual([{ m0: 6 }]);
  });
  it('personal fields', async () => {
    await refused({ source, dimensions: [{ field: 'phone' }] }, '/dimensions/0/field');
    await refused({ source, measures: [{ agg: 'distinct', field: 'phone' }] }, '/measures/0/field');
  });
  it('shape and bounds', async () => {
    await refused({ source, limit: 5000 }, '/limit');
    await refused({ source, measures: [{ agg: 'mode', field: 'score' }] }, '/measures/0/agg');
    await refused({ source, filters: [{ field: 'score', op: 'gt', value: 'ten' }] }, '/filters/0/value');
    await refused({ source, sort: [{ by: 'measure', index: 3 }] }, '/sort/0/index');
    expect((await query({ source: { kind: 'records', formKey: 'nope' } })).status).toBe(404);
  });
});
