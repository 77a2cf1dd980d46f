/**
 * Throughput benchmark (issue 16): instances/s of a representative process (start → fill a
 * small form → exclusive gateway on the amount → approve or review → end; 3 commands per
 * instance), side by side on the same database in the same run:
 *
 *  1. PostgreSQL floor — 3 transactions per instance, each INSERT + UPDATE of a JSONB row;
 *  2. Liuzhuan in-process — the engine's commands, no HTTP;
 *  3. Liuzhuan over HTTP — a real server in this process, fetch clients as staff users;
 *  4. bpmn-engine — the same BPMN, its state recovered from and saved to a JSONB row per step.
 *
 * Each at 1, 8 and 32 concurrent clients (HTTP also 128), medians of `rounds` rounds. Also
 * SQL statements per command (bench/roundTrips.ts), and the process's RSS idle and at 8 clients.
 * The targets of issue 16 are printed as met / NOT met beside the figures.
 */
import { randomBytes } from 'node:crypto';
import type { AuthUser } from '../engine/identity/types.ts';
import { userForToken } from '../engine/identity/sessions.ts';
import { createBpmnEngineWorkload } from './peers/bpmnEngine.ts';
import { FORM, LIUZHUAN_PROCESS, RunStats, median, percentile, type Workload } from './peers/common.ts';
import { createFloorWorkload } from './peers/floor.ts';
import { createHttpWorkload } from './peers/http.ts';
import { createInProcessWorkload } from './peers/liuzhuan.ts';

export interface ThroughputOptions {
  url: string;
  instances: number;
  rounds: number;
  log: (line: string) => void;
}

interface Result {
  workload: string;
  clients: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  retries: number;
  problems: Map<string, number>;
  samples: string[];
}

const CLIENTS = [1, 8, 32];
const HTTP_CLIENTS = [1, 8, 32, 128];
const USERS = Math.max(...HTTP_CLIENTS);
const MB = 1024 * 1024;

/** Samples RSS every 100 ms until stopped; returns the peak in bytes. */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

/** `USERS` staff users, logged in: their tokens (HTTP) and who they are (in-process). */
async function makeUsers(engine: ReturnType<typeof createInProcessWorkload>['engine'], db: ReturnType<typeof createInProcessWorkload>['db']) {
  const password = `bench-${randomBytes(6).toString('hex')}`;
  const tokens: string[] = [];
  const actors: AuthUser[] = [];
  for (let batch = 0; batch < USERS; batch += 8) {
    const names = Array.from({ length: Math.min(8, USERS - batch) }, (_, i) => `bench${batch + i + 1}`);
    const made = await Promise.all(
      names.map(async (username) => {
        await engine.createUser({ body: { username, displayName: username, password, role: 'staff' }, locale: 'en' });
        const { token } = await engine.login({ username, password }, 'en');
        return { token, actor: (await userForToken(db, token))! };
      }),
    );
    for (const { token, actor } of made) {
      tokens.push(token);
      actors.push(actor);
    }
  }
  return { tokens, actors };
}

