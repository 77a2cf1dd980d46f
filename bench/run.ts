/**
 * `npm run bench`: benchmarks on a fresh database — on DATABASE_URL's server when set,
 * else on an embedded PostgreSQL in a temporary folder. BENCH_JOBS sets the burst size;
 * BENCH_CHART_ROWS the complaint records of the chart benchmark (1,000,000). `--quick`: a
 * small run that checks the benchmarks work (100 jobs, 50,000 records, 5 runs per query);
 * `--only jobs|charts|throughput|inbox|records|fanout|timers`: one of them. BENCH_INSTANCES: instances
 * per throughput run (2,000; --quick 200, one round instead of three). Throughput only:
 * `--workloads floor,inprocess,http,bpmn-engine` and `--clients 1,8,32,128` restrict the run
 * (e.g. to profile HTTP at 8 clients); `--json <file>` says where its figures go as JSON
 * (bench/results/throughput.json by default, kept out of git); `--profile <dir>` writes a CPU
 * profile of each measured run there (bench/profiler.ts; summarise with bench/profileSummary.ts), and
 * fanout one of the server's process during its completions.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '../engine/db/connection.ts';
import { withDatabase } from '../engine/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../engine/db/embeddedPostgres.ts';
import { migrateToLatest } from '../engine/db/migrate.ts';
import { runChartsBench } from './charts.ts';
import { runJobsBench } from './jobs.ts';
import { runThroughputBench, WORKLOAD_IDS, type WorkloadId } from './throughput.ts';
import { runScaleBenches } from './scaleRun.ts';

const log = (line: string) => console.log(line);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const only = option('--only');

/** `--workloads a,b` and `--clients 1,8`: a list, each item checked (a typo must not silently run nothing). */
function throughputFilters(): { workloads?: WorkloadId[]; clients?: number[] } {
  const workloads = option('--workloads')?.split(',').map((name) => name.trim());
  for (const name of workloads ?? []) {
    if (!(WORKLOAD_IDS as readonly string[]).includes(name)) throw new Error(`--workloads: "${name}" is none of ${WORKLOAD_IDS.join(', ')}`);
  }
  const clients = option('--clients')?.split(',').map((n) => Number(n));
  for (const n of clients ?? []) if (!Number.isInteger(n) || n < 1) throw new Error(`--clients: "${n}" is not a client count (1, 8, 32 or 128)`);
  return { workloads: workloads as WorkloadId[] | undefined, clients };
}

async function main(): Promise<void> {
  const filters = throughputFilters(); // before any database is made
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-bench-pg-'));
    log('starting an embedded PostgreSQL (set DATABASE_URL to use your own)…');
    embedded = await startEmbeddedPostgres(dataDir);
    adminUrl = embedded.adminUrl;
  }
  const name = `lz_bench_${randomBytes(4).toString('hex')}`;
  const admin = connect(adminUrl, { poolMax: 1 });
  await admin.raw('CREATE DATABASE ??', [name]);
  const url = withDatabase(adminUrl, name);
  try {
    const db = connect(url, { poolMax: 2 });
    await migrateToLatest(db);
    await db.destroy();
    log(`database ${name}; ${os.cpus().length} CPUs; node ${process.version}${quick ? '; --quick' : ''}`);
    if (!only || only === 'jobs') {
      const jobs = Number(process.env.BENCH_JOBS ?? (quick ? 100 : 1000));
      await runJobsBench({ url, jobs, log });
    }
    if (!only || only === 'charts') {
      const rows = Number(process.env.BENCH_CHART_ROWS ?? (quick ? 50_000 : 1_000_000));
      await runChartsBench({ url, rows, runs: quick ? 5 : 20, log });
    }
    if (!only || only === 'throughput') {
      const instances = Number(process.env.BENCH_INSTANCES ?? (quick ? 200 : 2000));
      const jsonPath = option('--json') ?? fileURLToPath(new URL('./results/throughput.json', import.meta.url));
      await runThroughputBench({ url, instances, rounds: quick ? 1 : 3, log, jsonPath, profileDir: option('--profile'), ...filters });
    }
    // Scale benchmarks (issue 16): inbox, records, fanout, timers — each on its own database (bench/scaleRun.ts).
    await runScaleBenches({ adminUrl, only, quick, log, profileDir: option('--profile') });
  } finally {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await admin.destroy();
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
