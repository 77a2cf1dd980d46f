/** `GET /api/instances` — the admin's instance list: filters, stable paging, who may ask. */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin = '';
let staff = '';
const waiting: string[] = [];
const finished: string[] = [];

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const created = await t.request('POST', '/api/users', {
    token: admin,
    body: { username: 'clerk', displayName: 'Clerk', password: 'clerk-password' },
  });
  expect(created.status).toBe(201);
  staff = await t.login('clerk', 'clerk-password');

  const deploy = async (xml: string) => expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
  await deploy(bpmn(`<process id="waits" name="等待审批" isExecutable="true"><startEvent id="s"/><userTask id="u"/>${flow('s', 'u')}</process>`));
  await deploy(bpmn(`<process id="passes" isExecutable="true"><startEvent id="s"/><endEvent id="e"/>${flow('s', 'e')}</process>`));
  for (let i = 0; i < 5; i += 1) {
    const started = await t.request('POST', '/api/instances', { token: admin, body: { definitionKey: 'waits', businessKey: `W-${i}` } });
    expect(started.status).toBe(201);
    waiting.push(started.body.id);
  }
  for (let i = 0; i < 3; i += 1) {
    const started = await t.request('POST', '/api/instances', { token: staff, body: { definitionKey: 'passes' } });
    expect(started.status).toBe(201);
    finished.push(started.body.id);
  }
});

const list = async (query: string, token = admin) => t.request('GET', `/api/instances${query}`, { token });

describe('GET /api/instances', () => {
  it('lists every instance newest first with its definition, starter and times', async () => {
    const { status, body } = await list('');
    expect(status).toBe(200);
    expect(body.total).toBe(8);
    expect(body.items).toHaveLength(8);
    // The last started instance comes first.
    expect(body.items[0]).toMatchObject({ id: finished[2], definitionKey: 'passes', status: 'completed', startedBy: 'clerk' });
    expect(body.items[0].endedAt).toEqual(expect.any(String));
    const first = body.items.find((item: any) => item.id === waiting[0]);
    expect(first).toMatchObject({
      definitionKey: 'waits',
      definitionName: '等待审批',
      definitionVersion: 1,
      status: 'active',
      businessKey: 'W-0',
      startedBy: 'admin',
      endedAt: null,
    });
    expect(Date.parse(first.startedAt)).not.toBeNaN();
  });

  it('pages without gaps or repeats, and the total does not change with the page', async () => {
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const { status, body } = await list(`?pageSize=3&page=${page}`);
      expect(status).toBe(200);
      expect(body.total).toBe(8);
      expect(body.items.length).toBe(page < 3 ? 3 : 2);
      seen.push(...body.items.map((item: any) => item.id));
    }
    expect(new Set(seen).size).toBe(8);
    expect(new Set(seen)).toEqual(new Set([...waiting, ...finished]));
    const beyond = await list('?pageSize=3&page=4');
    expect(beyond.body).toMatchObject({ items: [], total: 8 });
  });

  it('filters by status and by definition key, alone and together', async () => {
    const completed = await list('?status=completed');
    expect(completed.body.total).toBe(3);
    expect(completed.body.items.map((item: any) => item.id).sort()).toEqual([...finished].sort());

    const waits = await list('?definitionKey=waits&pageSize=2');
    expect(waits.body.total).toBe(5);
    expect(waits.body.items).toHaveLength(2);
    expect(waits.body.items.every((item: any) => item.definitionKey === 'waits' && item.status === 'active')).toBe(true);

    expect((await list('?definitionKey=waits&status=completed')).body).toEqual({ items: [], total: 0, page: 1, pageSize: 20 });
    expect((await list('?definitionKey=nothing')).body.total).toBe(0);
  });

  it('refuses a bad status or paging with 422 naming the parameter', async () => {
    const bad = await list('?status=running');
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual([{ pointer: 'status', message: expect.stringContaining('active') }]);
    const size = await list('?pageSize=1000');
    expect(size.status).toBe(422);
    expect(size.body.error.details[0].pointer).toBe('pageSize');
    expect((await list('?page=0')).status).toBe(422);
  });

  it('is for admins: 403 for staff, 401 without a login', async () => {
    const forbidden = await list('', staff);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.items).toBeUndefined();
    expect((await t.request('GET', '/api/instances')).status).toBe(401);
  });
});
