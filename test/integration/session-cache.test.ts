/**
 * The session cache (engine/identity/sessionCache.ts): a token's user is read once and then
 * reused, and forgotten as soon as an identity changes — by this node's own request at once,
 * by another node's or a plain SQL change through PostgreSQL's NOTIFY (migration 050). The
 * cache here keeps answers for 60 s, so anything seen within the test comes from invalidation,
 * never from expiry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../engine/db/connection.ts';
import { readConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const CACHE = { LIUZHUAN_SESSION_CACHE_MS: '60000' };
const t = useTestServer(CACHE);
let other: RunningServer;
let admin: string;
const authQueries: string[] = [];

async function get(url: string, token: string, path = '/api/auth/me') {
  const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: response.status === 200 ? await response.json() : undefined };
}

async function newUser(username: string): Promise<{ id: string; token: string }> {
  const created = await t.request('POST', '/api/users', { token: admin, body: { username, displayName: username, password: 'pass-word-1234' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id, token: await t.login(username, 'pass-word-1234') };
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  // A second node on the same database, as in production behind a load balancer.
  other = await startServer(
    { ...readConfig({ PORT: '0', ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LIUZHUAN_LOAD_TEMPLATES: 'false', LIUZHUAN_DEMO_CUSTOMERS: '0', ...CACHE }), databaseUrl: t.databaseUrl },
    { db: connect(t.databaseUrl), url: t.databaseUrl, embedded: false, close: async () => {} },
  );
  t.server.ctx.db.on('query', (query: { sql: string }) => {
    if (query.sql.includes('FROM sessions s JOIN users u')) authQueries.push(query.sql);
  });
});

afterAll(async () => {
  await other?.close();
  await other?.ctx.db.destroy();
});

describe('session cache', () => {
  it("reads a token's user once, then answers from memory", async () => {
    const { token } = await newUser('cache_reader');
    authQueries.length = 0;
    for (let i = 0; i < 5; i++) expect((await get(t.url, token)).status).toBe(200);
    expect(authQueries).toHaveLength(1);
  });

  it('a logout is refused at once on the same node, and on the other node as soon as the NOTIFY arrives', async () => {
    const { token } = await newUser('cache_logout');
    expect((await get(t.url, token)).status).toBe(200);
    expect((await get(other.url, token)).status).toBe(200);
    const out = await fetch(`${t.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(out.status).toBe(204);
    expect((await get(t.url, token)).status).toBe(401);
    await expect.poll(async () => (await get(other.url, token)).status).toBe(401);
  });

  it('a role given on one node shows at once there and soon on the other', async () => {
    const { id, token } = await newUser('cache_roles');
    expect((await t.request('POST', '/api/roles', { token: admin, body: { code: 'auditor', name: '审计' } })).status).toBe(201);
    expect((await get(t.url, token)).body.roles).toEqual(['staff']);
    expect((await get(other.url, token)).body.roles).toEqual(['staff']);
    const patched = await t.request('PATCH', `/api/users/${id}`, { token: admin, body: { roles: ['auditor'] } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await get(t.url, token)).body.roles).toEqual(['staff', 'auditor']);
    await expect.poll(async () => (await get(other.url, token)).body?.roles).toEqual(['staff', 'auditor']);
  });

  it('a change made outside the API (an operator deleting sessions in SQL) reaches every node', async () => {
    const { id, token } = await newUser('cache_sql');
    expect((await get(t.url, token)).status).toBe(200);
    expect((await get(other.url, token)).status).toBe(200);
    await t.server.ctx.db.raw('DELETE FROM sessions WHERE user_id = ?', [id]);
    await expect.poll(async () => (await get(t.url, token)).status).toBe(401);
    await expect.poll(async () => (await get(other.url, token)).status).toBe(401);
  });

  it('a deactivated user is refused everywhere', async () => {
    const { id, token } = await newUser('cache_deactivated');
    expect((await get(other.url, token)).status).toBe(200);
    expect((await t.request('PATCH', `/api/users/${id}`, { token: admin, body: { active: false } })).status).toBe(200);
    expect((await get(t.url, token)).status).toBe(401);
    await expect.poll(async () => (await get(other.url, token)).status).toBe(401);
  });
});
