/**
 * The notification centre's server side over real HTTP, Postgres and socket.io: a node
 * reminder (`<liuzhuan:timeout remindAfter>`, fired by an admin running the due job) reaches
 * the assignee's socket live and their list; the unread count the bell shows; marking one
 * and all read, which the reader's other tabs hear live (`notification.read`); someone else's
 * notification answers 404 and is left alone; paging is bounded.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';
import { awaitSentinel, useSockets, type Received } from '../helpers/sockets.ts';

const t = useTestServer();
const clients = useSockets(() => t.url);
const tokens: Record<string, string> = {};
const sockets: Record<string, Received[]> = {};

const as = (user: string) => ({
  get: (path: string) => t.request('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.request('POST', path, { token: tokens[user], body }),
});

/** One task for ${handler}, with a reminder after 4 hours. */
const reminded = bpmn(`<process id="reminded" name="Reminded" isExecutable="true">
  <startEvent id="s"/>
  <userTask id="handle" name="Handle" camunda:assignee="\${handler}">
    <extensionElements><liuzhuan:timeout remindAfter="PT4H"/></extensionElements>
  </userTask>
  <endEvent id="e"/>
  ${flow('s', 'handle')}${flow('handle', 'e')}
</process>`);

/** Starts `reminded` for `handler` and fires its reminder now, as an admin can; returns the task id. */
async function remind(handler: string): Promise<string> {
  const started = await as('admin').post('/api/instances', { definitionKey: 'reminded', variables: { handler } });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const [task] = (await as('admin').get(`/api/tasks?instanceId=${started.body.id}`)).body;
  const jobs = (await as('admin').get(`/api/jobs?instanceId=${started.body.id}`)).body as Array<{ id: string; type: string }>;
  const job = jobs.find((candidate) => candidate.type === 'task:remind');
  expect(job, JSON.stringify(jobs)).toBeDefined();
  const fired = await as('admin').post(`/api/jobs/${job!.id}/execute`);
  expect(fired.status, JSON.stringify(fired.body)).toBe(200);
  return task.id;
}