export async function runThroughputBench(options: ThroughputOptions): Promise<void> {
  const { log, instances, rounds } = options;
  const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '—');
  log(`throughput: ${instances} instances per run, ${rounds} round(s), clients ${CLIENTS.join('/')} (HTTP ${HTTP_CLIENTS.join('/')})…`);

  // The in-process engine sets the scene: form, process, users (the server only reads them).
  const actors: AuthUser[] = [];
  const inProcess = createInProcessWorkload(options.url, actors, CLIENTS);
  await inProcess.engine.saveForm({ body: FORM, locale: 'en', createdBy: null });
  await inProcess.engine.deploy(LIUZHUAN_PROCESS);
  const users = await makeUsers(inProcess.engine, inProcess.db);
  actors.push(...users.actors);
  const floor = await createFloorWorkload(options.url, CLIENTS);
  const http = await createHttpWorkload(options.url, users.tokens, HTTP_CLIENTS, `admin-${randomBytes(8).toString('hex')}`);
  const peer = await createBpmnEngineWorkload(options.url, CLIENTS);
  const workloads: Workload[] = [floor, inProcess, http, peer];
  const results: Result[] = [];
  const peaks = new Map<string, number>();
  try {
    // Warm-up (JIT, pools, caches): not reported.
    for (const workload of workloads) await workload.run(2, 20, new RunStats());

    const tripInstances = Math.min(50, instances);
    log(`SQL statements per command, ${tripInstances} instances one at a time…`);
    const inProcessTrips = await inProcess.roundTrips(tripInstances);
    const httpTrips = await http.roundTrips(tripInstances);
    global.gc?.();
    const idleRss = process.memoryUsage().rss;

    const runs = new Map<string, Result[]>();
    for (let round = 1; round <= rounds; round++) {
      for (const clients of HTTP_CLIENTS) {
        for (const workload of workloads.filter((w) => w.clientCounts.includes(clients))) {
          const stats = new RunStats();
          const sampler = rssSampler();
          const seconds = await workload.run(clients, instances, stats);
          const peak = sampler.stop();
          if (clients === 8) peaks.set(workload.name, Math.max(peaks.get(workload.name) ?? 0, peak));
          const result: Result = {
            workload: workload.name,
            clients,
            perSecond: stats.completed / seconds,
            p50: percentile(stats.latencies, 50),
            p99: percentile(stats.latencies, 99),
            errors: stats.errors,
            retries: stats.retries,
            problems: stats.problems,
            samples: stats.samples,
          };
          const key = `${workload.name}|${clients}`;
          runs.set(key, [...(runs.get(key) ?? []), result]);
          log(
            `  round ${round}/${rounds} ${workload.name}, ${clients} client(s): ${fmt(result.perSecond)} inst/s, ` +
              `p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, ${result.errors} error(s), ${result.retries} retr(ies)`,
          );
          for (const sample of result.samples) log(`      ${sample.split('\n').slice(0, 6).join('\n      ')}`);
        }
      }
    }
    for (const [key, list] of runs) {
      const [workload, clients] = key.split('|');
      const problems = new Map<string, number>();
      for (const run of list) for (const [problem, n] of run.problems) problems.set(problem, (problems.get(problem) ?? 0) + n);
      results.push({
        workload: workload!,
        clients: Number(clients),
        perSecond: median(list.map((r) => r.perSecond)),
        p50: median(list.map((r) => r.p50)),
        p99: median(list.map((r) => r.p99)),
        errors: list.reduce((sum, r) => sum + r.errors, 0),
        retries: list.reduce((sum, r) => sum + r.retries, 0),
        problems,
        samples: list.flatMap((r) => r.samples),
      });
    }
    report({ log, fmt, results, rounds, inProcessTrips, httpTrips, idleRss, peaks });
  } finally {
    await http.close();
    await Promise.all([inProcess.close(), floor.close(), peer.close()]);
  }
}

interface ReportInput {
  log: (line: string) => void;
  fmt: (value: number, digits?: number) => string;
  results: Result[];
  rounds: number;
  inProcessTrips: Record<string, number>;
  httpTrips: Record<string, number>;
  idleRss: number;
  peaks: Map<string, number>;
}

