/**
 * Small leaks (issue #10, finding 13): claiming someone else's task answered 409 "already
 * claimed by <name>" before checking the caller may work on it at all; and a uiSchema with
 * `ui:widget: "attachment"` saved, then crashed every page that rendered the form.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  for (const name of ['alice', 'bob', 'mallory']) {
    const created = await t.request('POST', '/api/users', { token: admin, body: { username: name, displayName: name, password: `${name}-password` } });
    expect(created.status).toBe(201);
    tokens[name] = await t.login(name, `${name}-password`);
  }
});

describe('claiming a task', () => {
  it('tells an outsider only that the task is not offered to them, never who claimed it', async () => {
    const xml = bpmn(`<process id="claimOrder" isExecutable="true">
      <startEvent id="start"/>
      <userTask id="review" camunda:candidateUsers="alice,bob"/>
      <endEvent id="end"/>
      ${flow('start', 'review')}
      ${flow('review', 'end')}
    </process>`);
    expect((await t.request('POST', '/api/definitions', { token: admin, body: { xml } })).status).toBe(201);
    const started = await t.request('POST', '/api/instances', { token: admin, body: { definitionKey: 'claimOrder' } });
    const [task] = (await t.request('GET', `/api/tasks?instanceId=${started.body.id}`, { token: admin })).body;

    expect((await t.request('POST', `/api/tasks/${task.id}/claim`, { token: tokens.alice })).status).toBe(200);

    const outsider = await t.request('POST', `/api/tasks/${task.id}/claim`, { token: tokens.mallory });
    expect(outsider.status).toBe(403);
    expect(JSON.stringify(outsider.body)).not.toContain('alice');

    // A fellow candidate may learn it: the task was offered to both.
    const colleague = await t.request('POST', `/api/tasks/${task.id}/claim`, { token: tokens.bob });
    expect(colleague.status).toBe(409);
    expect(colleague.body.error).toMatchObject({ code: 'task_claimed', message: expect.stringContaining('alice') });
  });
});

describe('ui:widget names', () => {
  const schema = {
    type: 'object',
    properties: {
      title: { type: 'string' },
      files: { type: 'array', 'x-widget': 'attachment', items: { type: 'object', properties: { name: { type: 'string' } } } },
      rows: { type: 'array', items: { type: 'object', properties: { note: { type: 'string' } } } },
    },
  };

  it('refuses an unknown widget at save with the pointer of each, and stores no version', async () => {
    const saved = await t.request('POST', '/api/forms', {
      token: admin,
      body: { key: 'widgets', title: 'Widgets', schema, uiSchema: { files: { 'ui:widget': 'attachment' }, rows: { items: { note: { 'ui:widget': 'slider' } } } } },
    });
    expect(saved.status).toBe(422);
    expect(saved.body.error.code).toBe('invalid_ui_schema');
    expect(saved.body.error.details.map((d: { pointer: string }) => d.pointer)).toEqual([
      '/uiSchema/files/ui:widget',
      '/uiSchema/rows/items/note/ui:widget',
    ]);
    expect(saved.body.error.details[0].message).toMatch(/"attachment".*x-widget/);
    expect((await t.request('GET', '/api/forms/widgets', { token: admin })).status).toBe(404);
  });

  it('accepts the widgets the renderer has for the field’s type', async () => {
    const saved = await t.request('POST', '/api/forms', {
      token: admin,
      body: { key: 'widgets', title: 'Widgets', schema, uiSchema: { title: { 'ui:widget': 'textarea' }, files: { 'ui:widget': 'files' } } },
    });
    expect(saved.status).toBe(201);
  });
});