beforeAll(async () => {
  tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const username of ['bob', 'carol']) {
    const created = await as('admin').post('/api/users', { username, displayName: username, password: `${username}-password`, role: 'staff' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens[username] = await t.login(username, `${username}-password`);
    sockets[username] = (await clients.connect({ token: tokens[username] })).received;
  }
  const deployed = await as('admin').post('/api/definitions', { xml: reminded });
  expect(deployed.status, JSON.stringify(deployed.body)).toBe(201);
});

describe('a reminder in the notification centre', () => {
  let first: { id: string; link: string };

  it('arrives live on the assignee socket only, linking to the task, and counts as unread', async () => {
    const taskId = await remind('bob');
    const event = await eventually(() => sockets.bob!.find((item) => item.type === 'notification'), { message: "bob's notification event" });
    expect(event.payload).toMatchObject({ username: 'bob', link: `/tasks/${taskId}`, readAt: null });
    // One language, the reader's (bob's locale is the default zh-CN); the duration in words.
    expect(event.payload.title).toBe('任务即将超时：Handle');
    expect(event.payload.body).toMatch(/^您的待办「Handle」已等待 4 小时，将于 .+ 超时，请及时处理。$/);
    await awaitSentinel(t, tokens.admin!, 'carol', sockets.carol!);
    expect(sockets.carol!.filter((item) => item.type === 'notification')).toEqual([]);

    const listed = await as('bob').get('/api/notifications');
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({ total: 1, unread: 1 });
    expect(listed.body.items[0]).toMatchObject({ id: event.payload.id, link: `/tasks/${taskId}`, readAt: null });
    first = { id: event.payload.id, link: event.payload.link };
  });

  it('lists newest first; unread=true and the count follow marking one read', async () => {
    const second = await remind('bob');
    const third = await remind('bob');
    await remind('carol');
    const listed = (await as('bob').get('/api/notifications')).body;
    expect(listed).toMatchObject({ total: 3, unread: 3 });
    expect(listed.items.map((item: { link: string }) => item.link)).toEqual([`/tasks/${third}`, `/tasks/${second}`, first.link]);

    const read = await as('bob').post(`/api/notifications/${first.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: first.id, readAt: expect.any(String) });
    // Bob's other tabs (his socket) hear it with the new count; nobody else does.
    const heard = await eventually(() => sockets.bob!.find((item) => item.type === 'notification.read'), { message: "bob's notification.read" });
    expect(heard.payload).toEqual({ username: 'bob', notificationId: first.id, readAt: read.body.readAt, unread: 2 });
    await awaitSentinel(t, tokens.admin!, 'carol', sockets.carol!);
    expect(sockets.carol!.filter((item) => item.type === 'notification.read')).toEqual([]);
    expect((await as('bob').get('/api/notifications')).body).toMatchObject({ total: 3, unread: 2 });
    const unread = (await as('bob').get('/api/notifications?unread=true')).body;
    expect(unread).toMatchObject({ total: 2, unread: 2 });
    expect(unread.items.map((item: { id: string }) => item.id)).not.toContain(first.id);
    // Marking it again keeps the first read time.
    expect((await as('bob').post(`/api/notifications/${first.id}/read`)).body.readAt).toBe(read.body.readAt);
  });

  it("answers 404 for someone else's notification and for no notification, and changes nothing", async () => {
    const carols = (await as('carol').get('/api/notifications')).body;
    expect(carols).toMatchObject({ total: 1, unread: 1 });
    const bobsUnread = (await as('bob').get('/api/notifications?unread=true')).body.items[0];
    for (const [user, id] of [
      ['carol', bobsUnread.id],
      ['bob', carols.items[0].id],
      ['bob', '00000000-0000-4000-8000-000000000000'],
      ['bob', 'not-a-uuid'],
    ] as const) {
      const answer = await as(user).post(`/api/notifications/${id}/read`);
      expect(answer.status, `${user} ${id}`).toBe(404);
      expect(answer.body.error.code).toBe('not_found');
    }
    expect((await as('bob').get('/api/notifications')).body.unread).toBe(2);
    expect((await as('carol').get('/api/notifications')).body.unread).toBe(1);
  });

  it("marks all of the caller's notifications read, and only theirs", async () => {
    const all = await as('bob').post('/api/notifications/read-all');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ marked: 2, unread: 0 });
    const heard = await eventually(() => sockets.bob!.find((item) => item.type === 'notification.read' && item.payload.notificationId === null), {
      message: "bob's notification.read of all",
    });
    expect(heard.payload).toEqual({ username: 'bob', notificationId: null, readAt: expect.any(String), unread: 0 });
    const listed = (await as('bob').get('/api/notifications')).body;
    expect(listed).toMatchObject({ total: 3, unread: 0 });
    expect(listed.items.every((item: { readAt: string | null }) => item.readAt)).toBe(true);
    expect((await as('carol').get('/api/notifications')).body).toMatchObject({ total: 1, unread: 1 });
    expect((await as('bob').post('/api/notifications/read-all')).body).toEqual({ marked: 0, unread: 0 });
  });
});

describe('the built-in reminder in its reader\'s language', () => {
  it('reads all English for a user whose locale is en', async () => {
    const created = await as('admin').post('/api/users', { username: 'dave', displayName: 'dave', password: 'dave-password', role: 'staff', locale: 'en' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens.dave = await t.login('dave', 'dave-password');
    const taskId = await remind('dave');
    const [item] = (await as('dave').get('/api/notifications')).body.items;
    expect(item).toMatchObject({ title: 'Task due soon: Handle', link: `/tasks/${taskId}` });
    expect(item.body).toMatch(/^Your task "Handle" has been waiting for 4 hours and times out at .+\. Please handle it\.$/);
    expect(item.title + item.body).not.toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('paging', () => {
  it('pages with limit and offset', async () => {
    const page1 = (await as('bob').get('/api/notifications?limit=2')).body;
    const page2 = (await as('bob').get('/api/notifications?limit=2&offset=2')).body;
    expect(page1.items).toHaveLength(2);
    expect(page2.items).toHaveLength(1);
    expect(page1.total).toBe(3);
    expect(new Set([...page1.items, ...page2.items].map((item: { id: string }) => item.id)).size).toBe(3);
  });

  it('refuses a limit or offset out of bounds with 422 naming the parameter', async () => {
    for (const [query, pointer] of [
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['offset=-1', 'offset'],
      ['offset=1.5', 'offset'],
      ['offset=1000001', 'offset'],
    ]) {
      const answer = await as('bob').get(`/api/notifications?${query}`);
      expect(answer.status, query).toBe(422);
      expect(answer.body.error.details).toEqual([{ pointer, message: expect.any(String) }]);
    }
  });
});
