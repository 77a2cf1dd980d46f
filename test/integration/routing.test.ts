/**
 * Auto-routing (自动分派) end to end: the key-account complaint rules, tickets in department
 * queues, `ticket.routed` / `ticket.updated` reaching only the department's sockets, and
 * claiming with exactly one winner.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';
import { awaitSentinel, useSockets } from '../helpers/sockets.ts';
import { installTemplateRouting } from '../../templates/loader.ts';

// Templates on: the complaint form and the demo organisation (sales / service / finance).
const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const DEMO_PASSWORD = process.env.DEMO_PASSWORD || 'demo123';
const clients = useSockets(() => t.url);
const connect = async (token: string) => (await clients.connect({ token })).received;
let admin: string;
const departments: Record<string, string> = {};
const tokens: Record<string, string> = {};

async function complaint(category: string, token = tokens.zhangsan!): Promise<string> {
  const created = await t.request('POST', '/api/forms/complaint/records', {
    token,
    body: {
      data: {
        customer: '测试客户',
        category,
        severity: 'low',
        description: `a ${category} complaint`,
        received_at: '2025-04-02T14:00:00+08:00',
        status: 'open',
      },
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
}

async function queue(code: string, token: string, query = '') {
  return t.request('GET', `/api/departments/${departments[code]}/queue${query}`, { token });
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  // The first start already installed the template routing; installing again changes nothing.
  expect(await installTemplateRouting(t.server.ctx.db, 'key-account')).toEqual([]);
  const listed = await t.request('GET', '/api/departments', { token: admin });
  for (const department of listed.body) departments[department.code] = department.id;
  for (const name of ['zhangsan', 'wangwu', 'zhouba', 'lisi']) tokens[name] = await t.login(name, DEMO_PASSWORD);
});

describe('routing rules API', () => {
  it('serves the template rules for complaints', async () => {
    const routing = await t.request('GET', '/api/routing/complaint', { token: admin });
    expect(routing.status).toBe(200);
    expect(routing.body.defaultDepartmentId).toBe(departments.service);
    expect(routing.body.rules.map((rule: any) => [rule.position, rule.departmentId, rule.enabled])).toEqual([
      [0, departments.finance, true],
      [1, departments.service, true],
    ]);
  });

  it('refuses a rule that is not FEEL, an unknown department, a missing default — and saves nothing', async () => {
    const before = await t.request('GET', '/api/routing/complaint', { token: admin });
    const rules = [
      { name: 'a', condition: 'category = "billing"', departmentId: departments.finance },
      { name: 'b', condition: 'severity = "high"', departmentId: departments.sales },
      { name: 'broken', condition: 'category = "billing" and (', departmentId: departments.sales },
    ];
    const bad = await t.request('PUT', '/api/routing/complaint', { token: admin, body: { defaultDepartmentId: departments.service, rules } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ pointer: '/rules/2/condition', message: expect.stringContaining('FEEL syntax error') }]);

    const unknown = await t.request('PUT', '/api/routing/complaint', {
      token: admin,
      body: { defaultDepartmentId: departments.service, rules: [{ ...rules[0], departmentId: '00000000-0000-4000-8000-000000000000' }] },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details[0].pointer).toBe('/rules/0/departmentId');

    const noDefault = await t.request('PUT', '/api/routing/complaint', { token: admin, body: { rules: [rules[0]] } });
    expect(noDefault.status).toBe(422);
    expect(noDefault.body.error.details[0].pointer).toBe('/defaultDepartmentId');

    expect(await t.request('GET', '/api/routing/complaint', { token: admin })).toEqual(before);
    expect((await t.request('PUT', '/api/routing/complaint', { token: tokens.zhangsan, body: before.body })).status).toBe(403);
    expect((await t.request('GET', '/api/routing/no_such_form', { token: admin })).status).toBe(404);
  });

  it('saves a valid list and keeps rule ids sent back', async () => {
    const before = (await t.request('GET', '/api/routing/complaint', { token: admin })).body;
    const saved = await t.request('PUT', '/api/routing/complaint', { token: admin, body: before });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual(before);
  });
});

describe('tickets and department queues', () => {
  it("routes a billing complaint to finance's queue, live to finance and not to sales", async () => {
    const finance = await connect(tokens.wangwu!);
    const sales = await connect(tokens.zhangsan!);
    const recordId = await complaint('billing');
    const routed = await eventually(
      () => finance.find((event) => event.type === 'ticket.routed' && event.payload.recordId === recordId),
      { message: 'ticket.routed' },
    );
    expect(routed.payload).toMatchObject({ formKey: 'complaint', departmentId: departments.finance, ticketId: expect.any(String) });
    await awaitSentinel(t, admin, 'zhangsan', sales);
    expect(sales.filter((event) => event.payload.recordId === recordId)).toEqual([]);

    const listed = await queue('finance', tokens.wangwu!);
    expect(listed.status).toBe(200);
    const item = listed.body.items.find((ticket: any) => ticket.recordId === recordId);
    expect(item).toMatchObject({ status: 'queued', claimedBy: null, ruleId: expect.any(String) });
    expect(item.record.data.category).toBe('billing');
  });

  it('routes by the next matching rule, and unmatched complaints to the default queue', async () => {
    const quality = await complaint('quality');
    const other = await complaint('other');
    const service = await queue('service', tokens.lisi!);
    const byRecord = new Map(service.body.items.map((ticket: any) => [ticket.recordId, ticket]));
    expect(byRecord.get(quality)).toMatchObject({ departmentId: departments.service, ruleId: expect.any(String) });
    expect(byRecord.get(other)).toMatchObject({ departmentId: departments.service, ruleId: null });
    const finance = await queue('finance', tokens.wangwu!);
    expect(finance.body.items.map((ticket: any) => ticket.recordId)).not.toContain(other);
  });

  it('answers 403 to non-members and pages the queue', async () => {
    expect((await queue('finance', tokens.zhangsan!)).status).toBe(403);
    expect((await queue('finance', admin)).status).toBe(200);
    await complaint('billing');
    const page = await queue('finance', tokens.wangwu!, '?pageSize=1&page=2');
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    expect(page.body.total).toBeGreaterThanOrEqual(2);
    expect((await queue('finance', tokens.wangwu!, '?status=bogus')).status).toBe(422);
  });

  it('lets exactly one of two concurrent claims win, then hand back and close', async () => {
    const finance = await connect(tokens.zhouba!);
    const recordId = await complaint('billing');
    const routed = await eventually(() => finance.find((e) => e.type === 'ticket.routed' && e.payload.recordId === recordId), {
      message: 'routed',
    });
    const ticketId = routed.payload.ticketId;
    expect((await t.request('POST', `/api/tickets/${ticketId}/claim`, { token: tokens.zhangsan })).status).toBe(403);

    const results = await Promise.all(
      ['wangwu', 'zhouba'].map((name) => t.request('POST', `/api/tickets/${ticketId}/claim`, { token: tokens[name] })),
    );
    expect(results.map((result) => result.status).sort()).toEqual([200, 409]);
    const winner = results.find((result) => result.status === 200)!.body.claimedBy as string;
    const loser = winner === 'wangwu' ? 'zhouba' : 'wangwu';
    await eventually(
      () => finance.find((e) => e.type === 'ticket.updated' && e.payload.ticketId === ticketId),
      { message: 'ticket.updated' },
    );

    expect((await t.request('POST', `/api/tickets/${ticketId}/hand-back`, { token: tokens[loser] })).status).toBe(403);
    const handedBack = await t.request('POST', `/api/tickets/${ticketId}/hand-back`, { token: tokens[winner] });
    expect(handedBack.body).toMatchObject({ status: 'queued', claimedBy: null });
    expect((await t.request('POST', `/api/tickets/${ticketId}/claim`, { token: tokens[loser] })).status).toBe(200);
    const closed = await t.request('POST', `/api/tickets/${ticketId}/close`, { token: tokens[loser] });
    expect(closed.body).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect((await t.request('POST', `/api/tickets/${ticketId}/close`, { token: tokens[loser] })).status).toBe(409);
    const closedQueue = await queue('finance', tokens.wangwu!, '?status=closed');
    expect(closedQueue.body.items.map((ticket: any) => ticket.id)).toContain(ticketId);
  });

  it('creates no ticket for a form without routing', async () => {
    const form = await t.request('POST', '/api/forms', {
      token: admin,
      body: { key: 'unrouted_note', title: 'Note', schema: { type: 'object', properties: { text: { type: 'string' } } } },
    });
    expect(form.status).toBe(201);
    const created = await t.request('POST', '/api/forms/unrouted_note/records', { token: admin, body: { data: { text: 'hi' } } });
    expect(created.status).toBe(201);
    const [{ n }] = await t.server.ctx.db('tickets').where({ record_id: created.body.id }).count({ n: '*' });
    expect(Number(n)).toBe(0);
  });
});
