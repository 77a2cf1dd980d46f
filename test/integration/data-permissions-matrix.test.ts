/**
 * Data permissions over the key-account template's groups (templates/key-account/permissions.json):
 * sales zhangsan, sales head zhaoliu, finance wangwu and admin × every record route × a record
 * of their own (zhangsan's customer) and someone else's (lisi's, in service). The routes come
 * from the running app's router: a new route under /forms/:key/records fails this test until
 * it declares what each of them may do there.
 */
import ExcelJS from 'exceljs';
import type { Express } from 'express';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { demoCustomers } from '../../templates/key-account/demo.ts';
import { useTestServer } from '../helpers/server.ts';

const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });
const PEOPLE = ['admin', 'zhangsan', 'zhaoliu', 'wangwu'] as const;
type Person = (typeof PEOPLE)[number];
type Whose = 'own' | 'other';
const tokens = {} as Record<Person, string>;

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

function routesOf(stack: Layer[], prefix = '', out: string[] = []): string[] {
  for (const layer of stack) {
    if (layer.route) {
      for (const [method, on] of Object.entries(layer.route.methods)) if (on) out.push(`${method.toUpperCase()} ${prefix}${String(layer.route.path)}`);
    } else if (Array.isArray(layer.handle?.stack)) {
      routesOf(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''), out);
    }
  }
  return out;
}

const request = (who: Person, method: string, path: string, body?: unknown) => t.request(method, path, { token: tokens[who], body });

