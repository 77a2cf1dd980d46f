/**
 * Login hardening (issue #10, finding 13): weak passwords were accepted (`password`,
 * `12345678`); the login limit was per address + username only, so one password tried on
 * many accounts was never slowed down; and X-Forwarded-For was believed from loopback, so a
 * locked-out client got fresh attempts by naming another address.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../helpers/database.ts';
import { readConfig } from '../../server/config.ts';
import { bootstrapData } from '../../server/bootstrap.ts';
import type { AppContext } from '../../server/context.ts';
import { LOGIN_ATTEMPTS_PER_MINUTE, LOGIN_FAILURES_PER_ADDRESS } from '../../server/routes/auth.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
});

function createUser(username: string, password: string) {
  return t.request('POST', '/api/users', { token: admin, body: { username, displayName: username, password } });
}

function login(username: string, password: string, headers: Record<string, string> = {}) {
  return fetch(`${t.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });
}

describe('password policy', () => {
  it('refuses weak passwords when an admin creates a user, naming each broken rule at /password', async () => {
    const weak: [string, string][] = [
      ['weak1', 'password'],
      ['weak2', '12345678'],
      ['weak3', 'abcdefgh'],
      ['weak4', 'Ab1!'], // too short: the body schema already says so
      ['zhaoliu', 'zhaoliu123'],
      ['weak5', 'P@ssw0rd'],
    ];
    for (const [username, password] of weak) {
      const response = await createUser(username, password);
      expect(response.status, password).toBe(422);
      expect(response.body.error.code, password).toBe(password === 'Ab1!' ? 'invalid_input' : 'weak_password');
      const messages = (response.body.error.details as { pointer: string; message: string }[]).filter((d) => d.pointer === '/password');
      expect(messages.length, password).toBeGreaterThan(0);
      expect((await t.request('GET', '/api/users', { token: admin })).body.some((u: { username: string }) => u.username === username)).toBe(false);
    }
  });

  it('names the rules in the caller’s language', async () => {
    const response = await fetch(`${t.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'accept-language': 'en' },
      body: JSON.stringify({ username: 'weak6', displayName: 'weak6', password: '12345678' }),
    });
    const body = (await response.json()) as any;
    expect(response.status).toBe(422);
    expect(body.error.code).toBe('weak_password');
    expect(body.error.details.map((d: { message: string }) => d.message)).toEqual([
      'must mix at least two kinds of characters (letters, digits, symbols, upper case)',
      'is one of the most common passwords',
    ]);
  });

  it('accepts a reasonable password, also one that contains the username among enough else', async () => {
    expect((await createUser('zhangsan', 'zhangsan-password')).status).toBe(201);
    expect((await createUser('ok_user', 'correct horse battery')).status).toBe(201);
  });

  it('refuses a weak password on change and keeps the old one', async () => {
    const created = await createUser('changer', 'first-password-1');
    expect(created.status).toBe(201);
    const patch = await t.request('PATCH', `/api/users/${created.body.id}`, { token: admin, body: { password: 'qwertyuiop' } });
    expect(patch.status).toBe(422);
    expect(patch.body.error.code).toBe('weak_password');
    expect((await login('changer', 'first-password-1')).status).toBe(200);
  });

  it('refuses to start with a weak ADMIN_PASSWORD', async () => {
    const database = await createTestDatabase();
    try {
      const config = { ...readConfig({ ADMIN_PASSWORD: '12345678', LIUZHUAN_LOAD_TEMPLATES: 'false' }), databaseUrl: database.url };
      await expect(bootstrapData({ db: database.db } as AppContext, config)).rejects.toThrow(/ADMIN_PASSWORD is too weak/);
      expect(Number((await database.db('users').count({ n: '*' }))[0]!.n)).toBe(0);
    } finally {
      await database.drop();
    }
  });
});

describe('login attempts', () => {
  it('does not believe X-Forwarded-For by default: a locked-out client cannot pick a new address', async () => {
    for (let i = 0; i < LOGIN_ATTEMPTS_PER_MINUTE; i++) expect((await login('zhangsan', 'wrong-guess')).status).toBe(401);
    expect((await login('zhangsan', 'wrong-guess')).status).toBe(429);
    const forged = await login('zhangsan', 'wrong-guess', { 'x-forwarded-for': '203.0.113.7' });
    expect(forged.status).toBe(429);
  });

  it('limits failed logins from one address across usernames (one password tried on many accounts)', async () => {
    // The attempts above already count against this address.
    let blockedAt = 0;
    for (let i = 1; i <= LOGIN_FAILURES_PER_ADDRESS + 5 && !blockedAt; i++) {
      const response = await login(`sprayed${i}`, 'Spring2026!');
      if (response.status === 429) blockedAt = i;
      else expect(response.status).toBe(401);
    }
    expect(blockedAt).toBeGreaterThan(0);
    expect(blockedAt).toBeLessThanOrEqual(LOGIN_FAILURES_PER_ADDRESS);
    const blocked = await login('ok_user', 'correct horse battery');
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as any).error.code).toBe('too_many_requests');
  });
});
