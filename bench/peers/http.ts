/**
 * Liuzhuan over HTTP: a real server in this process on a random port, real HTTP clients,
 * each logged in as its own staff user. The clients share the process and its CPU with the
 * server, so they are the cheapest a Node program can be: `node:http` over kept-alive
 * connections. `fetch` (undici with WHATWG streams) cost about as much CPU per request as
 * the server's own handling, a client-side cost a deployment does not put on the server. Per instance: start, find my open task, complete,
 * find the next, complete. When a command's answer lists the instance's open tasks (`tasks`,
 * `openTasks` or `nextTasks`) the client uses it; otherwise it asks `GET /api/tasks`.
 *
 * Every non-2xx answer is counted by status and route. A 409 is tried again (counted as a
 * retry), a 503 after its Retry-After; any other non-2xx, a timeout or a refused connection
 * fails the instance and counts as an error.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../../engine/db/connection.ts';
import { countRoundTrips } from '../roundTrips.ts';
import { PROCESS_KEY, RunStats, expectedSecondTask, fillData, runClients, sleep, type Workload } from './common.ts';

const REQUEST_TIMEOUT_MS = 60_000;
const MAX_ATTEMPTS = 8;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  text: string;
}

/** One request over `agent`'s kept-alive connections; rejects on a network error or the timeout. */
function request(agent: http.Agent, url: URL, method: string, headers: Record<string, string>, body: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method, headers: body !== undefined ? { ...headers, 'content-length': String(Buffer.byteLength(body)) } : headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'], text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

interface TaskSummary {
  id: string;
  elementId: string;
}

export interface OverHttp extends Workload {
  url: string;
  /** Average statements per request kind and per instance, `count` instances one at a time. */
  roundTrips(count: number): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** `/api/tasks/3f2…/complete?x` → `/api/tasks/:id/complete`. */
export function routeOf(method: string, pathAndQuery: string): string {
  const bare = pathAndQuery.split('?')[0]!.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id');
  return `${method} ${bare}`;
}

function tasksIn(body: any): TaskSummary[] | undefined {
  for (const key of ['tasks', 'openTasks', 'nextTasks']) if (Array.isArray(body?.[key])) return body[key];
  return undefined;
}

export async function createHttpWorkload(databaseUrl: string, tokens: string[], clientCounts: number[], adminPassword: string): Promise<OverHttp> {
  // The server's logger reads LOG_LEVEL when first imported: keep its request logs out of the bench output.
  process.env.LOG_LEVEL ??= 'warn';
  const { readConfig } = await import('../../server/config.ts');
  const { startServer } = await import('../../server/server.ts');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-bench-data-'));
  const config = {
    ...readConfig({ PORT: '0', ADMIN_PASSWORD: adminPassword, LIUZHUAN_LOAD_TEMPLATES: 'false', LIUZHUAN_DEMO_CUSTOMERS: '0', LIUZHUAN_DATA_DIR: dataDir }),
    databaseUrl,
  };
  const db = connect(databaseUrl); // the default pool of 10, as a node has
  const server = await startServer(config, { db, url: databaseUrl, embedded: false, close: async () => {} });
  // Client and server share one event loop here; see test/helpers/server.ts for why idle sockets stay longer.
  server.http.keepAliveTimeout = 120_000;

  // As many kept-alive connections as clients: a browser or a script holds one or a few each.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(...clientCounts) });

  /** One request with the retry policy; returns the parsed body of the 2xx answer. */
  const call = async (stats: RunStats | undefined, token: string, method: string, pathAndQuery: string, body?: unknown) => {
    const route = routeOf(method, pathAndQuery);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
    for (let attempt = 1; ; attempt++) {
      let response: Answer;
      try {
        response = await request(agent, new URL(pathAndQuery, server.url), method, headers, body !== undefined ? JSON.stringify(body) : undefined);
      } catch (error) {
        stats?.problem(`network ${route}`, String((error as Error).cause ?? error));
        throw new Error(`${route}: ${(error as Error).message}`);
      }
      const { text } = response;
      if (response.status >= 200 && response.status < 300) return text ? JSON.parse(text) : undefined;
      stats?.problem(`${response.status} ${route}`, text);
      const retryAfter = Number(response.retryAfter);
      const retryable = response.status === 409 || (response.status === 503 && Number.isFinite(retryAfter) && retryAfter >= 0);
      if (!retryable || attempt === MAX_ATTEMPTS) throw new Error(`${response.status} ${route}: ${text.slice(0, 300)}`);
      if (stats) stats.retries += 1;
      await sleep(response.status === 503 ? retryAfter * 1000 : 20 * attempt);
    }
  };

  const nextTask = async (stats: RunStats | undefined, token: string, instanceId: string, answer: any, elementId: string) => {
    const tasks = tasksIn(answer) ?? ((await call(stats, token, 'GET', `/api/tasks?instanceId=${instanceId}`)) as TaskSummary[]);
    const task = tasks.find((candidate) => candidate.elementId === elementId);
    if (!task) throw new Error(`instance ${instanceId}: no open task "${elementId}" for this user`);
    return task;
  };

  /** One instance; `time` wraps each command (start, complete). */
  const runInstance = async (stats: RunStats | undefined, token: string, index: number, time: <T>(run: () => Promise<T>) => Promise<T>) => {
    const started = await time(() => call(stats, token, 'POST', '/api/instances', { definitionKey: PROCESS_KEY }));
    const fill = await nextTask(stats, token, started.id, started, 'fill');
    const filled = await time(() => call(stats, token, 'POST', `/api/tasks/${fill.id}/complete`, { variables: fillData(index) }));
    const second = await nextTask(stats, token, started.id, filled, expectedSecondTask(index));
    await time(() => call(stats, token, 'POST', `/api/tasks/${second.id}/complete`, { variables: {} }));
  };

  return {
    name: 'Liuzhuan over HTTP',
    clientCounts,
    url: server.url,
    run: (clients: number, count: number, stats: RunStats) =>
      runClients(clients, count, stats, (client, index) => runInstance(stats, tokens[client % tokens.length]!, index, (run) => stats.time(run))),
    async roundTrips(count: number) {
      const counter = countRoundTrips(db);
      let commands = 0;
      let commandStatements = 0;
      try {
        for (let index = 0; index < count; index++) {
          await runInstance(undefined, tokens[0]!, index, async (run) => {
            const before = counter.count;
            const result = await run();
            commands += 1;
            commandStatements += counter.count - before;
            return result;
          });
        }
        // Statements a response leaves behind (events published after the answer) land in the total.
        await sleep(200);
        return { 'per command request (start, complete)': commandStatements / commands, 'per instance (all requests)': counter.count / count };
      } finally {
        counter.detach();
      }
    },
    async close() {
      agent.destroy();
      await server.close();
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
