/**
 * The throughput benchmark's report (bench/throughput.ts): the table, round trips, memory,
 * issue 16's targets as met / NOT met, and the same figures as JSON for tools.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One workload at one client count: one run, or the median of the rounds. */
export interface Result {
  workload: string;
  clients: number;
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  retries: number;
  problems: Map<string, number>;
  samples: string[];
  /**
   * Milliseconds of CPU per instance of this process: the bench and the engine with its callers
   * in-process; over HTTP the bench and the server, its clients running in a process of their own.
   */
  nodeCpuMs: number;
  /** Of which in the kernel (system time): sockets, mostly. */
  nodeSystemCpuMs: number;
  /** Milliseconds of CPU per instance of the PostgreSQL backends on the bench database; NaN when unreadable. */
  postgresCpuMs: number;
  /** Over HTTP, milliseconds of CPU per instance of the clients' process (bench/httpClients.ts); NaN for the others. */
  clientCpuMs: number;
  /** Of which in the kernel. */
  clientSystemCpuMs: number;
}

export interface ReportInput {
  log: (line: string) => void;
  fmt: (value: number, digits?: number) => string;
  results: Result[];
  rounds: number;
  instances: number;
  inProcessTrips: Record<string, number>;
  httpTrips: Record<string, number>;
  idleRss: number;
  peaks: Map<string, number>;
}

const MB = 1024 * 1024;

/** The figures as JSON (NaN as null), with when and where they were measured. */
export function writeJson(file: string, { results, rounds, instances, inProcessTrips, httpTrips, idleRss, peaks }: ReportInput): void {
  const number = (value: number) => (Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null);
  const json = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    loadAverage: os.loadavg(),
    instancesPerRun: instances,
    rounds,
    results: results.map((r) => ({
      workload: r.workload,
      clients: r.clients,
      instancesPerSecond: number(r.perSecond),
      p50Ms: number(r.p50),
      p99Ms: number(r.p99),
      errors: r.errors,
      retries: r.retries,
      problems: Object.fromEntries(r.problems),
      cpuPerInstanceMs: {
        node: number(r.nodeCpuMs),
        nodeSystem: number(r.nodeSystemCpuMs),
        postgres: number(r.postgresCpuMs),
        clients: number(r.clientCpuMs),
        clientsSystem: number(r.clientSystemCpuMs),
      },
    })),
    statementsPerCommand: { inProcess: inProcessTrips, overHttp: httpTrips },
    rssMb: { idle: number(idleRss / MB), peakAt8Clients: Object.fromEntries([...peaks].map(([name, peak]) => [name, number(peak / MB)])) },
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

export function report({ log, fmt, results, rounds, inProcessTrips, httpTrips, idleRss, peaks }: ReportInput): void {
  const find = (name: string, clients: number) => results.find((r) => r.workload.startsWith(name) && r.clients === clients);
  const floorAt = (clients: number) => find('PostgreSQL floor', clients) ?? find('PostgreSQL floor', 32);
  const pad = (text: string, width: number) => text.padEnd(width);
  const lpad = (text: string, width: number) => text.padStart(width);
  log('');
  log(`Throughput (median of ${rounds} round(s); latency = one command: start or complete; errors/retries summed over rounds)`);
  log(
    `| ${pad('workload', 30)} | clients | ${lpad('inst/s', 8)} | × floor | p50 ms | p99 ms | errors | retries | node CPU ms/inst | PG CPU ms/inst | client CPU ms/inst |`,
  );
  log(`|${'-'.repeat(32)}|--------:|${'-'.repeat(9)}:|--------:|-------:|-------:|-------:|--------:|-----------------:|---------------:|-------------------:|`);
  for (const result of results) {
    const base = floorAt(result.clients);
    const ratio = result.workload.startsWith('PostgreSQL') || !base ? '' : `${fmt(result.perSecond / base.perSecond, 2)}×`;
    log(
      `| ${pad(result.workload, 30)} | ${lpad(String(result.clients), 7)} | ${lpad(fmt(result.perSecond), 8)} | ${lpad(ratio, 7)} | ` +
        `${lpad(fmt(result.p50), 6)} | ${lpad(fmt(result.p99), 6)} | ${lpad(String(result.errors), 6)} | ${lpad(String(result.retries), 7)} | ` +
        `${lpad(fmt(result.nodeCpuMs, 2), 16)} | ${lpad(fmt(result.postgresCpuMs, 2), 14)} | ${lpad(fmt(result.clientCpuMs, 2), 18)} |`,
    );
  }
  log('(× floor at 128 clients: against the floor at 32, the most the floor is run with)');
  log(
    '(CPU per instance: node = the bench\'s process: the engine and its callers in-process, the server alone over HTTP; ' +
      'client = over HTTP, the clients\' own process (bench/httpClients.ts); ' +
      'PG = the PostgreSQL backends connected to the bench database, from /proc/<pid>/stat; medians of the rounds)',
  );
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
  log(`Memory (RSS of the bench's process, with the server; not the HTTP clients' process): idle after setup ${fmt(idleRss / MB, 0)} MB; peak at 8 clients:`);
  for (const [name, peak] of peaks) log(`  ${name}: ${fmt(peak / MB, 0)} MB`);

  const ratio = (name: string, clients: number) => (find(name, clients)?.perSecond ?? NaN) / (floorAt(clients)?.perSecond ?? NaN);
  const http8 = find('Liuzhuan over HTTP', 8)?.perSecond ?? NaN;
  const peer8 = find('bpmn-engine', 8)?.perSecond ?? NaN;
  const commandTrips = ['start', 'complete fill', 'complete approve/review'].map((kind) => inProcessTrips[kind] ?? NaN);
  const heavyErrors = results.filter((r) => r.workload.startsWith('Liuzhuan') && r.clients >= 32).reduce((sum, r) => sum + r.errors, 0);
  // A run restricted with --workloads or --clients may not measure a target at all (NaN).
  const targets: Array<[string, string, boolean, number]> = [
    ['in-process, 8 clients ≥ 0.5 × floor', `${fmt(ratio('Liuzhuan in-process', 8), 2)}×`, ratio('Liuzhuan in-process', 8) >= 0.5, ratio('Liuzhuan in-process', 8)],
    ['HTTP, 8 clients ≥ 0.35 × floor', `${fmt(ratio('Liuzhuan over HTTP', 8), 2)}×`, ratio('Liuzhuan over HTTP', 8) >= 0.35, ratio('Liuzhuan over HTTP', 8)],
    ['HTTP, 8 clients ≥ 3 × bpmn-engine', `${fmt(http8 / peer8, 2)}×`, http8 / peer8 >= 3, http8 / peer8],
    ['≤ 4 round trips per command (in-process start, complete)', commandTrips.map((n) => fmt(n)).join(' / '), commandTrips.every((n) => n <= 4), commandTrips[0]!],
    ['0 errors at 32 and 128 clients (Liuzhuan)', String(heavyErrors), heavyErrors === 0, heavyErrors],
  ];
  log('');
  log('Targets (issue 16):');
  for (const [target, measured, met, value] of targets) {
    log(`  ${Number.isNaN(value) ? 'not run' : met ? 'met    ' : 'NOT met'}  ${target}: ${measured}`);
  }
}
