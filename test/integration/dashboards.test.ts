/**
 * Dashboards over HTTP: admins create, change and delete them; sharing decides who else may
 * open one (user, role, department, everyone; 404 for the rest); a stale save loses with 409;
 * a widget query that cannot run is refused at save time with a pointer into the widget;
 * the process heat map counts a definition's node visits and lists the instances behind one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
const tokens: Record<string, string> = {};
const call = (user: string, method: string, path: string, body?: unknown) => t.request(method, path, { token: tokens[user], body });
let departmentId = '';

const widget = (id: string, query: unknown) => ({ id, type: 'bar', title: { 'zh-CN': '数量', en: 'Count' }, query, layout: { x: 0, y: 0, w: 4, h: 3 } });
const countByCategory = { source: { kind: 'records', formKey: 'note' }, dimensions: [{ field: 'category' }], measures: [{ agg: 'count' }] };

beforeAll(async () => {
  tokens.admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const username of ['bob', 'carol', 'dave']) {
    expect((await call('admin', 'POST', '/api/users', { username, displayName: username, password: `${username}-password-1`, role: 'staff' })).status).toBe(201);
    tokens[username] = await t.login(username, `${username}-password-1`);
  }
  const department = await call('admin', 'POST', '/api/departments', { code: 'ops', name: '运营部' });
  expect(department.status).toBe(201);
  departmentId = department.body.id;
  const users = (await call('admin', 'GET', '/api/users')).body;
  const dave = (users.items ?? users).find((user: { username: string }) => user.username === 'dave');
  expect((await call('admin', 'PUT', `/api/departments/${departmentId}/members`, { userIds: [dave.id] })).status).toBe(200);
  tokens.dave = await t.login('dave', 'dave-password-1');
  const form = await call('admin', 'POST', '/api/forms', {
    key: 'note', title: '便签', schema: { type: 'object', properties: { category: { type: 'string' }, n: { type: 'number' } } },
  });
  expect(form.status).toBe(201);
  for (const category of ['a', 'a', 'b']) expect((await call('admin', 'POST', '/api/forms/note/records', { data: { category } })).status).toBe(201);
});

describe('dashboards', () => {
  let id = '';
  let version = 0;

  it('an admin creates one; staff may not', async () => {
    const body = { title: { 'zh-CN': '运营看板', en: 'Operations' }, widgets: [widget('w1', countByCategory)], sharing: { users: ['bob'] } };
    expect((await call('bob', 'POST', '/api/dashboards', body)).status).toBe(403);
    const created = await call('admin', 'POST', '/api/dashboards', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: { 'zh-CN': '运营看板' }, version: 1, createdBy: 'admin', sharing: { users: ['bob'], roles: [], departments: [], everyone: false } });
    ({ id, version } = created.body);
  });

  it('is visible to those it is shared with, 404 to the rest', async () => {
    expect((await call('bob', 'GET', `/api/dashboards/${id}`)).status).toBe(200);
    expect((await call('carol', 'GET', `/api/dashboards/${id}`)).status).toBe(404);
    expect((await call('carol', 'GET', '/api/dashboards')).body.items).toEqual([]);
    expect((await call('dave', 'GET', `/api/dashboards/${id}`)).status).toBe(404);
  });

  it('a save from a stale version loses with 409; sharing by department and role', async () => {
    const current = (await call('admin', 'GET', `/api/dashboards/${id}`)).body;
    const next = { title: current.title, widgets: current.widgets, filters: current.filters, version, sharing: { departments: [departmentId] } };
    const first = await call('admin', 'PUT', `/api/dashboards/${id}`, next);
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(version + 1);
    const second = await call('admin', 'PUT', `/api/dashboards/${id}`, { ...next, sharing: { everyone: true } });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('dashboard_changed');
    expect((await call('dave', 'GET', `/api/dashboards/${id}`)).status).toBe(200);
    expect((await call('bob', 'GET', `/api/dashboards/${id}`)).status).toBe(404);
    const byRole = await call('admin', 'PUT', `/api/dashboards/${id}`, { ...next, version: version + 1, sharing: { roles: ['staff'] } });
    expect(byRole.status).toBe(200);
    expect((await call('carol', 'GET', `/api/dashboards/${id}`)).status).toBe(200);
  });

  it('refuses widgets whose query cannot run, naming the widget and the part', async () => {
    const bad = await call('admin', 'POST', '/api/dashboards', {
      title: 'x',
      widgets: [widget('w1', countByCategory), widget('w2', { ...countByCategory, measures: [{ agg: 'sum', field: 'category' }] })],
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { pointer: string }) => d.pointer)).toEqual(['/widgets/1/query/measures/0/field']);
    const tooMany = await call('admin', 'POST', '/api/dashboards', {
      title: 'x', widgets: Array.from({ length: 41 }, (_v, i) => ({ id: `t${i}`, type: 'text', layout: { x: 0, y: i, w: 1, h: 1 } })),
    });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.error.details[0].pointer).toBe('/widgets');
    const twice = await call('admin', 'POST', '/api/dashboards', { title: 'x', widgets: [widget('w1', countByCategory), widget('w1', countByCategory)] });
    expect(twice.body.error.details[0].pointer).toBe('/widgets/1/id');
  });

  it('an admin deletes it', async () => {
    expect((await call('bob', 'DELETE', `/api/dashboards/${id}`)).status).toBe(403);
    expect((await call('admin', 'DELETE', `/api/dashboards/${id}`)).status).toBe(204);
    expect((await call('admin', 'GET', `/api/dashboards/${id}`)).status).toBe(404);
  });
});

describe('process heat map', () => {
  it('counts visits, open tokens and time per node, and lists the instances behind a node', async () => {
    const xml = bpmn(`<process id="heat" isExecutable="true">
      <startEvent id="start"/><userTask id="review" name="审核" camunda:assignee="bob"/><endEvent id="end"/>
      ${flow('start', 'review')}${flow('review', 'end')}
    </process>`);
    expect((await t.request('POST', '/api/definitions', { token: tokens.admin, body: { xml } })).status).toBe(201);
    const started: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const instance = await call('admin', 'POST', '/api/instances', { definitionKey: 'heat' });
      expect(instance.status).toBe(201);
      started.push(instance.body.id);
    }
    // bob completes one review: 3 entered review, 1 completed, 2 open.
    const tasks = (await call('bob', 'GET', '/api/tasks')).body;
    const task = (tasks.items ?? tasks).find((item: { instanceId: string }) => item.instanceId === started[0]);
    expect((await call('bob', 'POST', `/api/tasks/${task.id}/complete`, { variables: {} })).status).toBe(200);

    const { status, body } = await call('admin', 'GET', '/api/definitions/heat/heatmap');
    expect(status).toBe(200);
    const review = body.nodes.find((node: { elementId: string }) => node.elementId === 'review');
    expect(review).toMatchObject({ entered: 3, completed: 1, open: 2, slaBreached: 0 });
    expect(review.avgMs).toBeGreaterThanOrEqual(0);
    expect(body.nodes.find((node: { elementId: string }) => node.elementId === 'end')).toMatchObject({ entered: 1 });

    const behind = await call('admin', 'GET', '/api/definitions/heat/heatmap/review/instances?pageSize=2');
    expect(behind.body.total).toBe(3);
    expect(behind.body.items).toHaveLength(2);
    const atEnd = await call('admin', 'GET', '/api/definitions/heat/heatmap/end/instances');
    expect(atEnd.body.items.map((item: { id: string }) => item.id)).toEqual([started[0]]);
    // carol is involved in none of them.
    expect((await call('carol', 'GET', '/api/definitions/heat/heatmap')).body.nodes).toEqual([]);
    expect((await call('admin', 'GET', '/api/definitions/heat/heatmap?from=yesterday')).status).toBe(422);
  });

  it('process sources chart tasks and instances', async () => {
    const tasks = await call('admin', 'POST', '/api/charts/query', {
      source: { kind: 'tasks', definitionKey: 'heat' }, dimensions: [{ field: 'status' }], measures: [{ agg: 'count' }], sort: [{ by: 'dimension', index: 0 }],
    });
    expect(tasks.body.rows).toEqual([{ d0: 'completed', m0: 1 }, { d0: 'open', m0: 2 }]);
    const instances = await call('admin', 'POST', '/api/charts/query', {
      source: { kind: 'instances', definitionKey: 'heat' }, dimensions: [{ field: 'status' }], measures: [{ agg: 'count' }, { agg: 'max', field: 'durationSeconds' }],
      sort: [{ by: 'dimension', index: 0 }],
    });
    expect(instances.body.rows.map((row: { d0: string; m0: number }) => [row.d0, row.m0])).toEqual([['active', 2], ['completed', 1]]);
    const bobs = await call('bob', 'POST', '/api/charts/query', { source: { kind: 'tasks', definitionKey: 'heat' } });
    expect(bobs.body.rows).toEqual([{ m0: 3 }]);
    const carols = await call('carol', 'POST', '/api/charts/query', { source: { kind: 'tasks', definitionKey: 'heat' } });
    expect(carols.body.rows).toEqual([{ m0: 0 }]);
  });
});
