/** The inbox boxes (todo / done / started / cc), their filters, paging and badge counts, and CC. */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
const tokens: Record<string, string> = {};
const instances: string[] = [];

const box = (name: string, token: string, query = '') => t.request('GET', `/api/inbox/${name}${query}`, { token });
const counts = async (name: string) => (await t.request('GET', '/api/inbox/counts', { token: tokens[name] })).body;

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const username of ['alice', 'bob', 'carol']) {
    const created = await t.request('POST', '/api/users', {
      token: admin,
      body: { username, displayName: username, password: 'password-123', role: 'staff' },
    });
    expect(created.status).toBe(201);
    tokens[username] = await t.login(username, 'password-123');
  }
  // review: offered to alice, then assigned to bob.
  const xml = bpmn(`<process id="review" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="check" name="Check order" camunda:candidateUsers="alice"/>
    <userTask id="approve" name="Approve order" camunda:assignee="bob"/>
    <endEvent id="end"/>
    ${flow('start', 'check')}
    ${flow('check', 'approve')}
    ${flow('approve', 'end')}
  </process>`);
  expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
  for (const businessKey of ['ORD-1', 'ORD-2', 'ORD-3']) {
    const started = await t.request('POST', '/api/instances', { token: tokens.alice, body: { definitionKey: 'review', businessKey } });
    expect(started.status).toBe(201);
    instances.push(started.body.id);
  }
  // alice does the check of ORD-1: it moves to bob.
  const todo = await box('todo', tokens.alice!, '?q=ORD-1');
  expect(todo.body.items).toHaveLength(1);
  const done = await t.request('POST', `/api/tasks/${todo.body.items[0].taskId}/complete`, { token: tokens.alice, body: {} });
  expect(done.status).toBe(200);
});

describe('inbox', () => {
  it("lists the caller's todo, done and started boxes with what a list needs", async () => {
    const todo = await box('todo', tokens.alice!);
    expect(todo.status).toBe(200);
    expect(todo.body.total).toBe(2);
    expect(todo.body.items[0]).toMatchObject({
      taskId: expect.any(String),
      name: 'Check order',
      instanceId: instances[1],
      definitionKey: 'review',
      businessKey: 'ORD-2',
      createdAt: expect.any(String),
      endedAt: null,
      assignee: null,
    });
    const done = await box('done', tokens.alice!);
    expect(done.body).toMatchObject({ total: 1, items: [{ name: 'Check order', businessKey: 'ORD-1', endedAt: expect.any(String) }] });
    const started = await box('started', tokens.alice!);
    expect(started.body.total).toBe(3);
    expect(started.body.items.map((item: any) => item.businessKey)).toEqual(['ORD-3', 'ORD-2', 'ORD-1']);

    const bob = await box('todo', tokens.bob!);
    expect(bob.body).toMatchObject({ total: 1, items: [{ name: 'Approve order', assignee: 'bob', businessKey: 'ORD-1' }] });
    expect((await box('todo', tokens.carol!)).body).toEqual({ items: [], total: 0 });
  });

  it('pages with a stable total and filters by definition key and text', async () => {
    const second = await box('started', tokens.alice!, '?pageSize=2&page=2');
    expect(second.body.total).toBe(3);
    expect(second.body.items.map((item: any) => item.businessKey)).toEqual(['ORD-1']);
    expect((await box('todo', tokens.alice!, '?pageSize=1')).body.items).toHaveLength(1);
    // The total rides on the page's rows; a page past the end still knows it (store/inbox.ts).
    const todoSecond = await box('todo', tokens.alice!, '?pageSize=1&page=2');
    expect(todoSecond.body).toMatchObject({ total: 2, items: [{ businessKey: 'ORD-3' }] });
    expect((await box('todo', tokens.alice!, '?pageSize=1&page=5')).body).toEqual({ items: [], total: 2 });
    expect((await box('done', tokens.alice!, '?page=3')).body).toEqual({ items: [], total: 1 });
    expect((await box('started', tokens.alice!, '?pageSize=2&page=9')).body).toEqual({ items: [], total: 3 });
    expect((await box('todo', tokens.alice!, '?pageSize=1&page=9&q=ord')).body).toEqual({ items: [], total: 2 });
    expect((await box('todo', tokens.alice!, '?q=ord-3')).body.total).toBe(1);
    expect((await box('todo', tokens.alice!, '?q=check')).body.total).toBe(2);
    expect((await box('todo', tokens.alice!, '?q=%25')).body.total).toBe(0);
    expect((await box('started', tokens.alice!, '?definitionKey=other')).body.total).toBe(0);
    expect((await box('started', tokens.alice!, '?definitionKey=review')).body.total).toBe(3);
    expect((await box('todo', tokens.alice!, '?pageSize=101')).status).toBe(422);
    expect((await box('bogus', tokens.alice!)).status).toBe(404);
    expect((await t.request('GET', '/api/inbox/todo')).status).toBe(401);
  });

  it('sends CC entries, counts unread ones and marks them read', async () => {
    expect(await counts('alice')).toEqual({ todo: 2, done: 1, started: 3, cc: 0 });
    // carol has nothing to do with the instance; bob has its open task.
    expect((await t.request('POST', `/api/instances/${instances[0]}/cc`, { token: tokens.carol, body: { usernames: ['alice'] } })).status).toBe(403);
    const unknown = await t.request('POST', `/api/instances/${instances[0]}/cc`, { token: tokens.bob, body: { usernames: ['alice', 'nobody'] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details[0].pointer).toBe('/usernames/1');
    const sent = await t.request('POST', `/api/instances/${instances[0]}/cc`, {
      token: tokens.bob,
      body: { usernames: ['alice', 'carol'], comment: 'FYI' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.items).toHaveLength(2);

    const cc = await box('cc', tokens.alice!);
    expect(cc.body).toMatchObject({ total: 1, items: [{ instanceId: instances[0], businessKey: 'ORD-1', from: 'bob', comment: 'FYI', readAt: null }] });
    expect(await counts('alice')).toEqual({ todo: 2, done: 1, started: 3, cc: 1 });
    // carol, now CC'd, may see the instance and pass it on.
    expect((await t.request('POST', `/api/instances/${instances[0]}/cc`, { token: tokens.carol, body: { usernames: ['alice'] } })).status).toBe(201);
    expect((await counts('alice')).cc).toBe(2);

    const entryId = cc.body.items[0].id;
    expect((await t.request('POST', `/api/inbox/cc/${entryId}/read`, { token: tokens.carol })).status).toBe(404);
    const read = await t.request('POST', `/api/inbox/cc/${entryId}/read`, { token: tokens.alice });
    expect(read.body).toEqual({ id: entryId, readAt: expect.any(String) });
    expect((await counts('alice')).cc).toBe(1);
    expect((await box('cc', tokens.alice!)).body.total).toBe(2);
    expect(await counts('bob')).toEqual({ todo: 1, done: 0, started: 0, cc: 0 });
  });
});
