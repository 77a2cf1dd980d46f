/**
 * Notifications over real HTTP, Postgres and socket.io: message templates (save-time
 * compile, 422), in-app delivery to exactly the named user's socket and list, escaping,
 * marking read, and e-mail / chat robot as effect jobs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../../engine/notifications/notify.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';
import { awaitSentinel, useSockets } from '../helpers/sockets.ts';

const t = useTestServer();
const clients = useSockets(() => t.url);
const connect = async (token: string) => (await clients.connect({ token })).received;
let admin: string;
const tokens: Record<string, string> = {};

const deps = () => ({ db: t.server.ctx.db, events: t.server.ctx.events });

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const name of ['alice', 'bob']) {
    const created = await t.request('POST', '/api/users', {
      token: admin,
      body: { username: name, displayName: name, password: 'password-123', role: 'staff', email: `${name}@example.com` },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens[name] = await t.login(name, 'password-123');
  }
});

describe('message templates', () => {
  it('saves, reads and lists a template; admins only', async () => {
    const body = { channel: 'inApp', subject: '新抱怨：{{customer}}', body: '<p>{{description}}</p>' };
    const saved = await t.request('PUT', '/api/templates/messages/complaint_received', { token: admin, body });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body).toMatchObject({ key: 'complaint_received', channel: 'inApp' });
    expect((await t.request('GET', '/api/templates/messages/complaint_received', { token: admin })).body.body).toBe(body.body);
    expect((await t.request('GET', '/api/templates/messages', { token: admin })).body).toHaveLength(1);
    expect((await t.request('PUT', '/api/templates/messages/x', { token: tokens.alice, body })).status).toBe(403);
    expect((await t.request('GET', '/api/templates/messages/none', { token: admin })).status).toBe(404);
  });

  it('answers 422 with the handlebars message for a template that does not compile', async () => {
    const bad = await t.request('PUT', '/api/templates/messages/bad', { token: admin, body: { channel: 'inApp', body: 'hello\n{{#if x}}oops{{/each}}' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('invalid_template');
    expect(bad.body.error.details[0].pointer).toBe('/body');
    expect(bad.body.error.details[0].message).toMatch(/if doesn't match each/);
    const raw = await t.request('PUT', '/api/templates/messages/raw', { token: admin, body: { channel: 'inApp', body: '{{{description}}}' } });
    expect(raw.status).toBe(422);
  });
});

describe('in-app notifications', () => {
  it('reach the named user’s socket and list, escaped; another user gets nothing', async () => {
    const alice = await connect(tokens.alice!);
    const bob = await connect(tokens.bob!);
    const result = await notify(deps(), {
      template: 'complaint_received',
      to: ['alice', 'ghost'],
      data: { customer: 'ACME', description: '<script>alert(1)</script>' },
      link: '/forms/complaint/records/1',
    });
    expect(result).toMatchObject({ channel: 'inApp', delivered: ['alice'], skipped: ['ghost'] });

    const event = await eventually(() => alice.find((item) => item.type === 'notification'), { message: 'notification on alice' });
    expect(event.payload).toMatchObject({ username: 'alice', title: '新抱怨：ACME', body: '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>' });
    await awaitSentinel(t, admin, 'bob', bob);
    expect(bob.filter((item) => item.type === 'notification')).toEqual([]);

    const mine = await t.request('GET', '/api/notifications', { token: tokens.alice });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ total: 1, unread: 1 });
    expect(mine.body.items[0]).toMatchObject({ id: event.payload.id, link: '/forms/complaint/records/1', readAt: null });
    expect((await t.request('GET', '/api/notifications', { token: tokens.bob })).body).toMatchObject({ total: 0, items: [] });

    // Bob cannot mark Alice's notification read; Alice can.
    expect((await t.request('POST', `/api/notifications/${event.payload.id}/read`, { token: tokens.bob })).status).toBe(404);
    const read = await t.request('POST', `/api/notifications/${event.payload.id}/read`, { token: tokens.alice });
    expect(read.status).toBe(200);
    expect(read.body.readAt).toBeTruthy();
    expect((await t.request('GET', '/api/notifications?unread=true', { token: tokens.alice })).body).toMatchObject({ total: 0, unread: 0 });
  });

  it('lists newest first with paging', async () => {
    for (const n of [1, 2, 3]) await notify(deps(), { template: 'complaint_received', to: ['bob'], data: { customer: `C${n}`, description: 'd' } });
    const page1 = await t.request('GET', '/api/notifications?limit=2', { token: tokens.bob });
    expect(page1.body.total).toBe(3);
    expect(page1.body.items.map((item: { title: string }) => item.title)).toEqual(['新抱怨：C3', '新抱怨：C2']);
    const page2 = await t.request('GET', '/api/notifications?limit=2&offset=2', { token: tokens.bob });
    expect(page2.body.items.map((item: { title: string }) => item.title)).toEqual(['新抱怨：C1']);
  });
});

describe('e-mail and chat robot notifications', () => {
  it('become effect jobs carrying the rendered text', async () => {
    await t.request('PUT', '/api/templates/messages/mail', { token: admin, body: { channel: 'email', subject: 'Hi {{name}}', body: 'Dear {{name}}, {{{note}}}' } });
    await t.request('PUT', '/api/templates/messages/robot', {
      token: admin,
      body: { channel: 'chatRobot', subject: '抱怨', body: '## {{customer}}', config: { provider: 'wecom', url: 'http://127.0.0.1:9/robot' } },
    });
    const mail = await notify(deps(), { template: 'mail', to: ['alice', 'bob'], data: { name: '<A>', note: '{{secret}}' } });
    const robot = await notify(deps(), { template: 'robot', to: ['alice'], data: { customer: 'ACME {{x}}' } });
    const jobs = await t.server.ctx.db('jobs').whereIn('id', [...mail.jobIds, ...robot.jobIds]);
    expect(jobs).toHaveLength(3);
    const alice = jobs.find((job) => job.payload.variables.to === 'alice@example.com')!;
    expect(alice.type).toBe('effect:email');
    // Rendered once, as plain text; the effect's own template only points at the variables.
    expect(alice.payload.variables).toMatchObject({ subject: 'Hi <A>', body: 'Dear <A>, {{secret}}' });
    expect(alice.payload.config).toMatchObject({ to: '{{to}}', subject: '{{subject}}', text: '{{body}}' });
    const robotJob = jobs.find((job) => job.type === 'effect:chatRobot')!;
    expect(robotJob.payload.config).toMatchObject({ provider: 'wecom', url: 'http://127.0.0.1:9/robot', content: '{{body}}' });
    expect(robotJob.payload.variables.body).toBe('## ACME {{x}}');
  });
});
