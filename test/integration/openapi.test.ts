/**
 * `GET /api/openapi.json` stays true: every route registered on the express app has an
 * operation with the same method and path, every documented operation exists, every JSON
 * Schema in it compiles (Ajv 2020-12), and real answers match what it documents.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Express } from 'express';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { TEST_ADMIN_PASSWORD, useTestServer } from '../helpers/server.ts';

const addFormats = addFormatsModule.default;
const t = useTestServer();

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
/** Operations that read no request body (the id in the path says it all). */
const BODYLESS = new Set([
  'POST /api/auth/logout',
  'POST /api/tasks/{id}/claim',
  'POST /api/jobs/{id}/execute',
  'POST /api/inbox/cc/{id}/read',
  'POST /api/notifications/{id}/read',
  'POST /api/notifications/read-all',
  'POST /api/forms/{key}/public-links/{id}/revoke',
  'POST /api/tickets/{id}/claim',
  'POST /api/tickets/{id}/hand-back',
  'POST /api/tickets/{id}/close',
  'POST /api/apps/{app}/tiering/run',
  'POST /api/forms/{key}/records/{id}/starts/{definitionKey}',
  'POST /api/forms/{key}/imports/{id}/cancel',
  'POST /api/webhooks/subscriptions/{id}/rotate-secret',
  'POST /api/webhooks/subscriptions/{id}/deliveries/{deliveryId}/resend',
]);
const PUBLIC = ['GET /api/health', 'GET /api/ready', 'GET /api/openapi.json', 'POST /api/auth/login', 'GET /api/public/links/{token}', 'POST /api/public/links/{token}', 'POST /api/hooks/{id}'];

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** `METHOD /path` of every route, walking nested routers (express 5 / router 2 layers). */
function registeredRoutes(stack: Layer[], prefix = '', out: string[] = []): string[] {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        const full = typeof path === 'string' ? `${prefix}${path}` : `${prefix}<${String(path)}>`;
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) out.push(`${method === '_all' ? 'ALL' : method.toUpperCase()} ${full}`);
        }
      }
    } else if (Array.isArray(layer.handle?.stack)) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      registeredRoutes(layer.handle.stack, prefix + mount, out);
    }
  }
  return out;
}

const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

let doc: any;
const operations: Array<{ key: string; path: string; method: string; op: any }> = [];

beforeAll(async () => {
  const { status, body } = await t.request('GET', '/api/openapi.json');
  expect(status).toBe(200);
  doc = body;
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const method of Object.keys(item).filter((key) => METHODS.includes(key))) {
      operations.push({ key: `${method.toUpperCase()} ${path}`, path, method, op: item[method] });
    }
  }
});

