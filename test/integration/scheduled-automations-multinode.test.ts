/**
 * Two real server processes on one database race the same due schedule tick: both executors
 * are woken for it and an admin asks each node to run it at the same moment. Each matching
 * customer's process starts exactly once, and exactly one next tick is scheduled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS_CHANNEL } from '../../engine/store/jobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { spawnNode, stopNodes, waitUntilHealthy, type NodeProcess } from '../helpers/processes.ts';
import { TEST_ADMIN_PASSWORD } from '../helpers/server.ts';

const CUSTOMERS = 30;
let database: TestDatabase & { drop(): Promise<void> };
let nodes: NodeProcess[] = [];
let token: string;

async function call(node: NodeProcess, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${node.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  database = await createTestDatabase();
  const env = { DATABASE_URL: database.url, ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LIUZHUAN_LOAD_TEMPLATES: 'false' };
  nodes = await Promise.all(['A', 'B'].map((name) => spawnNode(name, env)));
  await Promise.all(nodes.map((node) => waitUntilHealthy(node, 40_000)));
  const login = await fetch(`${nodes[0]!.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
  });
  token = ((await login.json()) as { token: string }).token;
  const [a] = nodes;
  const schema = { type: 'object', required: ['name', 'tier'], properties: { name: { type: 'string' }, tier: { type: 'string' } } };
  expect((await call(a!, 'POST', '/api/forms', { key: 'mn_customer', title: '客户', schema })).status).toBe(201);
  const xml = bpmn(`<process id="mn_revisit" isExecutable="true"><startEvent id="s"/><userTask id="plan"/><endEvent id="e"/>${flow('s', 'plan')}${flow('plan', 'e')}</process>`);
  expect((await call(a!, 'POST', '/api/definitions', { xml })).status).toBe(201);
  for (let i = 0; i < CUSTOMERS; i++) {
    const created = await call(nodes[i % 2]!, 'POST', '/api/forms/mn_customer/records', { data: { name: `客户${i}`, tier: i % 3 === 0 ? 'C' : 'A' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await stopNodes(nodes);
  await database?.drop();
}, 20_000);

describe('two nodes, one due tick', () => {
  it('starts each matching customer’s revisit once and schedules one next tick', async () => {
    const [a, b] = nodes as [NodeProcess, NodeProcess];
    const saved = await call(a, 'POST', '/api/automations', {
      name: '回访',
      trigger: 'schedule',
      formKey: 'mn_customer',
      schedule: { intervalSeconds: 3600 },
      filter: 'tier = "A"',
      actions: [{ type: 'startProcess', definitionKey: 'mn_revisit', businessKey: 'name' }],
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    const id = saved.body.id as string;
    const tickJobs = () => database.db('jobs').where({ type: 'automation:tick' }).whereRaw("payload->>'automationId' = ?", [id]);
    const [tick] = await tickJobs();
    // The tick falls due: both executors are woken, and an admin asks each node to run it too.
    await database.db('jobs').where({ id: tick.id }).update({ due_at: new Date(Date.now() - 1_000) });
    await database.db.raw('SELECT pg_notify(?, ?)', [JOBS_CHANNEL, '1']);
    const answers = await Promise.all([a, b].map((node) => call(node, 'POST', `/api/jobs/${tick.id}/execute`)));
    // Each answer is a run (200), "being run right now" (409) or "already ran" (404).
    for (const answer of answers) expect([200, 404, 409], JSON.stringify(answer.body)).toContain(answer.status);
    await eventually(async () => (await database.db('jobs').where({ id: tick.id }).first()) === undefined, { message: 'the tick to finish', timeoutMs: 20_000 });

    const rows = await database.db('process_instances').where({ definition_key: 'mn_revisit' }).select('business_key');
    const keys = rows.map((row: { business_key: string }) => row.business_key).sort();
    const expected = Array.from({ length: CUSTOMERS }, (_, i) => i).filter((i) => i % 3 !== 0).map((i) => `客户${i}`).sort();
    expect(keys).toEqual(expected);
    const next = await tickJobs();
    expect(next).toHaveLength(1);
    expect(new Date(next[0].payload.tickAt).getTime()).toBe(new Date(tick.payload.tickAt).getTime() + 3_600_000);
  });
});
