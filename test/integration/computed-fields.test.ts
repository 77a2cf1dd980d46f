/**
 * Formula and serial-number fields over HTTP: the server's value wins over what the
 * browser sent; concurrent creates never share a serial; a replace keeps it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;

const contractSchema = {
  type: 'object',
  required: ['title'],
  additionalProperties: false,
  properties: {
    no: { type: 'string', readOnly: true, 'x-serial': { prefix: 'HT', digits: 4 } },
    title: { type: 'string', minLength: 1 },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          price: { type: 'number' },
          quantity: { type: 'integer' },
          amount: { type: 'number', 'x-formula': 'price * quantity' },
        },
      },
    },
    total: { type: 'number', maximum: 1000, 'x-formula': 'sum(lines.amount)' },
  },
};

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const created = await t.request('POST', '/api/forms', { token: admin, body: { key: 'contract_lite', title: '合同', schema: contractSchema } });
  expect(created.status).toBe(201);
});

describe('computed fields', () => {
  it('computes formulas on the server and numbers records in order', async () => {
    const { status, body } = await t.request('POST', '/api/forms/contract_lite/records', {
      token: admin,
      body: { data: { no: 'forged', title: 'A', lines: [{ price: 12.5, quantity: 4, amount: 1 }, { price: 3, quantity: 1 }], total: 0 } },
    });
    expect(status).toBe(201);
    expect(body.data).toEqual({ no: 'HT0001', title: 'A', lines: [{ price: 12.5, quantity: 4, amount: 50 }, { price: 3, quantity: 1, amount: 3 }], total: 53 });
  });

  it('validates the computed value: a total over the maximum is refused and takes no number', async () => {
    const refused = await t.request('POST', '/api/forms/contract_lite/records', {
      token: admin,
      body: { data: { title: 'big', lines: [{ price: 600, quantity: 2 }], total: 1 } },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details).toEqual([expect.objectContaining({ pointer: '/total' })]);
    const next = await t.request('POST', '/api/forms/contract_lite/records', { token: admin, body: { data: { title: 'B' } } });
    expect(next.body.data.no).toBe('HT0002');
  });

  it('gives concurrent creates distinct serials, and a replace keeps its serial', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => t.request('POST', '/api/forms/contract_lite/records', { token: admin, body: { data: { title: `c${i}` } } })),
    );
    const serials = results.map((result) => result.body.data.no as string);
    expect(new Set(serials).size).toBe(8);
    expect([...serials].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `HT${String(i + 3).padStart(4, '0')}`));

    const id = results[0]!.body.id as string;
    const replaced = await t.request('PUT', `/api/forms/contract_lite/records/${id}`, { token: admin, body: { data: { no: 'HT9999', title: 'renamed' } } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data).toEqual({ no: serials[0], title: 'renamed' });
  });
});
