/**
 * Liuzhuan over HTTP: a real server in this process on a random port, and real HTTP clients in
 * a process of their own (bench/httpClients.ts, forked once per workload and kept across runs),
 * each logged in as its own staff user; what one client does is bench/peers/httpClient.ts. With
 * the clients apart, the server's event loop runs only the server, and the CPU this process
 * spends in a run is the server's; the clients' process measures its own, reported beside it.
 *
 * `roundTrips` still runs its clients here, one instance at a time: it counts the statements on
 * the server's knex, not CPU.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../../engine/db/connection.ts';
import type { FromHttpClients, HttpClientsResult, ToHttpClients } from '../httpClients.ts';
import { countRoundTrips } from '../roundTrips.ts';
import { RunStats, sleep, type Workload } from './common.ts';
import { createHttpClient } from './httpClient.ts';

/** What the clients' process spent on a run, in ms of CPU (user + system, and system alone). */
export interface ClientCpu {
  ms: number;
  systemMs: number;
}

export interface OverHttp extends Workload {
  url: string;
  /** As `run`, and the CPU the clients' process spent on it. */
  measure(clients: number, count: number, stats: RunStats): Promise<{ seconds: number; clientCpu: ClientCpu }>;
  /** Average statements per request kind and per instance, `count` instances one at a time. */
  roundTrips(count: number): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/** The clients' process, one run at a time; a failure or an exit of it fails the run waiting on it. */
function forkClients() {
  const child = fork(new URL('../httpClients.ts', import.meta.url), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let pending: { resolve: (result: HttpClientsResult) => void; reject: (error: Error) => void } | undefined;
  let gone: Error | undefined;
  const settle = (outcome: (waiting: NonNullable<typeof pending>) => void) => {
    const waiting = pending;
    pending = undefined;
    if (waiting) outcome(waiting);
  };
  child.on('message', (message: FromHttpClients) => {
    if (message.type === 'failed') settle(({ reject }) => reject(new Error(`HTTP clients' process: ${message.message}`)));
    else settle(({ resolve }) => resolve(message));
  });
  child.on('error', (error) => settle(({ reject }) => reject(new Error(`HTTP clients' process: ${error.message}`))));
  child.on('exit', (code, signal) => {
    gone = new Error(`HTTP clients' process exited (${signal ?? code})`);
    settle(({ reject }) => reject(gone!));
  });
  return {
    run(message: Extract<ToHttpClients, { type: 'run' }>): Promise<HttpClientsResult> {
      return new Promise((resolve, reject) => {
        if (gone) return reject(gone);
        if (pending) return reject(new Error("HTTP clients' process: a run is already in progress"));
        pending = { resolve, reject };
        child.send(message, (error) => {
          if (error) settle(({ reject: fail }) => fail(new Error(`HTTP clients' process: ${error.message}`)));
        });
      });
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      if (child.connected) child.send({ type: 'stop' } satisfies ToHttpClients);
      else child.kill();
      // A child stuck in a run would never read the stop: end it after a grace period.
      const timer = setTimeout(() => child.kill(), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The clients' figures back into the RunStats the benchmark reads. */
function intoStats(result: HttpClientsResult, stats: RunStats): void {
  stats.completed += result.completed;
  stats.errors += result.errors;
  stats.retries += result.retries;
  for (const latency of result.latencies) stats.latencies.push(latency);
  for (const [problem, n] of result.problems) stats.problems.set(problem, (stats.problems.get(problem) ?? 0) + n);
  for (const sample of result.samples) if (stats.samples.length < 5) stats.samples.push(sample);
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
  // The clients keep their connections between runs (other workloads run in between): idle
  // sockets stay open longer than the default 5 s, so a run does not begin on connections the
  // server is closing (see test/helpers/server.ts).
  server.http.keepAliveTimeout = 120_000;
  const clients = forkClients();

  // roundTrips' one client, here: one connection, kept alive.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { runInstance } = createHttpClient(server.url, agent);

  const measure = async (count: number, instances: number, stats: RunStats) => {
    const result = await clients.run({ type: 'run', url: server.url, tokens, clients: count, count: instances });
    intoStats(result, stats);
    return { seconds: result.seconds, clientCpu: { ms: result.cpuUserMs + result.cpuSystemMs, systemMs: result.cpuSystemMs } };
  };

  return {
    name: 'Liuzhuan over HTTP',
    clientCounts,
    url: server.url,
    measure,
    run: async (count: number, instances: number, stats: RunStats) => (await measure(count, instances, stats)).seconds,
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
      await clients.stop();
      agent.destroy();
      await server.close();
      await db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