function report({ log, fmt, results, rounds, inProcessTrips, httpTrips, idleRss, peaks }: ReportInput): void {
  const find = (name: string, clients: number) => results.find((r) => r.workload.startsWith(name) && r.clients === clients);
  const floorAt = (clients: number) => find('PostgreSQL floor', clients) ?? find('PostgreSQL floor', 32);
  const pad = (text: string, width: number) => text.padEnd(width);
  const lpad = (text: string, width: number) => text.padStart(width);
  log('');
  log(`Throughput (median of ${rounds} round(s); latency = one command: start or complete; errors/retries summed over rounds)`);
  log(`| ${pad('workload', 30)} | clients | ${lpad('inst/s', 8)} | × floor | p50 ms | p99 ms | errors | retries |`);
  log(`|${'-'.repeat(32)}|--------:|${'-'.repeat(9)}:|--------:|-------:|-------:|-------:|--------:|`);
  for (const result of results) {
    const base = floorAt(result.clients);
    const ratio = result.workload.startsWith('PostgreSQL') ? '' : `${fmt(result.perSecond / base!.perSecond, 2)}×`;
    log(
      `| ${pad(result.workload, 30)} | ${lpad(String(result.clients), 7)} | ${lpad(fmt(result.perSecond), 8)} | ${lpad(ratio, 7)} | ` +
        `${lpad(fmt(result.p50), 6)} | ${lpad(fmt(result.p99), 6)} | ${lpad(String(result.errors), 6)} | ${lpad(String(result.retries), 7)} |`,
    );
  }
  log('(× floor at 128 clients: against the floor at 32, the most the floor is run with)');
  const problems = results.filter((r) => r.problems.size > 0);
  if (problems.length > 0) {
    log('');
    log('Non-2xx answers and failures (all rounds):');
    for (const r of problems) log(`  ${r.workload}, ${r.clients} client(s): ${[...r.problems].map(([k, n]) => `${n} × ${k}`).join('; ')}`);
  }
  log('');
  log('SQL statements (round trips, incl. BEGIN/COMMIT) on the engine’s knex, instances one at a time:');
  for (const [kind, n] of Object.entries(inProcessTrips)) log(`  in-process ${kind}: ${fmt(n)}`);
  for (const [kind, n] of Object.entries(httpTrips)) log(`  over HTTP ${kind}: ${fmt(n)}`);
  log('');
  log(`Memory (RSS of this process: bench, server and clients): idle after setup ${fmt(idleRss / MB, 0)} MB; peak at 8 clients:`);
  for (const [name, peak] of peaks) log(`  ${name}: ${fmt(peak / MB, 0)} MB`);

  const ratio = (name: string, clients: number) => (find(name, clients)?.perSecond ?? NaN) / (floorAt(clients)?.perSecond ?? NaN);
  const http8 = find('Liuzhuan over HTTP', 8)?.perSecond ?? NaN;
  const peer8 = find('bpmn-engine', 8)?.perSecond ?? NaN;
  const commandTrips = ['start', 'complete fill', 'complete approve/review'].map((kind) => inProcessTrips[kind] ?? NaN);
  const heavyErrors = results.filter((r) => r.workload.startsWith('Liuzhuan') && r.clients >= 32).reduce((sum, r) => sum + r.errors, 0);
  const targets: Array<[string, string, boolean]> = [
    ['in-process, 8 clients ≥ 0.5 × floor', `${fmt(ratio('Liuzhuan in-process', 8), 2)}×`, ratio('Liuzhuan in-process', 8) >= 0.5],
    ['HTTP, 8 clients ≥ 0.35 × floor', `${fmt(ratio('Liuzhuan over HTTP', 8), 2)}×`, ratio('Liuzhuan over HTTP', 8) >= 0.35],
    ['HTTP, 8 clients ≥ 3 × bpmn-engine', `${fmt(http8 / peer8, 2)}×`, http8 / peer8 >= 3],
    ['≤ 4 round trips per command (in-process start, complete)', commandTrips.map((n) => fmt(n)).join(' / '), commandTrips.every((n) => n <= 4)],
    ['0 errors at 32 and 128 clients (Liuzhuan)', String(heavyErrors), heavyErrors === 0],
  ];
  log('');
  log('Targets (issue 16):');
  for (const [target, measured, met] of targets) log(`  ${met ? 'met    ' : 'NOT met'}  ${target}: ${measured}`);
}
