/**
 * Throughput benchmark (issue 16): instances/s of a representative process (start → fill a
 * small form → exclusive gateway on the amount → approve or review → end; 3 commands per
 * instance), side by side on the same database in the same run:
 *
 *  1. PostgreSQL floor — 3 transactions per instance, each INSERT + UPDATE of a JSONB row;
 *  2. Liuzhuan in-process — the engine's commands, no HTTP;
 *  3. Liuzhuan over HTTP — a real server in this process, node:http clients as staff users in a
 *     process of their own (bench/httpClients.ts), as a deployment's clients run elsewhere;
 *  4. bpmn-engine — the same BPMN, its state recovered from and saved to a JSONB row per step.
 *
 * Each at 1, 8 and 32 concurrent clients (HTTP also 128), medians of `rounds` rounds. Also
 * CPU per instance (bench/cpu.ts: this process and the PostgreSQL backends; this process is
 * the engine and its callers in-process, the server alone over HTTP, whose clients' process
 * reports its own CPU beside it), SQL statements per command (bench/roundTrips.ts), and this
 * process's RSS idle and at 8 clients. The targets of issue 16 are printed as met / NOT met
 * beside the figures (bench/throughputReport.ts), and everything is written as JSON.
 *
 * With the server's autovacuum off (some CI images), the bench database is vacuumed and analyzed
 * before each measured run (bench/autovacuum.ts), as a deployment's autovacuum would keep it.
 *
 * `workloads` and `clients` restrict a run (e.g. a profile of HTTP at 8 clients only); the
 * in-process engine is still created, as it sets the scene (form, process, users).
 */
import { randomBytes } from 'node:crypto';
import type { AuthUser } from '../engine/identity/types.ts';
import { userForToken } from '../engine/identity/sessions.ts';
import { createBpmnEngineWorkload } from './peers/bpmnEngine.ts';
import { FORM, LIUZHUAN_PROCESS, RunStats, median, percentile, type Workload } from './peers/common.ts';
import { createFloorWorkload } from './peers/floor.ts';
import { createHttpWorkload, type ClientCpu } from './peers/http.ts';
import { createInProcessWorkload } from './peers/liuzhuan.ts';
import { vacuumStandIn } from './autovacuum.ts';
import { createCpuMeter } from './cpu.ts';
import { createRunProfiler, type RunProfiler } from './profiler.ts';
import { report, writeJson, type Result } from './throughputReport.ts';

/** Short names for `--workloads`, by workload. */
export const WORKLOAD_IDS = ['floor', 'inprocess', 'http', 'bpmn-engine'] as const;
export type WorkloadId = (typeof WORKLOAD_IDS)[number];

export interface ThroughputOptions {
  url: string;
  instances: number;
  rounds: number;
  log: (line: string) => void;
  /** Only these workloads (default all). */
  workloads?: readonly WorkloadId[];
  /** Only these client counts (default all). */
  clients?: readonly number[];
  /** Where the JSON results go (default none). */
  jsonPath?: string;
  /** A folder for a CPU profile of each measured run (bench/profiler.ts); default none. */
  profileDir?: string;
}

const CLIENTS = [1, 8, 32];
const HTTP_CLIENTS = [1, 8, 32, 128];

/** Samples RSS every 100 ms until stopped; returns the peak in bytes. */
function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  // A run that throws never stops its sampler: it must not keep the failed bench alive.
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