/** A fresh customer made by the admin, owned by zhangsan (`own`: a sales customer) or lisi (`other`: service). */
let serial = 0;
async function customer(whose: Whose): Promise<{ id: string; data: Record<string, unknown> }> {
  serial += 1;
  const data = { ...demoCustomers[0], name: `矩阵客户 ${serial} ${whose}`, owner: whose === 'own' ? 'zhangsan' : 'lisi' };
  const created = await request('admin', 'POST', '/api/forms/customer_profile/records', { data });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

/** What each person may do with zhangsan's customer (own) and lisi's (other): the status each route answers. */
const EXPECTED: Record<string, Record<Person, Record<Whose, number>>> = {
  list: { admin: { own: 1, other: 1 }, zhangsan: { own: 1, other: 0 }, zhaoliu: { own: 1, other: 0 }, wangwu: { own: 1, other: 1 } },
  read: { admin: { own: 200, other: 200 }, zhangsan: { own: 200, other: 404 }, zhaoliu: { own: 200, other: 404 }, wangwu: { own: 200, other: 200 } },
  // Account owners (sales, service) add customers: its creator is in the group, whoever the owner (zhaoliu is sales too).
  add: { admin: { own: 201, other: 201 }, zhangsan: { own: 201, other: 201 }, zhaoliu: { own: 201, other: 201 }, wangwu: { own: 403, other: 403 } },
  edit: { admin: { own: 200, other: 200 }, zhangsan: { own: 200, other: 404 }, zhaoliu: { own: 200, other: 404 }, wangwu: { own: 403, other: 403 } },
  delete: { admin: { own: 204, other: 204 }, zhangsan: { own: 403, other: 404 }, zhaoliu: { own: 403, other: 404 }, wangwu: { own: 403, other: 403 } },
  print: { admin: { own: 200, other: 200 }, zhangsan: { own: 200, other: 404 }, zhaoliu: { own: 200, other: 404 }, wangwu: { own: 403, other: 403 } },
  export: { admin: { own: 1, other: 1 }, zhangsan: { own: 403, other: 403 }, zhaoliu: { own: 1, other: 0 }, wangwu: { own: 1, other: 1 } },
  starts: { admin: { own: 200, other: 200 }, zhangsan: { own: 200, other: 404 }, zhaoliu: { own: 200, other: 404 }, wangwu: { own: 200, other: 200 } },
  unmask: { admin: { own: 200, other: 200 }, zhangsan: { own: 403, other: 404 }, zhaoliu: { own: 403, other: 404 }, wangwu: { own: 403, other: 403 } },
};

/**
 * Each record route → how one person acts there on a record and what the answer means: a status,
 * or for list and export 1/0 whether the record is in the answer (a 403 export stays a status).
 */
const ROUTES: Record<string, { action: keyof typeof EXPECTED; run: (who: Person, whose: Whose) => Promise<number> }> = {
  'GET /api/forms/:key/records': {
    action: 'list',
    run: async (who, whose) => {
      const record = await customer(whose);
      const page = await request(who, 'GET', `/api/forms/customer_profile/records?pageSize=200&filter[name][eq]=${encodeURIComponent(String(record.data.name))}`);
      expect(page.status).toBe(200);
      return page.body.items.filter((item: { id: string }) => item.id === record.id).length;
    },
  },
  'POST /api/forms/:key/records': {
    action: 'add',
    run: async (who, whose) => {
      const data = { ...demoCustomers[1], name: `新增客户 ${(serial += 1)}`, owner: whose === 'own' ? who : 'lisi' };
      return (await request(who, 'POST', '/api/forms/customer_profile/records', { data })).status;
    },
  },
  'GET /api/forms/:key/records/export': {
    action: 'export',
    run: async (who, whose) => {
      const record = await customer(whose);
      const csv = await request(who, 'GET', `/api/forms/customer_profile/records/export?filter[name][eq]=${encodeURIComponent(String(record.data.name))}`);
      if (csv.status !== 200) return csv.status;
      return String(csv.body).includes(record.id) ? 1 : 0;
    },
  },
  'GET /api/forms/:key/records/export.xlsx': {
    action: 'export',
    run: async (who, whose) => {
      const record = await customer(whose);
      const name = String(record.data.name);
      const response = await fetch(`${t.url}/api/forms/customer_profile/records/export.xlsx?filter[name][eq]=${encodeURIComponent(name)}`, {
        headers: { authorization: `Bearer ${tokens[who]}` },
      });
      if (response.status !== 200) return response.status;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(Buffer.from(await response.arrayBuffer()) as never);
      const cells: string[] = [];
      workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value ?? ''))));
      return cells.includes(name) ? 1 : 0;
    },
  },
  'GET /api/forms/:key/records/:id': {
    action: 'read',
    run: async (who, whose) => (await request(who, 'GET', `/api/forms/customer_profile/records/${(await customer(whose)).id}`)).status,
  },
  'PUT /api/forms/:key/records/:id': {
    action: 'edit',
    run: async (who, whose) => {
      const record = await customer(whose);
      const seen = await request(who, 'GET', `/api/forms/customer_profile/records/${record.id}`);
      const data = seen.status === 200 ? { ...seen.body.data, tier: 'B' } : { ...record.data, tier: 'B' };
      return (await request(who, 'PUT', `/api/forms/customer_profile/records/${record.id}`, { data })).status;
    },
  },
  'DELETE /api/forms/:key/records/:id': {
    action: 'delete',
    run: async (who, whose) => (await request(who, 'DELETE', `/api/forms/customer_profile/records/${(await customer(whose)).id}`)).status,
  },
  'GET /api/forms/:key/records/:id/print': {
    action: 'print',
    run: async (who, whose) => (await request(who, 'GET', `/api/forms/customer_profile/records/${(await customer(whose)).id}/print`)).status,
  },
  'GET /api/forms/:key/records/:id/starts': {
    action: 'starts',
    run: async (who, whose) => (await request(who, 'GET', `/api/forms/customer_profile/records/${(await customer(whose)).id}/starts`)).status,
  },
  'POST /api/forms/:key/records/:id/starts/:definitionKey': {
    // Starting a process from a record reads it first: the same view rule (404 unseen); a seen one starts (201) or is refused by the process.
    action: 'starts',
    run: async (who, whose) => {
      const record = await customer(whose);
      const starts = await request('admin', 'GET', `/api/forms/customer_profile/records/${record.id}/starts`);
      const key = starts.body[0]?.definitionKey ?? starts.body.items?.[0]?.definitionKey;
      expect(key, JSON.stringify(starts.body)).toBeTruthy();
      const status = (await request(who, 'POST', `/api/forms/customer_profile/records/${record.id}/starts/${key}`, {})).status;
      return status === 404 ? 404 : 200;
    },
  },
  'POST /api/forms/:key/records/:id/unmask': {
    action: 'unmask',
    run: async (who, whose) => (await request(who, 'POST', `/api/forms/customer_profile/records/${(await customer(whose)).id}/unmask`, {})).status,
  },
};

