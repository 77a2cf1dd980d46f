/**
 * Realtime fan-out at scale (issue 16): a real server in this process (server/server.ts, as
 * test/helpers/server.ts starts it) and, in a second process (bench/fanoutClients.ts, forked),
 * `clients` (1,000) socket.io clients connected, each a different user authenticated as the
 * designer's client is (its `lz_session` cookie, sent from the server's own origin). Then
 * `completions` tasks are completed over HTTP from the clients' process (`POST
 * /api/tasks/:id/complete`, 4 at a time), each followed by a task assigned to another user
 * with a connected client; measured there: from sending the completion to that client
 * receiving `task.assigned` for the new task, p50/p99. Target: p99 < 100 ms. Baseline in the
 * same run: the HTTP round trip of `GET /api/health`, and the completion's own response time.
 *
 * Clients, server and database still share this machine's CPUs, but no longer the server's
 * event loop: the clients' heartbeats and parsing run in their own process, as they would on
 * their own machines. `profileDir` writes a CPU profile of the server's process during the
 * completions (bench/profiler.ts).
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { connect } from '../engine/db/connection.ts';
import { hashToken, SESSION_TTL_MS } from '../engine/identity/sessions.ts';
import { insertSession } from '../engine/store/sessions.ts';
import { readConfig } from '../server/config.ts';
import { SESSION_COOKIE } from '../server/http/auth.ts';
import { startServer } from '../server/server.ts';
import { inParallel, type Completion, type FromClients, type ToClients } from './fanoutClients.ts';
import { makeUsers, userName } from './inbox.ts';
import { createRunProfiler } from './profiler.ts';
import { percentile, printTimings, type Log, type Timing } from './scale.ts';

export interface FanoutBenchOptions {
  url: string;
  clients: number;
  completions: number;
  log: Log;
  /** Where to write a CPU profile of the server's process during the completions. */
  profileDir?: string;
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

/** The clients' process, and a way to ask it something and wait for its answer. */
function forkClients(log: Log) {
  const child = fork(new URL('./fanoutClients.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let pending: { resolve: (message: FromClients) => void; reject: (error: Error) => void } | undefined;
  child.on('message', (message: FromClients) => {
    if (message.type === 'log') log(message.line);
    else if (message.type === 'failed') pending?.reject(new Error(`clients' process: ${message.message}`));
    else pending?.resolve(message);
  });
  child.on('exit', (code) => pending?.reject(new Error(`clients' process exited (${code})`)));
  return {
    ask(message: ToClients): Promise<FromClients> {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        child.send(message);
      });
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null || !child.connected) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      pending = undefined;
      child.send({ type: 'stop' } satisfies ToClients);
      await exited;
    },
  };
}

const timing = (label: string, times: number[]): Timing => {
  const sorted = [...times].sort((x, y) => x - y);
  return { label, runs: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

export async function runFanoutBench(options: FanoutBenchOptions): Promise<void> {
  const { log, clients } = options;
  const completions = Math.min(options.completions, Math.floor(clients / 2));
  log(`fanout: a server in-process, ${clients.toLocaleString('en')} socket.io clients in a second process, ${completions} completions ${PARALLEL} at a time…`);
  const db = connect(options.url, { poolMax: 10 });
  const config = {
    ...readConfig({ PORT: '0', ADMIN_PASSWORD: randomBytes(12).toString('hex'), LIUZHUAN_LOAD_TEMPLATES: 'false', LIUZHUAN_DEMO_CUSTOMERS: '0' }),
    databaseUrl: options.url,
  };
  const server = await startServer(config, { db, url: options.url, embedded: false, close: async () => {} });
  const clientsProcess = forkClients(log);
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
    const sessions = Array.from({ length: clients }, (_, i): [string, string] => [userName(i + 1), tokens.get(userName(i + 1))!]);
    await clientsProcess.ask({ type: 'connect', url: server.url, cookie: SESSION_COOKIE, sessions });

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
    const work: Completion[] = instances.map((instance) => ({ instanceId: instance.id, taskId: firstTasks.get(instance.id)!, token: tokens.get(instance.a)! }));

    const profiler = options.profileDir ? await createRunProfiler(options.profileDir) : undefined;
    const stopProfile = await profiler?.start(`fanout-server-${clients}`);
    const result = await clientsProcess.ask({ type: 'run', healthToken: tokens.get(userName(1))!, parallel: PARALLEL, completions: work });
    if (stopProfile) log(`  CPU profile of the server's process: ${await stopProfile()}`);
    await profiler?.close();
    if (result.type !== 'result') throw new Error(`clients' process answered ${result.type}`);
    printTimings(
      log,
      [timing('reference: completion HTTP response', result.responses), timing('completion → next assignee’s task.assigned', result.events)],
      timing('baseline: GET /api/health round trip', result.health),
      { ms: 100, of: 'p99' },
    );
    log(`  events not received within 10 s: ${result.missing}`);
    if (result.missing) process.exitCode = 1;
  } finally {
    await clientsProcess.stop();
    await server.close();
    await db.destroy();
  }
}
