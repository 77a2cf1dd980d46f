/**
 * The designer's types are generated from /api/openapi.json (designer/src/api/schema.generated.ts),
 * so a schema that is looser or different from what a route answers lets the designer compile
 * against a shape that never arrives. Checks real answers of the routes the designer reads
 * against the served document: every `required` field present, every type right (apps' titles
 * are localized objects, not strings).
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { bpmn, flow } from '../helpers/engine.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const addFormats = addFormatsModule.default;
const t = useTestServer({ LIUZHUAN_LOAD_TEMPLATES: 'true' });

let doc: any;
let token: string;
let check: (method: string, path: string, body: unknown) => void;

beforeAll(async () => {
  doc = (await t.request('GET', '/api/openapi.json')).body;
  token = await t.login('admin', TEST_ADMIN_PASSWORD);
  const base = 'https://liuzhuan.invalid/openapi-components';
  const rebase = (schema: unknown) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${base}#/$defs/`)) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: base, $defs: rebase(doc.components.schemas) });
  check = (method, path, body) => {
    const op = doc.paths[path][method];
    const [status] = Object.keys(op.responses).filter((code) => /^2\d\d$/.test(code));
    const validate = ajv.compile(rebase(op.responses[status!].content['application/json'].schema));
    expect(validate(body), `${method.toUpperCase()} ${path}: ${JSON.stringify(validate.errors)}`).toBe(true);
  };
});

async function get(path: string, documented: string = path): Promise<any> {
  const { status, body } = await t.request('GET', path, { token });
  expect(status, path).toBe(200);
  check('get', documented, body);
  return body;
}

describe('answers the designer reads match /api/openapi.json', () => {
  it('organisation, forms, records, apps and the department queue', async () => {
    await get('/api/users');
    const departments = await get('/api/departments');
    const forms = await get('/api/forms');
    expect(forms.length).toBeGreaterThan(0);
    await get('/api/forms/complaint', '/api/forms/{key}');
    // A complaint is routed (templates/key-account/routing.json): its ticket lands in some queue.
    const data = { customer: '客户', category: 'quality', severity: 'low', description: 'd', received_at: '2025-04-02T14:00:00+08:00', status: 'open' };
    const created = await t.request('POST', '/api/forms/complaint/records', { token, body: { data } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    check('post', '/api/forms/{key}/records', created.body);
    const records = await get('/api/forms/complaint/records', '/api/forms/{key}/records');
    expect(records.items.length).toBeGreaterThan(0);
    await get(`/api/forms/complaint/records/${created.body.id}`, '/api/forms/{key}/records/{id}');
    const apps = await get('/api/apps');
    expect(apps.length).toBeGreaterThan(0);
    let queued = 0;
    for (const department of departments) {
      queued += (await get(`/api/departments/${department.id}/queue`, '/api/departments/{id}/queue')).items.length;
    }
    expect(queued).toBeGreaterThan(0);
  });

  it('definitions, an instance with its history, actions and tasks, the inbox and admin lists', async () => {
    const xml = bpmn(
      `<process id="answers" name="Answers" isExecutable="true"><startEvent id="s"/><userTask id="review" name="Review" camunda:assignee="admin"/><endEvent id="e"/>${flow('s', 'review')}${flow('review', 'e')}</process>`,
    );
    expect((await t.request('POST', '/api/definitions', { token, body: { xml } })).status).toBe(201);
    await get('/api/definitions');
    await get('/api/definitions/answers/latest', '/api/definitions/{key}/latest');
    const started = await t.request('POST', '/api/instances', { token, body: { definitionKey: 'answers', businessKey: 'A-1' } });
    expect(started.status).toBe(201);
    const id = started.body.id as string;
    await get(`/api/instances/${id}`, '/api/instances/{id}');
    await get(`/api/instances/${id}/diagram`, '/api/instances/{id}/diagram');
    await get('/api/instances');
    const [task] = await get(`/api/tasks?instanceId=${id}`, '/api/tasks');
    await get(`/api/tasks/${task.id}`, '/api/tasks/{id}');
    await get(`/api/tasks/${task.id}/form`, '/api/tasks/{id}/form');
    for (const box of ['todo', 'started']) {
      const page = await get(`/api/inbox/${box}`, '/api/inbox/{box}');
      expect(page.items.length, box).toBeGreaterThan(0);
    }
    expect((await t.request('POST', `/api/tasks/${task.id}/complete`, { token, body: { variables: {} } })).status).toBe(200);
    const history = await get(`/api/instances/${id}/history`, '/api/instances/{id}/history');
    expect(history.length).toBeGreaterThan(2);
    const actions = await get(`/api/instances/${id}/actions`, '/api/instances/{id}/actions');
    expect(actions.length).toBeGreaterThan(0);
    await get('/api/inbox/done', '/api/inbox/{box}');
    await get('/api/jobs');
    await get('/api/incidents?includeResolved=true', '/api/incidents');
  });
});