describe('GET /api/openapi.json', () => {
  it('is served without logging in, as an OpenAPI 3.1 document with the socket.io events', async () => {
    const response = await fetch(`${t.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: t.server.ctx.version });
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerAuth', 'sessionCookie']);
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'lz_session' });
    expect(doc.components.schemas.Error.required).toEqual(['error']);
    expect(Object.keys(doc['x-socket-io'].events).sort()).toEqual(
      ['cc.created', 'import.progress', 'instance.updated', 'notification', 'notification.read', 'task.assigned', 'task.updated', 'ticket.routed', 'ticket.updated'].sort(),
    );
  });

  it('documents exactly the routes registered on the express app', () => {
    // socket.io wraps the server's request listener, so build the app the server runs the same way.
    const app = createApp(t.server.ctx) as Express & { router?: { stack: Layer[] } };
    const stack = app.router?.stack;
    expect(Array.isArray(stack)).toBe(true);
    const routes = registeredRoutes(stack!).filter((route) => route.split(' ')[1]!.startsWith('/api/'));
    // Guards the walk itself: a router layout it no longer understands must not pass vacuously.
    expect(routes).toContain('GET /api/health');
    expect(routes).toContain('POST /api/tasks/:id/complete');
    expect(routes.length).toBeGreaterThan(60);
    const unsupported = routes.filter((route) => route.includes('<') || route.startsWith('ALL '));
    expect(unsupported, 'routes the document cannot describe (regex paths, app.all)').toEqual([]);

    const registered = new Set(
      routes.map((route) => {
        const [method, path] = route.split(' ');
        return `${method} ${toOpenApiPath(path!)}`;
      }),
    );
    const documented = new Set(operations.map((o) => o.key));
    expect([...registered].filter((key) => !documented.has(key)).sort(), 'registered routes missing from the document').toEqual([]);
    expect([...documented].filter((key) => !registered.has(key)).sort(), 'documented operations no route serves').toEqual([]);
  });

  it('gives every operation a summary, its parameters, a body where one is read, and its responses', () => {
    const ids = new Set<string>();
    for (const { key, path, method, op } of operations) {
      expect(op.summary, key).toMatch(/^\S[^\n]*$/);
      expect(ids.has(op.operationId), `${key}: duplicate operationId`).toBe(false);
      ids.add(op.operationId);
      expect(op.tags?.length, key).toBe(1);

      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const pathParams = (op.parameters ?? []).filter((p: any) => p.in === 'path');
      expect(pathParams.map((p: any) => p.name).sort(), `${key}: path parameters`).toEqual(templated);
      for (const parameter of op.parameters ?? []) {
        expect(['path', 'query'], key).toContain(parameter.in);
        expect(parameter.schema, `${key}: ${parameter.name} has a type`).toBeTypeOf('object');
        if (parameter.in === 'path') expect(parameter.required).toBe(true);
      }

      if (['post', 'put', 'patch'].includes(method) && !BODYLESS.has(key)) {
        // JSON, or multipart for the one upload (POST /api/forms/{key}/imports).
        const content = op.requestBody?.content ?? {};
        expect(content['application/json']?.schema ?? content['multipart/form-data']?.schema, `${key}: request body`).toBeTypeOf('object');
      }
      const statuses = Object.keys(op.responses);
      expect(
        statuses.some((s) => /^2\d\d$/.test(s)),
        `${key}: a 2xx response`,
      ).toBe(true);
      for (const status of statuses.filter((s) => /^4\d\d$/.test(s))) {
        const ref = op.responses[status].$ref as string;
        expect(ref, `${key} ${status}`).toMatch(/^#\/components\/responses\//);
        const shared = doc.components.responses[ref.split('/').pop()!];
        expect(shared.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
      }

      const isPublic = PUBLIC.includes(key);
      expect(op.security, key).toEqual(isPublic ? [] : undefined);
      if (!isPublic) expect(statuses, `${key}: 401 when not logged in`).toContain('401');
    }
  });

  it('resolves every $ref and compiles every schema with Ajv 2020-12', () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) k === '$ref' && typeof v === 'string' ? refs.push(v) : walk(v);
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(50);
    for (const ref of new Set(refs)) {
      expect(ref, 'local refs only').toMatch(/^#\//);
      const target = ref
        .slice(2)
        .split('/')
        .reduce<any>((at, part) => at?.[part], doc);
      expect(target, `${ref} resolves`).toBeTypeOf('object');
    }

    const ajv = schemaCompiler();
    const schemas: Array<[string, unknown]> = [];
    for (const name of Object.keys(doc.components.schemas)) schemas.push([`schema ${name}`, { $ref: `#/components/schemas/${name}` }]);
    for (const { key, op } of operations) {
      for (const parameter of op.parameters ?? []) schemas.push([`${key} ?${parameter.name}`, parameter.schema]);
      for (const [type, content] of Object.entries<any>(op.requestBody?.content ?? {}))
        schemas.push([`${key} body ${type}`, content.schema]);
      for (const [status, response] of Object.entries<any>(op.responses)) {
        for (const [type, content] of Object.entries<any>(response.content ?? {}))
          schemas.push([`${key} ${status} ${type}`, content.schema]);
      }
    }
    for (const [name, event] of Object.entries<any>(doc['x-socket-io'].events)) schemas.push([`socket ${name}`, event.payload]);
    for (const [where, schema] of schemas) {
      expect(() => ajv(schema), where).not.toThrow();
    }
  });

  it('matches real answers: public routes, the caller, lists and errors', async () => {
    const validate = schemaCompiler();
    const check = (key: string, status: number, body: unknown) => {
      const op = operations.find((o) => o.key === key)!.op;
      const response = op.responses[status];
      const schema = response.$ref ? { $ref: '#/components/schemas/Error' } : response.content['application/json'].schema;
      const fn = validate(schema);
      expect(fn(body), `${key} ${status}: ${JSON.stringify(fn.errors)}`).toBe(true);
    };

    const health = await t.request('GET', '/api/health');
    check('GET /api/health', 200, health.body);
    const ready = await t.request('GET', '/api/ready');
    check('GET /api/ready', 200, ready.body);
    const badLogin = await t.request('POST', '/api/auth/login', { body: { username: '' } });
    expect(badLogin.status).toBe(422);
    check('POST /api/auth/login', 422, badLogin.body);
    const login = await t.request('POST', '/api/auth/login', { body: { username: 'admin', password: TEST_ADMIN_PASSWORD } });
    check('POST /api/auth/login', 200, login.body);
    const token = login.body.token as string;

    const anonymous = await t.request('GET', '/api/auth/me');
    expect(anonymous.status).toBe(401);
    check('GET /api/auth/me', 401, anonymous.body);
    for (const path of [
      '/api/auth/me',
      '/api/users',
      '/api/departments',
      '/api/forms',
      '/api/definitions',
      '/api/inbox/counts',
      '/api/notifications',
    ]) {
      const { status, body } = await t.request('GET', path, { token });
      expect(status, path).toBe(200);
      check(`GET ${path}`, 200, body);
    }
    const missing = await t.request('GET', '/api/forms/no-such-form', { token });
    expect(missing.status).toBe(404);
    check('GET /api/forms/{key}', 404, missing.body);
  });
});

/** Ajv over the document's component schemas; `#/components/schemas/X` refs resolve into them. */
function schemaCompiler() {
  const base = 'https://liuzhuan.invalid/openapi-components';
  const rebase = (schema: unknown) => JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${base}#/$defs/`)) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: base, $defs: rebase(doc.components.schemas) });
  return (schema: unknown) => ajv.compile(rebase(schema));
}
