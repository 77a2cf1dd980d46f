/**
 * `npm run bench`: benchmarks on a fresh database — on DATABASE_URL's server when set,
 * else on an embedded PostgreSQL in a temporary folder. BENCH_JOBS sets the burst size;
 * BENCH_CHART_ROWS the complaint records of the chart benchmark (1,000,000). `--quick`: a
 * small run that checks the benchmarks work (100 jobs, 50,000 records, 5 runs per query);
 * `--only jobs|charts|throughput|inbox|records|fanout|timers`: one of them. BENCH_INSTANCES: instances
 * per throughput run (2,000; --quick 200, one round instead of three).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../engine/db/connection.ts';
import { withDatabase } from '../engine/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../engine/db/embeddedPostgres.ts';
import { migrateToLatest } from '../engine/db/migrate.ts';
import { runChartsBench } from './charts.ts';
import { runJobsBench } from './jobs.ts';
import { runThroughputBench } from './throughput.ts';
import { runScaleBenches } from './scaleRun.ts';

const log = (line: string) => console.log(line);
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

async function main(): Promise<void> {
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
      await runThroughputBench({ url, instances, rounds: quick ? 1 : 3, log });
    }
    // Scale benchmarks (issue 16): inbox, records, fanout, timers — each on its own database (bench/scaleRun.ts).
    await runScaleBenches({ adminUrl, only, quick, log });
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
