/**
 * Defects the fuzz suites found (docs/security.md), each as the case that found it, so they stay
 * fixed whatever seed a later run draws.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
});

const wide = (n: number, field: (i: number) => unknown) => ({ type: 'object', properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, field(i)])) });

describe('fuzz findings', () => {
  it('refuses a form schema of 20,000 invalid properties at once, with a short message (it held the node for minutes)', async () => {
    const started = Date.now();
    const saved = await t.request('POST', '/api/forms', { token: admin, body: { key: 'wide', title: '宽', schema: wide(20_000, (i) => i) } });
    expect(saved.status).toBe(422);
    expect(saved.body.error.code).toBe('invalid_schema');
    expect(saved.body.error.details[0]).toMatchObject({ pointer: '/schema', message: expect.stringContaining('/properties/k0') });
    expect(JSON.stringify(saved.body).length).toBeLessThan(2_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a form schema of more than 3,000 objects, naming the limit (compiling one took seconds of blocked event loop)', async () => {
    const saved = await t.request('POST', '/api/forms', { token: admin, body: { key: 'wide', title: '宽', schema: wide(4_000, () => ({ type: 'string' })) } });
    expect(saved.status).toBe(422);
    expect(saved.body.error.details[0].message).toMatch(/too large: at most 3000/);
    const fits = await t.request('POST', '/api/forms', { token: admin, body: { key: 'wide', title: '宽', schema: wide(200, () => ({ type: 'string' })) } });
    expect(fits.status).toBe(201);
  });

  it('refuses an import file with a NUL in a cell, naming row and column, and stores no import (it was a 500)', async () => {
    expect((await t.request('POST', '/api/forms', { token: admin, body: { key: 'notes', title: '笔记', schema: { type: 'object', properties: { title: { type: 'string' } } } } })).status).toBe(201);
    const before = await t.server.ctx.db('import_jobs').count({ n: '*' });
    const form = new FormData();
    form.append('file', new Blob(['title\n一\na\u0000b\n'], { type: 'text/csv' }), '../../etc/passwd.csv');
    const response = await fetch(`${t.url}/api/forms/notes/imports`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
    const body = (await response.json()) as { error: { message: string } };
    expect(response.status).toBe(422);
    expect(body.error.message).toMatch(/第 3 行第 1 列/);
    expect(await t.server.ctx.db('import_jobs').count({ n: '*' })).toEqual(before);
  });
});
