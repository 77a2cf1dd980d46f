/**
 * The throughput benchmark's HTTP client (bench/peers/http.ts measures the server, bench/httpClients.ts
 * runs this in a process of its own): one instance of the representative process over Liuzhuan's REST
 * API as one staff user — start, find my open task, complete, find the next, complete. When a
 * command's answer lists the instance's open tasks (`tasks`, `openTasks` or `nextTasks`) the client
 * uses it; otherwise it asks `GET /api/tasks`.
 *
 * `node:http` over kept-alive connections, the cheapest client a Node program can be: `fetch` (undici
 * with WHATWG streams) cost about as much CPU per request as the server's own handling.
 *
 * Every non-2xx answer is counted by "status route". A 409 is tried again (counted as a retry), a 503
 * after its Retry-After; any other non-2xx, a timeout or a refused connection fails the instance.
 */
import http from 'node:http';
import { PROCESS_KEY, expectedSecondTask, fillData, sleep, type RunStats } from './common.ts';

const REQUEST_TIMEOUT_MS = 60_000;
const MAX_ATTEMPTS = 8;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  text: string;
}

interface TaskSummary {
  id: string;
  elementId: string;
}

/** Wraps each command (start, complete) of an instance, e.g. to time it. */
export type CommandWrapper = <T>(run: () => Promise<T>) => Promise<T>;

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

/** `/api/tasks/3f2…/complete?x` → `/api/tasks/:id/complete`. */
export function routeOf(method: string, pathAndQuery: string): string {
  const bare = pathAndQuery.split('?')[0]!.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id');
  return `${method} ${bare}`;
}

function tasksIn(body: any): TaskSummary[] | undefined {
  for (const key of ['tasks', 'openTasks', 'nextTasks']) if (Array.isArray(body?.[key])) return body[key];
  return undefined;
}

/** The client of the server at `baseUrl`; `stats` (when given) receives the problems and retries. */
export function createHttpClient(baseUrl: string, agent: http.Agent) {
  /** One request with the retry policy; returns the parsed body of the 2xx answer. */
  const call = async (stats: RunStats | undefined, token: string, method: string, pathAndQuery: string, body?: unknown) => {
    const route = routeOf(method, pathAndQuery);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) };
    for (let attempt = 1; ; attempt++) {
      let response: Answer;
      try {
        response = await request(agent, new URL(pathAndQuery, baseUrl), method, headers, body !== undefined ? JSON.stringify(body) : undefined);
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

  /** One instance, number `index`, as the user of `token`; `wrap` wraps each command (start, complete). */
  const runInstance = async (stats: RunStats | undefined, token: string, index: number, wrap: CommandWrapper) => {
    const started = await wrap(() => call(stats, token, 'POST', '/api/instances', { definitionKey: PROCESS_KEY }));
    const fill = await nextTask(stats, token, started.id, started, 'fill');
    const filled = await wrap(() => call(stats, token, 'POST', `/api/tasks/${fill.id}/complete`, { variables: fillData(index) }));
    const second = await nextTask(stats, token, started.id, filled, expectedSecondTask(index));
    await wrap(() => call(stats, token, 'POST', `/api/tasks/${second.id}/complete`, { variables: {} }));
  };

  return { runInstance };
}
