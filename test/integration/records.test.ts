import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
let staff: string;

/** Like t.request, with an Accept-Language header. */
async function call(method: string, path: string, options: { token?: string; body?: unknown; language?: string } = {}) {
  const response = await fetch(`${t.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.language ? { 'accept-language': options.language } : {}),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const dealSchema = {
  type: 'object',
  required: ['name', 'amount'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1 },
    amount: { type: 'number', minimum: 0 },
    status: { type: 'string', enum: ['open', 'won', 'lost'] },
    region: { type: 'string' },
    customer: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

const deals = [
  { name: 'Alpha 华东', amount: 50, status: 'open', region: 'east' },
  { name: 'Beta', amount: 100, status: 'open', region: 'north' },
  { name: 'Gamma 华南', amount: 250, status: 'won', region: 'south' },
  { name: 'Delta', amount: 9, status: 'lost', region: 'east' },
  { name: 'Epsilon', amount: 1000, status: 'open', region: 'east', customer: { city: 'Shanghai' } },
  { name: '50%_off', amount: 75, status: 'won' },
];

async function list(query: string) {
  const { status, body } = await call('GET', `/api/forms/deal/records${query}`, { token: admin });
  expect(status, JSON.stringify(body)).toBe(200);
  return body as { items: { id: string; data: { name: string; amount: number } }[]; total: number };
}
const names = (result: { items: { data: { name: string } }[] }) => result.items.map((item) => item.data.name);

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  await t.request('POST', '/api/users', { token: admin, body: { username: 'rec_staff', displayName: 'S', password: 'staff-password' } });
  staff = await t.login('rec_staff', 'staff-password');
  expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'deal', title: '商机', schema: dealSchema } })).status).toBe(201);
  for (const data of deals) {
    expect((await call('POST', '/api/forms/deal/records', { token: staff, body: { data } })).status).toBe(201);
  }
});

describe('creating records', () => {
  it('stores id, data, createdAt, createdBy; 404 for an unknown form', async () => {
    const me = await t.request('GET', '/api/auth/me', { token: staff });
    const { status, body } = await call('POST', '/api/forms/other_deal/records', { token: staff, body: { data: {} } });
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
    const created = await list('?filter[name]=Beta');
    expect(created.items[0]).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      data: deals[1],
      createdAt: expect.any(String),
      createdBy: me.body.id,
      formVersion: 1,
    });
  });

  it('rejects invalid data listing every error with its pointer (zh-CN by default), storing nothing', async () => {
    const before = (await list('')).total;
    const { status, body } = await call('POST', '/api/forms/deal/records', {
      token: staff,
      body: { data: { amount: -5, status: 'maybe', extra: true } },
    });
    expect(status).toBe(422);
    expect(body.error.code).toBe('invalid_input');
    const byPointer = Object.fromEntries(body.error.details.map((d: { pointer: string; message: string }) => [d.pointer, d.message]));
    expect(byPointer).toEqual({
      '/name': '必填项「name」未填写',
      '/amount': '不能小于 0',
      '/status': '必须是以下值之一："open"、"won"、"lost"',
      '/extra': '不允许的字段「extra」',
    });
    expect((await list('')).total).toBe(before);
  });

  it('writes the messages in English for Accept-Language: en', async () => {
    const { status, body } = await call('POST', '/api/forms/deal/records', {
      token: staff,
      language: 'en-US,en;q=0.9',
      body: { data: { amount: 'lots' } },
    });
    expect(status).toBe(422);
    expect(body.error.details).toEqual(
      expect.arrayContaining([
        { pointer: '/name', message: '"name" is required' },
        { pointer: '/amount', message: 'must be a number' },
      ]),
    );
  });

  it('requires a data object', async () => {
    const missing = await call('POST', '/api/forms/deal/records', { token: staff, body: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0].pointer).toBe('/data');
    const notObject = await call('POST', '/api/forms/deal/records', { token: staff, body: { data: [1] } });
    expect(notObject.status).toBe(422);
  });
});

describe('listing records', () => {
  it('filters with eq, gte (numerically), contains, ne, in and nested fields', async () => {
    expect(names(await list('?filter[status]=open&sort=data.amount'))).toEqual(['Alpha 华东', 'Beta', 'Epsilon']);
    expect(names(await list('?filter[amount][gte]=100&sort=data.amount'))).toEqual(['Beta', 'Gamma 华南', 'Epsilon']);
    expect(names(await list('?filter[name][contains]=华&sort=data.amount'))).toEqual(['Alpha 华东', 'Gamma 华南']);
    // LIKE wildcards in the value are literal.
    expect(names(await list('?filter[name][contains]=%25_'))).toEqual(['50%_off']);
    expect(names(await list('?filter[region][ne]=east&sort=data.amount'))).toEqual(['50%_off', 'Beta', 'Gamma 华南']);
    expect(names(await list('?filter[amount][in]=9,75&sort=data.amount'))).toEqual(['Delta', '50%_off']);
    expect(names(await list('?filter[customer.city]=Shanghai'))).toEqual(['Epsilon']);
    expect((await list('?filter[status]=open&filter[region]=east')).total).toBe(2);
  });

  it('sorts by data fields (numbers as numbers) and by createdAt', async () => {
    expect(names(await list('?sort=-data.amount')).slice(0, 3)).toEqual(['Epsilon', 'Gamma 华南', 'Beta']);
    expect(names(await list('?sort=data.name')).slice(0, 2)).toEqual(['50%_off', 'Alpha 华东']);
    const oldestFirst = await list('?sort=createdAt');
    expect(oldestFirst.items[0].data.name).toBe('Alpha 华东');
  });

  it('pages with a total', async () => {
    const first = await list('?sort=data.amount&pageSize=4');
    expect(first.total).toBe(6);
    expect(names(first)).toEqual(['Delta', 'Alpha 华东', '50%_off', 'Beta']);
    const second = await list('?sort=data.amount&pageSize=4&page=2');
    expect(second.total).toBe(6);
    expect(names(second)).toEqual(['Gamma 华南', 'Epsilon']);
    expect((await list('?page=3&pageSize=4')).items).toEqual([]);
    expect((await list('')).items).toHaveLength(6);
  });

  it('answers 422 naming a bad filter, sort or page parameter', async () => {
    for (const [query, parameter] of [
      ['?filter[amount][gte]=lots', 'filter[amount][gte]'],
      ['?filter[amount][like]=1', 'filter[amount][like]'],
      ['?filter[nope]=1', 'filter[nope]'],
      ["?filter[name'--]=1", "filter[name'--]"],
      ['?sort=password_hash', 'sort'],
      ['?pageSize=500', 'pageSize'],
      ['?page=-1', 'page'],
    ]) {
      const { status, body } = await call('GET', `/api/forms/deal/records${query}`, { token: admin });
      expect(status, query).toBe(422);
      expect(body.error.details[0].pointer).toBe(parameter);
    }
  });
});

describe('one record', () => {
  it('reads, replaces (validated) and deletes; 404 afterwards', async () => {
    const created = await call('POST', '/api/forms/deal/records', { token: staff, body: { data: { name: 'Zeta', amount: 1 } } });
    const path = `/api/forms/deal/records/${created.body.id}`;

    const read = await call('GET', path, { token: admin });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, data: { name: 'Zeta', amount: 1 } });

    const invalid = await call('PUT', path, { token: staff, body: { data: { name: 'Zeta', amount: -1 } } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details[0].pointer).toBe('/amount');
    expect((await call('GET', path, { token: admin })).body.data.amount).toBe(1);

    const replaced = await call('PUT', path, { token: staff, body: { data: { name: 'Zeta', amount: 2, status: 'won' } } });
    expect(replaced.status).toBe(200);
    expect(replaced.body.data).toEqual({ name: 'Zeta', amount: 2, status: 'won' });

    expect((await call('DELETE', path, { token: staff })).status).toBe(204);
    expect((await call('GET', path, { token: admin })).status).toBe(404);
    expect((await call('PUT', path, { token: staff, body: { data: { name: 'Z', amount: 1 } } })).status).toBe(404);
    expect((await call('DELETE', path, { token: staff })).status).toBe(404);
  });

  it('answers 404 for a malformed id and a record of another form', async () => {
    expect((await call('GET', '/api/forms/deal/records/not-a-uuid', { token: admin })).status).toBe(404);
    await t.request('POST', '/api/forms', { token: admin, body: { key: 'note', title: 'N', schema: { type: 'object' } } });
    const note = await call('POST', '/api/forms/note/records', { token: admin, body: { data: {} } });
    expect((await call('GET', `/api/forms/deal/records/${note.body.id}`, { token: admin })).status).toBe(404);
  });

  it('lets only the creator or an admin change a record', async () => {
    const created = await call('POST', '/api/forms/deal/records', { token: admin, body: { data: { name: 'Admin deal', amount: 5 } } });
    const path = `/api/forms/deal/records/${created.body.id}`;
    expect((await call('PUT', path, { token: staff, body: { data: { name: 'x', amount: 1 } } })).status).toBe(403);
    expect((await call('DELETE', path, { token: staff })).status).toBe(403);
    expect((await call('GET', path, { token: staff })).status).toBe(200);
    expect((await call('DELETE', path, { token: admin })).status).toBe(204);
  });
});
