/**
 * The client side of bench/fanout.ts, in a process of its own (started with child_process.fork):
 * the 1,000 socket.io clients and the HTTP client that completes tasks. In one process with the
 * server, the server's event loop also ran every client's work (1,000 sockets' heartbeats and
 * packet parsing, the fetch client) and the figures measured both; a deployment's clients run
 * elsewhere. Times are taken here, with this process's monotonic clock (performance.now()),
 * from sending a completion to its client receiving the event.
 *
 * Messages (process.send / 'message'), parent → child:
 *   { type: 'connect', url, cookie, sessions: [username, token][] }  → { type: 'connected' }
 *   { type: 'run', healthToken, parallel, completions: { instanceId, taskId, token }[] } → { type: 'result', … }
 *   { type: 'stop' }: disconnects and exits.
 * and { type: 'log', line } for progress lines.
 */
import { fileURLToPath } from 'node:url';
import { io as connectClient, type Socket } from 'socket.io-client';

export interface Completion {
  instanceId: string;
  taskId: string;
  token: string;
}

export type ToClients =
  | { type: 'connect'; url: string; cookie: string; sessions: [string, string][] }
  | { type: 'run'; healthToken: string; parallel: number; completions: Completion[] }
  | { type: 'stop' };

export type FromClients =
  | { type: 'log'; line: string }
  | { type: 'connected' }
  | { type: 'result'; health: number[]; responses: number[]; events: number[]; missing: number }
  | { type: 'failed'; message: string };

/** Runs `work(i)` for i < count, `parallel` at a time. */
export async function inParallel(count: number, parallel: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

const send = (message: FromClients) => process.send!(message);
const sockets: Socket[] = [];
/** Arrival time of each task.assigned, by the new task's instance and node. */
const arrived = new Map<string, number>();
const waiting = new Map<string, () => void>();
let serverUrl = '';

async function connectAll(url: string, cookie: string, sessions: [string, string][]): Promise<void> {
  serverUrl = url;
  let connected = 0;
  await inParallel(sessions.length, 50, async (i) => {
    const [, token] = sessions[i]!;
    const socket = connectClient(url, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      // As the designer's client is authenticated: its session cookie, from the server's origin.
      extraHeaders: { cookie: `${cookie}=${token}`, origin: url },
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
    if (connected % 250 === 0 || connected === sessions.length) {
      send({ type: 'log', line: `  connected ${connected.toLocaleString('en')} / ${sessions.length.toLocaleString('en')} clients (in the clients' process)` });
    }
  });
}

async function request(path: string, token: string, method = 'GET'): Promise<void> {
  const response = await fetch(`${serverUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
    body: method === 'POST' ? '{}' : undefined,
  });
  await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
}

async function run(healthToken: string, parallel: number, completions: Completion[]): Promise<FromClients> {
  const health: number[] = [];
  for (let i = 0; i < 105; i++) {
    const started = performance.now();
    await request('/api/health', healthToken);
    if (i >= 5) health.push(performance.now() - started); // five warm-up requests
  }
  const responses: number[] = [];
  const events: number[] = [];
  let missing = 0;
  await inParallel(completions.length, parallel, async (i) => {
    const completion = completions[i]!;
    const key = `${completion.instanceId}/second`;
    const delivered = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      waiting.set(key, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    const sent = performance.now();
    await request(`/api/tasks/${completion.taskId}/complete`, completion.token, 'POST');
    responses.push(performance.now() - sent);
    if (await delivered) events.push(arrived.get(key)! - sent);
    else missing += 1;
    waiting.delete(key);
    if ((i + 1) % 100 === 0) send({ type: 'log', line: `  completed ${i + 1} / ${completions.length}` });
  });
  return { type: 'result', health, responses, events, missing };
}

function onMessage(message: ToClients): void {
  const fail = (error: unknown) => send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  switch (message.type) {
    case 'connect':
      connectAll(message.url, message.cookie, message.sessions).then(() => send({ type: 'connected' }), fail);
      break;
    case 'run':
      run(message.healthToken, message.parallel, message.completions).then(send, fail);
      break;
    case 'stop':
      for (const socket of sockets) socket.disconnect();
      // fetch's kept-alive connections would hold the process a few seconds more.
      setImmediate(() => process.exit(0));
      break;
  }
}

// Only when forked as the clients' process: bench/fanout.ts imports this module for its types.
if (process.argv[1] === fileURLToPath(import.meta.url)) process.on('message', onMessage);