/** `count` staff users, logged in: their tokens (HTTP) and who they are (in-process). */
async function makeUsers(engine: ReturnType<typeof createInProcessWorkload>['engine'], db: ReturnType<typeof createInProcessWorkload>['db'], count: number) {
  const password = `bench-${randomBytes(6).toString('hex')}`;
  const tokens: string[] = [];
  const actors: AuthUser[] = [];
  for (let batch = 0; batch < count; batch += 8) {
    const names = Array.from({ length: Math.min(8, count - batch) }, (_, i) => `bench${batch + i + 1}`);
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
  const selected = new Set<WorkloadId>(options.workloads ?? WORKLOAD_IDS);
  const counts = (list: number[]) => list.filter((n) => !options.clients || options.clients.includes(n));
  log(
    `throughput: ${instances} instances per run, ${rounds} round(s), clients ${counts(CLIENTS).join('/')} (HTTP ${counts(HTTP_CLIENTS).join('/')}), ` +
      `workloads ${[...selected].join(', ')}…`,
  );

  // The in-process engine sets the scene: form, process, users (the server only reads them).
  const actors: AuthUser[] = [];
  const inProcess = createInProcessWorkload(options.url, actors, counts(CLIENTS));
  await inProcess.engine.saveForm({ body: FORM, locale: 'en', createdBy: null });
  await inProcess.engine.deploy(LIUZHUAN_PROCESS);
  // One user per client of the largest client count run.
  const users = await makeUsers(inProcess.engine, inProcess.db, Math.max(...counts(HTTP_CLIENTS)));
  actors.push(...users.actors);
  const floor = selected.has('floor') ? await createFloorWorkload(options.url, counts(CLIENTS)) : undefined;
  const http = selected.has('http')
    ? await createHttpWorkload(options.url, users.tokens, counts(HTTP_CLIENTS), `admin-${randomBytes(8).toString('hex')}`)
    : undefined;
  const peer = selected.has('bpmn-engine') ? await createBpmnEngineWorkload(options.url, counts(CLIENTS)) : undefined;
  const workloads: Workload[] = [];
  for (const workload of [floor, selected.has('inprocess') ? inProcess : undefined, http, peer]) if (workload) workloads.push(workload);
  const meter = createCpuMeter(options.url);
  const vacuum = await vacuumStandIn(inProcess.db);
  if (vacuum) log('autovacuum is off on this PostgreSQL: the bench database is vacuumed and analyzed before each measured run instead (bench/autovacuum.ts)');
  let vacuumMs = 0;
  const profiler: RunProfiler | undefined = options.profileDir ? await createRunProfiler(options.profileDir) : undefined;
  const results: Result[] = [];
  const peaks = new Map<string, number>();
  try {
    // Warm-up (JIT, pools, caches): not reported.
    for (const workload of workloads) await workload.run(2, 20, new RunStats());

    const tripInstances = Math.min(50, instances);
    log(`SQL statements per command, ${tripInstances} instances one at a time…`);
    const inProcessTrips = selected.has('inprocess') ? await inProcess.roundTrips(tripInstances) : {};
    const httpTrips = http ? await http.roundTrips(tripInstances) : {};
    global.gc?.();
    const idleRss = process.memoryUsage().rss;

    const runs = new Map<string, Result[]>();
    for (let round = 1; round <= rounds; round++) {
      for (const clients of counts(HTTP_CLIENTS)) {
        for (const workload of workloads.filter((w) => w.clientCounts.includes(clients))) {
          if (vacuum) vacuumMs += await vacuum.beforeRun();
          const stats = new RunStats();
          const sampler = rssSampler();
          const stopProfile = await profiler?.start(`${workload.name} ${clients} round ${round}`);
          const stopMeter = await meter.start();
          // Over HTTP the clients' process times the run and measures its own CPU.
          const { seconds, clientCpu }: { seconds: number; clientCpu?: ClientCpu } =
            workload === http ? await http.measure(clients, instances, stats) : { seconds: await workload.run(clients, instances, stats) };
          const cpu = await stopMeter();
          if (stopProfile) log(`  profile: ${await stopProfile()}`);
          const peak = sampler.stop();
          // Per instance run, failed ones included: their CPU was spent too.
          const perInstance = (ms: number) => ms / instances;
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
            nodeCpuMs: perInstance(cpu.nodeMs),
            nodeSystemCpuMs: perInstance(cpu.nodeSystemMs),
            postgresCpuMs: perInstance(cpu.postgresMs),
            clientCpuMs: perInstance(clientCpu?.ms ?? NaN),
            clientSystemCpuMs: perInstance(clientCpu?.systemMs ?? NaN),
          };
          const key = `${workload.name}|${clients}`;
          runs.set(key, [...(runs.get(key) ?? []), result]);
          log(
            `  round ${round}/${rounds} ${workload.name}, ${clients} client(s): ${fmt(result.perSecond)} inst/s, ` +
              `p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, ${result.errors} error(s), ${result.retries} retr(ies), ` +
              `CPU per instance: node ${fmt(result.nodeCpuMs, 2)} ms (system ${fmt(result.nodeSystemCpuMs, 2)}), PostgreSQL ${fmt(result.postgresCpuMs, 2)} ms` +
              (clientCpu ? `, clients' process ${fmt(result.clientCpuMs, 2)} ms (system ${fmt(result.clientSystemCpuMs, 2)})` : ''),
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
        nodeCpuMs: median(list.map((r) => r.nodeCpuMs)),
        nodeSystemCpuMs: median(list.map((r) => r.nodeSystemCpuMs)),
        postgresCpuMs: median(list.map((r) => r.postgresCpuMs)),
        clientCpuMs: median(list.map((r) => r.clientCpuMs)),
        clientSystemCpuMs: median(list.map((r) => r.clientSystemCpuMs)),
      });
    }
    if (vacuum) log(`VACUUM (ANALYZE) before the runs took ${fmt(vacuumMs / 1000)} s in all (not in the runs' figures)`);
    const input = { log, fmt, results, rounds, instances, inProcessTrips, httpTrips, idleRss, peaks };
    report(input);
    if (options.jsonPath) {
      writeJson(options.jsonPath, input);
      log(`JSON: ${options.jsonPath}`);
    }
  } finally {
    await http?.close();
    await Promise.all([inProcess.close(), floor?.close(), peer?.close(), meter.close(), profiler?.close()]);
  }
}

