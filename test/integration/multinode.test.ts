/**
 * Three real node processes on one database under a steady load, one of them SIGKILLed
 * halfway: no instance is lost or doubled, every waiting instance waits consistently, each
 * webhook effect happens once, and a socket on node A hears about work done on node C.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connectClient, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOBS_CHANNEL } from '../../engine/store/jobs.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { bpmn, flow } from '../helpers/engine.ts';
import { eventually } from '../helpers/eventually.ts';
import { spawnNode, stopNodes, waitUntilHealthy, type NodeProcess } from '../helpers/processes.ts';
import { TEST_ADMIN_PASSWORD } from '../helpers/server.ts';

const INSTANCES = 60;
const KILL_AT = 30;
/** Instances whose task is left open, to check that waiting ones wait consistently. */
const leftOpen = (i: number) => i % 4 === 3;

let database: TestDatabase & { drop(): Promise<void> };
let nodes: NodeProcess[] = [];
let socket: Socket | undefined;
let receiver: Server | undefined;
const deliveries: Array<{ key: string | undefined; body: string }> = [];
const socketEvents: Array<{ type: string; instanceId: string }> = [];
let token: string;

class NoAnswer extends Error {}

/** One HTTP call; a refused, reset or timed-out request is `NoAnswer`, not a status. */
async function call(node: NodeProcess, method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  let response: Response;
  try {
    response = await fetch(`${node.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5_000),
    });
  } catch (error) {
    throw new NoAnswer(`${node.name} ${method} ${url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The node itself unless it is dead, else the next live one. */
function liveNode(preferred: number): NodeProcess {
  for (let k = 0; k < nodes.length; k++) {
    const node = nodes[(preferred + k) % nodes.length]!;
    if (node.alive()) return node;
  }
  throw new Error('no node alive');
}

/**
 * After a request got no answer its node is dead; once the process is gone and PostgreSQL
 * has ended its connections (so each of its transactions has committed or rolled back), the
 * database says whether the request applied.
 */
async function settleAfterNoAnswer(node: NodeProcess): Promise<void> {
  await Promise.race([node.exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
  if (node.alive()) return;
  await eventually(
    async () => {
      const { rows } = await database.db.raw('SELECT pid FROM pg_stat_activity WHERE application_name = ?', [node.applicationName]);
      expect(rows, `connections of the dead node ${node.name}`).toEqual([]);
      return true;
    },
    { message: `PostgreSQL to end node ${node.name}'s connections`, timeoutMs: 10_000, intervalMs: 50 },
  );
}

async function startInstance(i: number): Promise<{ id: string; node: string }> {
  const businessKey = `mn-${i}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const node = liveNode(i % 3);
    try {
      const started = await call(node, 'POST', '/api/instances', { definitionKey: 'multinode', businessKey });
      expect(started.status).toBe(201);
      return { id: started.body.id, node: node.name };
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      await settleAfterNoAnswer(node);
      const applied = await database.db('process_instances').where({ business_key: businessKey }).first('id');
      if (applied) return { id: applied.id, node: node.name };
    }
  }
  throw new Error(`could not start instance ${i}`);
}

async function completeTask(i: number, instanceId: string): Promise<void> {
  let retried = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    const node = liveNode((i + 1) % 3);
    try {
      const tasks = await call(node, 'GET', `/api/tasks?instanceId=${instanceId}`);
      expect(tasks.status).toBe(200);
      // An earlier attempt that got no answer may have completed it already.
      if (tasks.body.length === 0 && retried) return;
      expect(tasks.body).toHaveLength(1);
      const done = await call(node, 'POST', `/api/tasks/${tasks.body[0].id}/complete`, { variables: { i } });
      if (done.status === 409 && retried) return;
      expect(done.status).toBe(200);
      return;
    } catch (error) {
      if (!(error instanceof NoAnswer)) throw error;
      retried = true;
      await settleAfterNoAnswer(node);
    }
  }
  throw new Error(`could not complete the task of instance ${i}`);
}

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      deliveries.push({ key: req.headers['x-liuzhuan-idempotency-key'] as string | undefined, body });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
  const env = { DATABASE_URL: database.url, ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, LIUZHUAN_LOAD_TEMPLATES: 'false' };
  nodes = await Promise.all(['A', 'B', 'C'].map((name) => spawnNode(name, env)));
  await Promise.all(nodes.map((node) => waitUntilHealthy(node, 40_000)));

  const login = await fetch(`${nodes[0]!.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: TEST_ADMIN_PASSWORD }),
  });
  token = ((await login.json()) as { token: string }).token;

  socket = connectClient(nodes[0]!.url, { transports: ['websocket'], auth: { token }, reconnection: false });
  socket.onAny((type: string, payload: { instanceId?: string }) => socketEvents.push({ type, instanceId: payload.instanceId ?? '' }));
  await new Promise<void>((resolve, reject) => {
    socket!.once('connect', resolve);
    socket!.once('connect_error', reject);
  });
}, 55_000);

afterAll(async () => {
  socket?.disconnect();
  await stopNodes(nodes);
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  await database?.drop();
}, 20_000);

describe('several nodes on one database', () => {
  it('tells the operator at each start when the server runs without autovacuum, and only then', async () => {
    const { rows } = await database.db.raw("SELECT current_setting('autovacuum') AS autovacuum, current_setting('track_counts') AS track_counts");
    const off = rows[0].autovacuum !== 'on' || rows[0].track_counts !== 'on';
    for (const node of nodes) expect(node.output().includes('autovacuum is off'), `node ${node.name}, autovacuum ${rows[0].autovacuum}:\n${node.output()}`).toBe(off);
  });

  it('keeps every instance consistent and relays events across nodes while a node is killed', async () => {
    const [, nodeB] = nodes;
    const hook = `http://127.0.0.1:${(receiver!.address() as AddressInfo).port}/hook`;
    const xml = bpmn(`<process id="multinode" isExecutable="true">
      <startEvent id="start"/>
      <userTask id="approve" camunda:assignee="admin"/>
      <serviceTask id="notify">
        <extensionElements><liuzhuan:effect type="webhook" url="${hook}" method="POST"/></extensionElements>
      </serviceTask>
      <endEvent id="end"/>
      ${flow('start', 'approve')}
      ${flow('approve', 'notify')}
      ${flow('notify', 'end')}
    </process>`);
    expect((await call(nodes[0]!, 'POST', '/api/definitions', { xml })).status).toBe(201);

    // Four lanes pull instances in order: a steady load with requests in flight on every node.
    const started: Array<{ id: string; node: string }> = [];
    let next = 0;
    const lane = async () => {
      while (next < INSTANCES) {
        const i = next++;
        if (i === KILL_AT) nodeB!.child.kill('SIGKILL');
        started[i] = await startInstance(i);
        if (!leftOpen(i)) await completeTask(i, started[i]!.id);
      }
    };
    await Promise.all([lane(), lane(), lane(), lane()]);
    expect(nodeB!.alive()).toBe(false);

    // Nothing lost, nothing doubled.
    const instances: Array<{ id: string; business_key: string; status: string }> = await database
      .db('process_instances')
      .select('id', 'business_key', 'status');
    expect(instances).toHaveLength(INSTANCES);
    expect(new Set(instances.map((row) => row.business_key)).size).toBe(INSTANCES);
    const tasks: Array<{ instance_id: string; element_id: string; status: string }> = await database
      .db('tasks')
      .select('instance_id', 'element_id', 'status');
    expect(tasks).toHaveLength(INSTANCES);
    for (let i = 0; i < INSTANCES; i++) {
      const row = instances.find((instance) => instance.business_key === `mn-${i}`)!;
      expect(row.id).toBe(started[i]!.id);
      const own = tasks.filter((task) => task.instance_id === row.id);
      expect(own).toEqual([{ instance_id: row.id, element_id: 'approve', status: leftOpen(i) ? 'open' : 'completed' }]);
      expect(row.status).toBe(leftOpen(i) ? 'active' : 'completed');
    }
    const completed = instances.filter((row) => row.status === 'completed').length;
    expect(completed + instances.filter((row) => row.status === 'active').length).toBe(INSTANCES);
    expect(completed).toBe(Array.from({ length: INSTANCES }, (_, i) => i).filter((i) => !leftOpen(i)).length);

    // Each completed instance's webhook ran once in effect (redelivery would repeat the key).
    // A job's row goes only after its delivery was answered: with none left, no delivery is
    // still to come, and the list below is final.
    const allDeliveredAndDone = async () => {
      expect(new Set(deliveries.map((d) => d.key)).size, 'distinct delivery keys').toBeGreaterThanOrEqual(completed);
      expect(await database.db('jobs').pluck('id'), 'jobs left').toEqual([]);
      return true;
    };
    await eventually(allDeliveredAndDone, { message: 'webhook deliveries', timeoutMs: 5_000, intervalMs: 100 }).catch(async () => {
      // A job B had leased when it died waits for its lease (60 s) to run out. Live nodes
      // finish theirs in milliseconds, so what is still leased now is B's: fast-forward the
      // clock on those leases and wake the executors.
      await database.db('jobs').whereNotNull('locked_until').update({ locked_until: new Date(0) });
      await database.db.raw('SELECT pg_notify(?, ?)', [JOBS_CHANNEL, '1']);
      await eventually(allDeliveredAndDone, { message: 'webhook deliveries after B lease expiry', timeoutMs: 10_000, intervalMs: 100 });
    });
    expect(deliveries.every((delivery) => typeof delivery.key === 'string' && delivery.key.length > 0)).toBe(true);
    expect(new Set(deliveries.map((d) => d.key)).size).toBe(completed);
    // The default webhook body names the instance: one key per completed instance, all of them.
    const keysByInstance = new Map<string, Set<string>>();
    for (const delivery of deliveries) {
      const { instanceId } = JSON.parse(delivery.body) as { instanceId: string };
      keysByInstance.set(instanceId, (keysByInstance.get(instanceId) ?? new Set()).add(delivery.key!));
    }
    const completedIds = instances.filter((row) => row.status === 'completed').map((row) => row.id);
    expect([...keysByInstance.keys()].sort()).toEqual(completedIds.sort());
    expect([...keysByInstance.values()].every((keys) => keys.size === 1)).toBe(true);

    // Node A's socket heard about work done on node C (its relay, carried by the adapter).
    const onC = started.filter((instance) => instance.node === 'C').map((instance) => instance.id);
    expect(onC.length).toBeGreaterThan(10);
    const heard = (type: string, id: string) => socketEvents.some((event) => event.type === type && event.instanceId === id);
    await eventually(() => onC.every((id) => heard('task.assigned', id) && heard('instance.updated', id)), {
      message: 'events from node C on node A',
      timeoutMs: 5_000,
      intervalMs: 100,
    });
  }, 45_000);
});
