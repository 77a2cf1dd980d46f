/**
 * The /api dispatcher (server/http/routeBySegment.ts) must answer every request exactly as
 * express answers it with the same routers mounted one after the other: same router, same
 * order, same 404, same OPTIONS answer, same error path. Both apps run on real HTTP.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { Router, type ErrorRequestHandler, type Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstSegmentsOf, routeByFirstSegment } from '../../server/http/routeBySegment.ts';

/** Routers shaped like the app's: literal first segments, a shared segment, a parameter first, an error. */
function routers(): Router[] {
  const tasks = Router();
  tasks.get('/tasks', (_req, res) => void res.json({ by: 'tasks', route: 'list' }));
  tasks.post('/tasks/:id/complete', (req, res) => void res.json({ by: 'tasks', id: req.params.id }));
  tasks.get('/instances/:id/actions', (req, res) => void res.json({ by: 'tasks', instance: req.params.id }));
  const instances = Router();
  instances.get('/instances/migration-candidates', (_req, res) => void res.json({ by: 'migration' }));
  instances.get('/instances/:id', (req, res) => void res.json({ by: 'instances', id: req.params.id }));
  instances.get('/instances/:id/actions', (_req, res) => void res.json({ by: 'instances (second)' }));
  const passing = Router();
  // Declines every request, as a route that calls next() does: the next router must get it.
  passing.get('/tasks/:id', (_req, _res, next) => next());
  passing.get('/boom', () => {
    throw new Error('boom');
  });
  const anything = Router();
  anything.get('/:key/info', (req, res) => void res.json({ by: 'anything', key: req.params.key }));
  const tail = Router();
  tail.get('/tasks/:id', (req, res) => void res.json({ by: 'tail', id: req.params.id }));
  tail.get('/records.csv', (_req, res) => void res.json({ by: 'csv' }));
  return [tasks, instances, passing, anything, tail];
}

function app(dispatch: boolean): Express {
  const built = express();
  const api = Router();
  if (dispatch) api.use(routeByFirstSegment(routers()));
  else for (const router of routers()) api.use(router);
  api.use((_req, res) => void res.status(404).json({ error: 'not found' }));
  built.use('/api', api);
  built.use(((error, _req, res, _next) => void res.status(500).json({ error: (error as Error).message })) as ErrorRequestHandler);
  return built;
}

const servers: Server[] = [];
let sequential = '';
let dispatched = '';

async function listen(handler: Express): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  sequential = await listen(app(false));
  dispatched = await listen(app(true));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function answer(base: string, method: string, path: string) {
  const response = await fetch(`${base}${path}`, { method });
  return { status: response.status, allow: response.headers.get('allow'), body: await response.text() };
}

describe('routeByFirstSegment', () => {
  const cases: Array<[string, string]> = [
    ['GET', '/api/tasks'],
    ['GET', '/api/tasks/'],
    ['GET', '/api/TASKS'],
    ['POST', '/api/tasks/t1/complete'],
    ['POST', '/api/Tasks/t1/Complete'],
    ['GET', '/api/tasks/t1'],
    ['GET', '/api/instances/migration-candidates'],
    ['GET', '/api/instances/i1'],
    ['GET', '/api/instances/i1/actions'],
    ['GET', '/api/boom'],
    ['GET', '/api/whatever/info'],
    ['GET', '/api/tasks/info'],
    ['GET', '/api/records.csv'],
    ['GET', '/api/recordsXcsv'],
    ['GET', '/api/%74asks'],
    ['GET', '/api/nothing/here'],
    ['GET', '/api'],
    ['GET', '/api//tasks'],
    ['HEAD', '/api/tasks'],
    ['OPTIONS', '/api/tasks/t1/complete'],
    ['OPTIONS', '/api/instances/i1'],
    ['DELETE', '/api/tasks'],
  ];
  it.each(cases)('%s %s is answered as by routers mounted one after the other', async (method, path) => {
    const expected = await answer(sequential, method, path);
    expect(await answer(dispatched, method, path)).toEqual(expected);
  });

  it('hands a request only to the routers that declare its first segment, and to those that see all', () => {
    const [tasks, instances, passing, anything, tail] = routers();
    expect(firstSegmentsOf(tasks!)).toEqual(new Set(['tasks', 'instances']));
    expect(firstSegmentsOf(instances!)).toEqual(new Set(['instances']));
    expect(firstSegmentsOf(passing!)).toEqual(new Set(['tasks', 'boom']));
    expect(firstSegmentsOf(anything!)).toBeNull();
    expect(firstSegmentsOf(tail!)).toEqual(new Set(['tasks', 'records.csv']));
    const withMiddleware = Router();
    withMiddleware.use((_req, _res, next) => next());
    expect(firstSegmentsOf(withMiddleware)).toBeNull();
    const optional = Router();
    optional.get('/records{/:id}', (_req, res) => void res.end());
    expect(firstSegmentsOf(optional)).toBeNull();
  });

  it('shows its routers in its stack as express shows mounted ones, for route-table walkers', () => {
    const list = routers();
    const dispatch = routeByFirstSegment(list);
    expect(dispatch.stack.map((layer) => layer.handle)).toEqual(list);
  });
});