beforeAll(async () => {
  for (const who of PEOPLE) tokens[who] = who === 'admin' ? await t.login('admin', 'admin-test-password') : await t.login(who, 'demo123');
});

describe('data permissions of the key-account template', () => {
  it('declares an expectation for every record route of the running app', () => {
    const app = createApp(t.server.ctx) as Express & { router?: { stack: Layer[] } };
    const routes = routesOf(app.router!.stack).filter((route) => route.split(' ')[1]!.startsWith('/api/forms/:key/records'));
    expect(routes.length).toBeGreaterThanOrEqual(8);
    expect(routes.filter((route) => !ROUTES[route]), 'record routes without a declared permission expectation').toEqual([]);
  });

  for (const [route, spec] of Object.entries(ROUTES)) {
    it(`${route}: ${spec.action} as admin, sales, head and finance on own and others' records`, async () => {
      const answers: string[] = [];
      const wanted: string[] = [];
      for (const who of PEOPLE) {
        for (const whose of ['own', 'other'] as const) {
          // The POST start route answers 200 for "not hidden" whatever the process says.
          const expected = spec.action === 'starts' && route.startsWith('POST') ? (EXPECTED.starts[who][whose] === 404 ? 404 : 200) : EXPECTED[spec.action]![who][whose];
          wanted.push(`${who}/${whose}: ${expected}`);
          answers.push(`${who}/${whose}: ${await spec.run(who, whose)}`);
        }
      }
      expect(answers).toEqual(wanted);
    });
  }

  it('leaves hidden fields out of list, read and export, and keeps them on an edit', async () => {
    const record = await customer('own');
    const allowed = ['name', 'tier', 'contact', 'owner'];
    const read = await request('wangwu', 'GET', `/api/forms/customer_profile/records/${record.id}`);
    expect(Object.keys(read.body.data).sort()).toEqual(expect.arrayContaining(allowed.filter((f) => f in record.data)));
    expect(Object.keys(read.body.data).every((field) => allowed.includes(field))).toBe(true);
    const list = await request('wangwu', 'GET', `/api/forms/customer_profile/records?filter[name][eq]=${encodeURIComponent(String(record.data.name))}`);
    expect(Object.keys(list.body.items[0].data).every((field) => allowed.includes(field))).toBe(true);
    const csv = await request('wangwu', 'GET', `/api/forms/customer_profile/records/export?filter[name][eq]=${encodeURIComponent(String(record.data.name))}`);
    expect(String(csv.body)).not.toContain(String(record.data.annual_revenue));
    expect(String(csv.body)).not.toContain(String(record.data.address));
    // The head edits the tier; the fields he does not send stay as stored.
    const head = await request('zhaoliu', 'GET', `/api/forms/customer_profile/records/${record.id}`);
    const { annual_revenue: _dropped, ...rest } = head.body.data;
    const edited = await request('zhaoliu', 'PUT', `/api/forms/customer_profile/records/${record.id}`, { data: { ...rest, tier: 'C' } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const after = await request('admin', 'GET', `/api/forms/customer_profile/records/${record.id}`);
    expect(after.body.data.tier).toBe('C');
    // Contracts: everyone sees them without amounts and payments; finance sees those.
    const contracts = await request('zhangsan', 'GET', '/api/forms/contract/records');
    expect(contracts.body.items.length).toBeGreaterThan(0);
    for (const item of contracts.body.items) {
      if (item.createdBy !== read.body.createdBy) continue;
      expect(item.data).not.toHaveProperty('amount');
      expect(item.data).not.toHaveProperty('payments');
    }
    const finance = await request('wangwu', 'GET', '/api/forms/contract/records');
    expect(finance.body.items.some((item: { data: object }) => 'amount' in item.data)).toBe(true);
  });

  it('refuses filters and sorts on fields the user may not query, naming the parameter', async () => {
    const filtered = await request('wangwu', 'GET', '/api/forms/customer_profile/records?filter[annual_revenue][gt]=1');
    expect(filtered.status).toBe(403);
    expect(filtered.body.error.details[0].pointer).toBe('filter[annual_revenue][gt]');
    const sorted = await request('wangwu', 'GET', '/api/forms/customer_profile/records?sort=-annual_revenue');
    expect(sorted.status).toBe(403);
    expect(sorted.body.error.details[0].pointer).toBe('sort');
    expect((await request('wangwu', 'GET', '/api/forms/customer_profile/records/export?filter[phone][contains]=021')).status).toBe(403);
    expect((await request('wangwu', 'GET', '/api/forms/customer_profile/records?filter[tier][eq]=A')).status).toBe(200);
  });

  it('lets an admin manage groups and roles; bad ones are 422 naming the pointer; changes are audited', async () => {
    const bad = await request('admin', 'POST', '/api/forms/customer_profile/permission-groups', {
      name: '坏组',
      members: { roles: ['no_such_role'] },
      actions: ['view'],
      fields: { visible: ['name', 'nope'], editable: [] },
      filter: { join: 'and', rules: [{ field: 'tier', operator: '=', value: 'A' }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { pointer: string }) => d.pointer).sort()).toEqual(['/fields/visible/1', '/members/roles/0']);
    expect((await request('zhangsan', 'GET', '/api/forms/customer_profile/permission-groups')).status).toBe(403);
    const role = await request('admin', 'POST', '/api/roles', { code: 'key_account', name: '大客户经理', nameEn: 'Key account manager' });
    expect(role.status).toBe(201);
    expect((await request('admin', 'DELETE', '/api/roles/staff')).status).toBe(409);
    const users = await request('admin', 'GET', '/api/users');
    const wangwu = users.body.find((u: { username: string }) => u.username === 'wangwu');
    expect(wangwu.roles).toEqual(['finance']);
    const group = await request('admin', 'POST', '/api/forms/customer_profile/permission-groups', {
      name: 'A 类客户',
      members: { roles: ['key_account'] },
      actions: ['view'],
      fields: { visible: ['name', 'tier'], editable: [] },
      filter: { join: 'and', rules: [{ field: 'tier', operator: '=', value: 'A' }] },
    });
    expect(group.status, JSON.stringify(group.body)).toBe(201);
    expect((await request('admin', 'PATCH', `/api/users/${wangwu.id}`, { roles: ['finance', 'key_account'] })).status).toBe(200);
    const access = await request('wangwu', 'GET', '/api/forms/customer_profile/my-access');
    expect(access.body.actions).toEqual(['view', 'export']);
    expect(access.body.fields.queryable).toEqual(expect.arrayContaining(['name', 'tier']));
    const audit = await request('admin', 'GET', '/api/audit?action=permission.change');
    if (audit.status === 200) expect(audit.body.items.some((row: { subject: string }) => row.subject === 'A 类客户')).toBe(true);
  });

  it('sends no record data through socket events (ids only)', async () => {
    const doc = (await t.request('GET', '/api/openapi.json')).body;
    const events = doc['x-socket-io'].events as Record<string, { payload?: { properties?: Record<string, unknown> } }>;
    for (const [name, event] of Object.entries(events)) {
      const properties = Object.keys(JSON.stringify(event).includes('"data"') ? { data: 1 } : {});
      expect(properties, `${name} carries record data`).toEqual([]);
    }
  });
});
