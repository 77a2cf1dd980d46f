import { beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../../engine/identity/password.ts';
import { bootstrapData } from '../../server/bootstrap.ts';
import { readConfig } from '../../server/config.ts';
import { createTestDatabase } from '../helpers/database.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
});

describe('users and departments', () => {
  it('creates a department with a head and members; members get its code as a group', async () => {
    const head = await t.request('POST', '/api/users', {
      token: admin,
      body: { username: 'org_head', displayName: '部门经理', password: 'password-1', email: 'head@example.com' },
    });
    expect(head.status).toBe(201);
    expect(head.body).toMatchObject({ username: 'org_head', role: 'staff', active: true, departmentIds: [] });
    expect(head.body).not.toHaveProperty('passwordHash');

    const department = await t.request('POST', '/api/departments', {
      token: admin,
      body: { code: 'quality', name: '质量部', nameEn: 'Quality', headUserId: head.body.id },
    });
    expect(department.status).toBe(201);
    expect(department.body).toMatchObject({ code: 'quality', headUserId: head.body.id, memberIds: [] });

    const member = await t.request('POST', '/api/users', {
      token: admin,
      body: { username: 'org_member', displayName: '质检员', password: 'password-2', departmentIds: [department.body.id] },
    });
    expect(member.body.departmentIds).toEqual([department.body.id]);

    const members = await t.request('PUT', `/api/departments/${department.body.id}/members`, {
      token: admin,
      body: { userIds: [head.body.id, member.body.id] },
    });
    expect(members.status).toBe(200);
    expect(members.body.memberIds.sort()).toEqual([head.body.id, member.body.id].sort());

    const token = await t.login('org_head', 'password-1');
    const me = await t.request('GET', '/api/auth/me', { token });
    expect(me.body).toMatchObject({ departmentIds: [department.body.id], groups: ['staff', 'quality'] });

    const list = await t.request('GET', '/api/departments', { token });
    expect(list.body.find((d: { code: string }) => d.code === 'quality').name).toBe('质量部');
  });

  it('changes a department’s head, names and parent, refusing a cycle with nothing changed', async () => {
    const post = (body: unknown) => t.request('POST', '/api/departments', { token: admin, body });
    const patch = (id: string, body: unknown, token = admin) => t.request('PATCH', `/api/departments/${id}`, { token, body });
    const group = (await post({ code: 'group_hq', name: '集团' })).body;
    const branch = (await post({ code: 'branch', name: '分部', parentId: group.id })).body;
    const boss = (await t.request('POST', '/api/users', { token: admin, body: { username: 'branch_boss', displayName: '分部经理', password: 'password-9' } })).body;

    const changed = await patch(branch.id, { headUserId: boss.id, name: '华东分部', nameEn: 'East' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ headUserId: boss.id, name: '华东分部', nameEn: 'East', parentId: group.id });

    const cycle = await patch(group.id, { parentId: branch.id });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error.details[0].pointer).toBe('/parentId');
    const self = await patch(group.id, { parentId: group.id });
    expect(self.status).toBe(422);
    const unknown = await patch(branch.id, { code: 'renamed' });
    expect(unknown.status).toBe(422);
    expect((await patch('00000000-0000-4000-8000-000000000000', { name: 'x' })).status).toBe(404);
    const staff = await t.login('branch_boss', 'password-9');
    expect((await patch(branch.id, { name: 'mine' }, staff)).status).toBe(403);

    const after = (await t.request('GET', '/api/departments', { token: admin })).body;
    expect(after.find((d: { id: string }) => d.id === group.id).parentId).toBeNull();
    expect(after.find((d: { id: string }) => d.id === branch.id).name).toBe('华东分部');
  });

  it('validates input with pointers and reports duplicates as 409', async () => {
    const bad = await t.request('POST', '/api/users', { token: admin, body: { username: 'A B', password: 'short', role: 'root' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { pointer: string }) => d.pointer).sort()).toEqual(['/displayName', '/password', '/role', '/username']);

    const dup = await t.request('POST', '/api/users', { token: admin, body: { username: 'admin', displayName: 'x', password: 'password-3' } });
    expect(dup.status).toBe(409);

    const engineName = await t.request('POST', '/api/users', { token: admin, body: { username: 'system', displayName: 'x', password: 'password-3' } });
    expect(engineName.status).toBe(422);
    expect(engineName.body.error.details[0].pointer).toBe('/username');

    const reserved = await t.request('POST', '/api/departments', { token: admin, body: { code: 'admin', name: 'x' } });
    expect(reserved.status).toBe(422);
    expect(reserved.body.error.details[0].pointer).toBe('/code');

    const unknownHead = await t.request('POST', '/api/departments', {
      token: admin,
      body: { code: 'ghosts', name: 'x', headUserId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknownHead.status).toBe(422);
    expect(unknownHead.body.error.details[0].pointer).toBe('/headUserId');

    const departments = await t.request('GET', '/api/departments', { token: admin });
    const quality = departments.body.find((d: { code: string }) => d.code === 'quality');
    const unknownMember = await t.request('PUT', `/api/departments/${quality.id}/members`, {
      token: admin,
      body: { userIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(unknownMember.status).toBe(422);
    expect(unknownMember.body.error.details[0].pointer).toBe('/userIds/0');
    expect((await t.request('PUT', '/api/departments/nope/members', { token: admin, body: { userIds: [] } })).status).toBe(404);
  });

  it('changes a user, and refuses to remove the last active admin', async () => {
    const me = await t.request('GET', '/api/auth/me', { token: admin });
    const demote = await t.request('PATCH', `/api/users/${me.body.id}`, { token: admin, body: { role: 'staff' } });
    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('last_admin');
    expect((await t.request('GET', '/api/auth/me', { token: admin })).body.role).toBe('admin');

    const users = await t.request('GET', '/api/users', { token: admin });
    const member = users.body.find((u: { username: string }) => u.username === 'org_member');
    const changed = await t.request('PATCH', `/api/users/${member.id}`, {
      token: admin,
      body: { displayName: '高级质检员', locale: 'en', password: 'new-password' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ displayName: '高级质检员', locale: 'en' });
    expect(await t.login('org_member', 'new-password')).toBeTruthy();
    expect((await t.request('PATCH', '/api/users/00000000-0000-4000-8000-000000000000', { token: admin, body: {} })).status).toBe(404);
  });
});

describe('first start', () => {
  it('creates the admin once: bootstrapping again adds no user and prints nothing', async () => {
    const before = await t.server.ctx.db('users').count({ count: '*' });
    const print = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const config = readConfig({ ADMIN_PASSWORD: 'another-password', LIUZHUAN_LOAD_TEMPLATES: 'false' });
      await bootstrapData(t.server.ctx, config);
      await bootstrapData(t.server.ctx, config);
      expect(print).not.toHaveBeenCalled();
    } finally {
      print.mockRestore();
    }
    expect(await t.server.ctx.db('users').count({ count: '*' })).toEqual(before);
    expect(await t.server.ctx.db('users').where({ username: 'admin' }).count({ count: '*' })).toEqual([{ count: 1 }]);
    // The stored password is not replaced by a later ADMIN_PASSWORD.
    expect(await t.login('admin', TEST_ADMIN_PASSWORD)).toBeTruthy();
  });
});

describe('first start without ADMIN_PASSWORD', () => {
  it('generates a password, prints it once, and creates one admin even when two nodes start together', async () => {
    const database = await createTestDatabase();
    // Bootstrap only touches the database: the running server's context over a fresh one.
    const ctx = { ...t.server.ctx, db: database.db };
    const print = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const config = readConfig({ LIUZHUAN_LOAD_TEMPLATES: 'false' });
      await Promise.all([bootstrapData(ctx, config), bootstrapData(ctx, config)]);
      expect(print).toHaveBeenCalledTimes(1);
      const password = /password: (\S+)/.exec(String(print.mock.calls[0][0]))![1];
      const admins = await database.db('users').where({ username: 'admin' });
      expect(admins).toHaveLength(1);
      expect(admins[0]).toMatchObject({ role: 'admin', display_name: '系统管理员' });
      expect(await verifyPassword(password, admins[0].password_hash)).toBe(true);

      await bootstrapData(ctx, config);
      expect(print).toHaveBeenCalledTimes(1);
    } finally {
      print.mockRestore();
      await database.drop();
    }
  });
});
