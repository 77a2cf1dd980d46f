import { describe, expect, it } from 'vitest';
import { LOGIN_ATTEMPTS_PER_MINUTE } from '../../server/routes/auth.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();

async function createStaff(username: string, password = 'staff-password'): Promise<string> {
  const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const { status } = await t.request('POST', '/api/users', {
    token: admin,
    body: { username, displayName: username, password },
  });
  expect(status).toBe(201);
  return t.login(username, password);
}

describe('login', () => {
  it('answers a token that works on /api/auth/me', async () => {
    const { status, body } = await t.request('POST', '/api/auth/login', {
      body: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    expect(status).toBe(200);
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.user).toMatchObject({ username: 'admin', displayName: '系统管理员', role: 'admin', groups: ['admin'] });

    const me = await t.request('GET', '/api/auth/me', { token: body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(body.user);
  });

  it('refuses a wrong password and an unknown user with the same 401', async () => {
    const wrong = await t.request('POST', '/api/auth/login', { body: { username: 'admin', password: 'nope' } });
    const unknown = await t.request('POST', '/api/auth/login', { body: { username: 'ghost', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error).toEqual({ code: 'invalid_credentials', message: 'Invalid username or password' });
  });

  it('answers 422 with pointers for missing fields', async () => {
    const { status, body } = await t.request('POST', '/api/auth/login', { body: { username: '' } });
    expect(status).toBe(422);
    expect(body.error.details.map((d: { pointer: string }) => d.pointer).sort()).toEqual(['/password', '/username']);
  });

  it('sets an httpOnly session cookie the browser can use instead of the token', async () => {
    const response = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
    });
    const setCookie = response.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^lz_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(';')[0];

    const me = await fetch(`${t.url}/api/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect((await me.json()).username).toBe('admin');
  });

  it('rate-limits failed attempts per address and username with 429', async () => {
    const attempt = () => t.request('POST', '/api/auth/login', { body: { username: 'target', password: 'guess' } });
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++) expect((await attempt()).status).toBe(401);
    const blocked = await attempt();
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('too_many_requests');
    // Another account from the same address is not affected.
    expect((await t.request('POST', '/api/auth/login', { body: { username: 'admin', password: TEST_ADMIN_PASSWORD } })).status).toBe(200);
  });
});

describe('logout', () => {
  it('invalidates the token', async () => {
    const token = await t.login('admin', TEST_ADMIN_PASSWORD);
    expect((await t.request('POST', '/api/auth/logout', { token })).status).toBe(204);
    const me = await t.request('GET', '/api/auth/me', { token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('unauthorized');
  });
});

describe('role checks', () => {
  it('answers 401 without a token or with a made-up one', async () => {
    for (const [method, path] of [
      ['GET', '/api/auth/me'],
      ['GET', '/api/users'],
      ['GET', '/api/departments'],
      ['GET', '/api/forms'],
      ['POST', '/api/forms'],
      ['GET', '/api/forms/x/records'],
    ]) {
      expect((await t.request(method, path)).status, `${method} ${path}`).toBe(401);
    }
    expect((await t.request('GET', '/api/auth/me', { token: 'x'.repeat(43) })).status).toBe(401);
  });

  it('answers 403 to staff for admin-only endpoints', async () => {
    const staff = await createStaff('roles_staff');
    const form = { key: 'staff_form', title: 'T', schema: { type: 'object' } };
    const attempts = [
      t.request('POST', '/api/forms', { token: staff, body: form }),
      t.request('POST', '/api/users', { token: staff, body: { username: 'x1', displayName: 'x', password: 'password1' } }),
      t.request('POST', '/api/departments', { token: staff, body: { code: 'x1', name: 'x' } }),
    ];
    for (const { status, body } of await Promise.all(attempts)) {
      expect(status).toBe(403);
      expect(body.error.code).toBe('forbidden');
    }
    // Reading stays open to every logged-in user.
    expect((await t.request('GET', '/api/forms', { token: staff })).status).toBe(200);
  });

  it('ends the sessions of a user an admin disables', async () => {
    const staff = await createStaff('to_disable');
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const me = await t.request('GET', '/api/auth/me', { token: staff });
    const patch = await t.request('PATCH', `/api/users/${me.body.id}`, { token: admin, body: { active: false } });
    expect(patch.status).toBe(200);
    expect((await t.request('GET', '/api/auth/me', { token: staff })).status).toBe(401);
    const relogin = await t.request('POST', '/api/auth/login', { body: { username: 'to_disable', password: 'staff-password' } });
    expect(relogin.status).toBe(401);
  });
});
