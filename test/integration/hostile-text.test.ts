/**
 * Text PostgreSQL cannot store (issue #10, finding 11): a NUL character in a comment, a key, a
 * name, a filter value, `q` or a path id, and an unpaired surrogate in data or variables,
 * each answered 500 from the database. Now every one is a 422 `invalid_text` pointing at the
 * value, before anything is written.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const t = useTestServer();
let admin: string;

/** A JSON body as the bytes a client sends: JSON.stringify keeps \u0000 and lone surrogates as escapes. */
function post(path: string, body: unknown, method = 'POST') {
  return t.request(method, path, { token: admin, body });
}

function expectInvalidText(response: { status: number; body: any }, pointer: string) {
  expect(response.status).toBe(422);
  expect(response.body.error.code).toBe('invalid_text');
  expect(response.body.error.details).toEqual([{ pointer, message: expect.stringMatching(/NUL|surrogate/) }]);
}

async function count(table: string): Promise<number> {
  const [{ n }] = await t.server.ctx.db(table).count({ n: '*' });
  return Number(n);
}

beforeAll(async () => {
  admin = await t.login('admin', TEST_ADMIN_PASSWORD);
  const xml = bpmn(`<process id="hostile" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="work" camunda:assignee="admin"/>
    <endEvent id="end"/>
    ${flow('start', 'work')}
    ${flow('work', 'end')}
  </process>`);
  expect((await post('/api/definitions', { xml })).status).toBe(201);
  const form = await post('/api/forms', {
    key: 'notes',
    title: 'Notes',
    schema: { type: 'object', properties: { note: { type: 'string' } }, additionalProperties: false },
  });
  expect(form.status).toBe(201);
});

describe('NUL and unpaired surrogates', () => {
  it('refuses a NUL in a name and stores no department', async () => {
    const before = await count('departments');
    expectInvalidText(await post('/api/departments', { code: 'evil', name: 'Ev\u0000il' }), '/name');
    expect(await count('departments')).toBe(before);
  });

  it('refuses a NUL in a variable name and an unpaired surrogate in a variable, and starts nothing', async () => {
    const before = await count('process_instances');
    expectInvalidText(await post('/api/instances', { definitionKey: 'hostile', variables: { 'a\u0000b': 1 } }), '/variables/a\u0000b');
    expectInvalidText(await post('/api/instances', { definitionKey: 'hostile', variables: { note: 'x\uD800y' } }), '/variables/note');
    expectInvalidText(await post('/api/instances', { definitionKey: 'hostile', variables: { list: ['ok', '\uDC00'] } }), '/variables/list/1');
    expect(await count('process_instances')).toBe(before);
  });

  it('refuses a NUL in a task comment and leaves the task open', async () => {
    const started = await post('/api/instances', { definitionKey: 'hostile' });
    expect(started.status).toBe(201);
    const [task] = (await t.request('GET', `/api/tasks?instanceId=${started.body.id}`, { token: admin })).body;
    expectInvalidText(await post(`/api/tasks/${task.id}/approve`, { comment: 'fine\u0000' }), '/comment');
    expect((await t.request('GET', `/api/tasks?instanceId=${started.body.id}`, { token: admin })).body).toHaveLength(1);
  });

  it('refuses an unpaired surrogate in record data and stores no record', async () => {
    const before = await count('records');
    expectInvalidText(await post('/api/forms/notes/records', { data: { note: '\uD83D' } }), '/data/note');
    expect(await count('records')).toBe(before);
  });

  it('refuses a NUL in a filter value, in q and in a path id', async () => {
    const filter = await t.request('GET', '/api/forms/notes/records?filter%5Bnote%5D%5Beq%5D=a%00b', { token: admin });
    expect(filter.status).toBe(422);
    expect(filter.body.error.code).toBe('invalid_text');
    expect(filter.body.error.details[0].pointer).toMatch(/^filter/);
    expectInvalidText(await t.request('GET', '/api/inbox/todo?q=a%00b', { token: admin }), 'q');
    expectInvalidText(await t.request('GET', '/api/tasks/abc%00def', { token: admin }), 'path');
    expectInvalidText(await t.request('GET', '/api/forms/no%00tes', { token: admin }), 'path');
  });

  it('still accepts the text "\\u0000" written out, and paired surrogates (emoji)', async () => {
    const stored = await post('/api/forms/notes/records', { data: { note: 'literally \\u0000 and 😀' } });
    expect(stored.status).toBe(201);
    expect(stored.body.data.note).toBe('literally \\u0000 and 😀');
  });
});
