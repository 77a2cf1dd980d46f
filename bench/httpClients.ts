/**
 * The clients of the throughput benchmark's HTTP workload (bench/peers/http.ts), in a process of
 * their own (started once per workload with child_process.fork, kept across runs). In one process
 * with the server, the server's event loop also ran every client's request building and answer
 * parsing, and the CPU measured for "node" was client and server together; a deployment's clients
 * run elsewhere. Times are taken here: each command's latency, and a run's seconds from its first
 * request to its last answer. The CPU this process spends in a run is measured here too
 * (process.cpuUsage()), and reported as the clients' own figure.
 *
 * Messages (process.send / 'message'), parent → child:
 *   { type: 'run', url, tokens, clients, count } → { type: 'result', … } (RunStats' figures, seconds, CPU)
 *   { type: 'stop' }: closes the connections and exits.
 * A run that cannot finish answers { type: 'failed', message }.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { RunStats, runClients } from './peers/common.ts';
import { createHttpClient } from './peers/httpClient.ts';

export type ToHttpClients = { type: 'run'; url: string; tokens: string[]; clients: number; count: number } | { type: 'stop' };

export interface HttpClientsResult {
  type: 'result';
  /** From the first request to the last answer, by this process's clock. */
  seconds: number;
  completed: number;
  errors: number;
  retries: number;
  latencies: number[];
  problems: [string, number][];
  samples: string[];
  /** This process's CPU during the run (process.cpuUsage() delta), in ms. */
  cpuUserMs: number;
  cpuSystemMs: number;
}

export type FromHttpClients = HttpClientsResult | { type: 'failed'; message: string };

const send = (message: FromHttpClients) => process.send!(message);

/** Kept-alive connections by client count, kept across runs: as many sockets as clients. */
const agents = new Map<number, http.Agent>();

async function run(url: string, tokens: string[], clients: number, count: number): Promise<HttpClientsResult> {
  let agent = agents.get(clients);
  if (!agent) agents.set(clients, (agent = new http.Agent({ keepAlive: true, maxSockets: clients })));
  const { runInstance } = createHttpClient(url, agent);
  const stats = new RunStats();
  const cpuBefore = process.cpuUsage();
  const seconds = await runClients(clients, count, stats, (client, index) =>
    runInstance(stats, tokens[client % tokens.length]!, index, (command) => stats.time(command)),
  );
  const cpu = process.cpuUsage(cpuBefore);
  return {
    type: 'result',
    seconds,
    completed: stats.completed,
    errors: stats.errors,
    retries: stats.retries,
    latencies: stats.latencies,
    problems: [...stats.problems],
    samples: stats.samples,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
  };
}

function stop(): void {
  for (const agent of agents.values()) agent.destroy();
  process.exit(0);
}

function onMessage(message: ToHttpClients): void {
  switch (message.type) {
    case 'run':
      run(message.url, message.tokens, message.clients, message.count).then(send, (error: unknown) =>
        send({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
      break;
    case 'stop':
      stop();
      break;
  }
}

// Only when forked: bench/peers/http.ts imports this module for its types. A parent that dies
// without saying stop closes the channel: no orphan left holding connections.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.on('message', onMessage);
  process.on('disconnect', stop);
}
