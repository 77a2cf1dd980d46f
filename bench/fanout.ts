/**
 * Realtime fan-out at scale (issue 16): a real server in this process (server/server.ts, as
 * test/helpers/server.ts starts it) with `clients` (1,000) socket.io clients connected, each
 * a different user authenticated as the designer's client is (its `lz_session` cookie, sent
 * from the server's own origin). Then `completions` tasks are completed over HTTP (`POST
 * /api/tasks/:id/complete`, 4 at a time), each followed by a task assigned to another user
 * with a connected client; measured: from sending the completion to that client receiving
 * `task.assigned` for the new task, p50/p99. Target: p99 < 100 ms. Baseline in the same run:
 * the HTTP round trip of `GET /api/health`, and the completion's own response time.
 *
 * Client, server and database share this machine (and the clients this process's event
 * loop): the figures include the clients' own work, so a real deployment can only do better.
 */
import { randomBytes } from 'node:crypto';
import { io as connectClient, type Socket } from 'socket.io-client';
import { connect } from '../engine/db/connection.ts';
import { hashToken, SESSION_TTL_MS } from '../engine/identity/sessions.ts';
import { insertSession } from '../engine/store/sessions.ts';
import { readConfig } from '../server/config.ts';
import { SESSION_COOKIE } from '../server/http/auth.ts';
import { startServer } from '../server/server.ts';
import { makeUsers, userName } from './inbox.ts';
import { measure, percentile, printTimings, type Log, type Timing } from './scale.ts';

export interface FanoutBenchOptions {
  url: string;
  clients: number;
  completions: number;
  log: Log;
}

const PARALLEL = 4;

const PROCESS = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="http://liuzhuan.dev/bench">
  <process id="benchFanout" isExecutable="true">
    <startEvent id="start"/>
    <userTask id="first" name="经办" camunda:assignee="\${a}"/>
    <userTask id="second" name="复核" camunda:assignee="\${b}"/>
    <endEvent id="end"/>
    <sequenceFlow id="f1" sourceRef="start" targetRef="first"/>
    <sequenceFlow id="f2" sourceRef="first" targetRef="second"/>
    <sequenceFlow id="f3" sourceRef="second" targetRef="end"/>
  </process>
</definitions>`;

/** Runs `work(i)` for i < count, `parallel` at a time. */
async function inParallel(count: number, parallel: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < count) await work(next++);
  }));
}

export async function runFanoutBench(options: FanoutBenchOptions): Promise<void> {
  const { log, clients } = options;
  const completions = Math.min(options.completions, Math.floor(clients / 2));
  log(`fanout: a server in-process, ${clients.toLocaleString('en')} socket.io clients, ${completions} completions ${PARALLEL} at a time…`);
  const db = connect(options.url, { poolMax: 10 });
  const config = {
    ...readConfig({ PORT: '0', ADMIN_PASSWORD: randomBytes(12).toString('hex'), LIUZHUAN_LOAD_TEMPLATES: 'false', LIUZHUAN_DEMO_CUSTOMERS: '0' }),
    databaseUrl: options.url,
  };
  const server = await startServer(config, { db, url: options.url, embedded: false, close: async () => {} });
  const sockets: Socket[] = [];
  try {
    await makeUsers(db, log, clients);
    // A session per user, as logging in makes one (without hashing 1,000 passwords).
    const tokens = new Map<string, string>();
    const users: { id: string; username: string }[] = await db('users').where('username', 'like', 'u%').select('id', 'username');
    const expires = new Date(Date.now() + SESSION_TTL_MS);
    for (const user of users) {
      const token = randomBytes(32).toString('base64url');
      await insertSession(db, hashToken(token), user.id, expires);
      tokens.set(user.username, token);
    }
    // Arrival time of each task.assigned, by the new task's instance and node.
    const arrived = new Map<string, number>();
    const waiting = new Map<string, () => void>();
    let connected = 0;
    await inParallel(clients, 50, async (i) => {
      const socket = connectClient(server.url, {
        path: '/socket.io',
        transports: ['websocket'],
        reconnection: false,
        extraHeaders: { cookie: `${SESSION_COOKIE}=${tokens.get(userName(i + 1))}`, origin: server.url },
      });
      sockets.push(socket);
      socket.on('task.assigned', (payload: { instanceId: string; elementId: string }) => {
        const key = `${payload.instanceId}/${payload.elementId}`;
        arrived.set(key, performance.now());
        waiting.get(key)?.();
      });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      connected += 1;
      if (connected % 250 === 0 || connected === clients) log(`  connected ${connected.toLocaleString('en')} / ${clients.toLocaleString('en')} clients`);
    });

    await server.ctx.engine.deploy(PROCESS);
    const instances: { id: string; a: string; b: string }[] = [];
    await inParallel(completions, PARALLEL, async (i) => {
      const a = userName(2 * i + 1);
      const b = userName(2 * i + 2);
      const started = await server.ctx.engine.startInstance({ definitionKey: 'benchFanout', variables: { a, b } });
      instances[i] = { id: started.id, a, b };
      if ((i + 1) % 100 === 0) log(`  started ${i + 1} / ${completions} instances`);
    });
    const firstTasks = new Map<string, string>(
      (await db('tasks').where({ element_id: 'first', status: 'open' }).select('instance_id', 'id')).map((row: any) => [row.instance_id, row.id]),
    );

    const request = async (path: string, token: string, method = 'GET') => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        body: method === 'POST' ? '{}' : undefined,
      });
      await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
    };
    const baseline = await measure('baseline: GET /api/health round trip', 100, () => request('/api/health', tokens.get(userName(1))!));
    const responseTimes: number[] = [];
    const eventTimes: number[] = [];
    let missing = 0;
    await inParallel(completions, PARALLEL, async (i) => {
      const instance = instances[i]!;
      const key = `${instance.id}/second`;
      const delivered = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 10_000);
        waiting.set(key, () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      const sent = performance.now();
      await request(`/api/tasks/${firstTasks.get(instance.id)}/complete`, tokens.get(instance.a)!, 'POST');
      responseTimes.push(performance.now() - sent);
      if (await delivered) eventTimes.push(arrived.get(key)! - sent);
      else missing += 1;
      waiting.delete(key);
      if ((i + 1) % 100 === 0) log(`  completed ${i + 1} / ${completions}`);
    });
    const timing = (label: string, times: number[]): Timing => {
      const sorted = [...times].sort((x, y) => x - y);
      return { label, runs: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    };
    printTimings(log, [timing('reference: completion HTTP response', responseTimes), timing('completion → next assignee’s task.assigned', eventTimes)], baseline, {
      ms: 100,
      of: 'p99',
    });
    log(`  events not received within 10 s: ${missing}`);
    if (missing) process.exitCode = 1;
  } finally {
    for (const socket of sockets) socket.disconnect();
    await server.close();
    await db.destroy();
  }
}
