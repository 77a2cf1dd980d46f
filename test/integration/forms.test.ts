import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
});

const orderSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', title: 'Name', 'x-widget': 'text' },
    amount: { type: 'number', minimum: 0 },
  },
};

describe('POST /api/forms', () => {
  it('saves version 1, then a new version for the same key', async () => {
    const first = await t.request('POST', '/api/forms', {
      token: admin,
      body: { key: 'order', title: '订单', schema: orderSchema, uiSchema: { name: { 'ui:title': { 'zh-CN': '名称', en: 'Name' } } } },
    });
    expect(first).toEqual({ status: 201, body: { key: 'order', version: 1 } });

    const second = await t.request('POST', '/api/forms', {
      token: admin,
      body: { key: 'order', title: '订单 v2', schema: { ...orderSchema, required: ['name', 'amount'] } },
    });
    expect(second).toEqual({ status: 201, body: { key: 'order', version: 2 } });

    const latest = await t.request('GET', '/api/forms/order', { token: admin });
    expect(latest.status).toBe(200);
    expect(latest.body).toMatchObject({ key: 'order', title: '订单 v2', version: 2, latestVersion: 2, uiSchema: {} });
    expect(latest.body.schema.required).toEqual(['name', 'amount']);

    const older = await t.request('GET', '/api/forms/order?version=1', { token: admin });
    expect(older.body).toMatchObject({ version: 1, latestVersion: 2, title: '订单' });
    expect(older.body.uiSchema.name['ui:title'].en).toBe('Name');
  });

  it('rejects a schema with a typo (unknown keyword) with 422 naming the reason, and stores nothing', async () => {
    const { status, body } = await t.request('POST', '/api/forms', {
      token: admin,
      body: { key: 'typo_form', title: 'T', schema: { type: 'object', properties: { name: { typ: 'string' } } } },
    });
    expect(status).toBe(422);
    expect(body.error.code).toBe('invalid_schema');
    expect(body.error.details[0].pointer).toBe('/schema');
    expect(body.error.details[0].message).toMatch(/unknown keyword: "typ"/);
    expect((await t.request('GET', '/api/forms/typo_form', { token: admin })).status).toBe(404);
  });

  it('validates key, title and schema presence with pointers', async () => {
    const { status, body } = await t.request('POST', '/api/forms', {
      token: admin,
      body: { key: 'Bad Key', schema: 'nope' },
    });
    expect(status).toBe(422);
    expect(body.error.details.map((d: { pointer: string }) => d.pointer).sort()).toEqual(['/key', '/schema', '/title']);
  });
});

describe('GET /api/forms', () => {
  it('lists the latest version of each form', async () => {
    await t.request('POST', '/api/forms', { token: admin, body: { key: 'list_a', title: 'A', schema: { type: 'object' } } });
    const { status, body } = await t.request('GET', '/api/forms', { token: admin });
    expect(status).toBe(200);
    const order = body.find((f: { key: string }) => f.key === 'order');
    expect(order.version).toBe(2);
    expect(body.filter((f: { key: string }) => f.key === 'order')).toHaveLength(1);
    expect(body.map((f: { key: string }) => f.key)).toContain('list_a');
  });

  it('answers 404 for an unknown form or version and 422 for a bad version', async () => {
    expect((await t.request('GET', '/api/forms/missing', { token: admin })).status).toBe(404);
    expect((await t.request('GET', '/api/forms/order?version=9', { token: admin })).status).toBe(404);
    const bad = await t.request('GET', '/api/forms/order?version=x', { token: admin });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].pointer).toBe('version');
  });
});
