/**
 * `npm run bench`: benchmarks on a fresh database — on DATABASE_URL's server when set,
 * else on an embedded PostgreSQL in a temporary folder. BENCH_JOBS sets the burst size.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../engine/db/connection.ts';
import { withDatabase } from '../engine/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../engine/db/embeddedPostgres.ts';
import { migrateToLatest } from '../engine/db/migrate.ts';
import { runJobsBench } from './jobs.ts';

const log = (line: string) => console.log(line);

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
    const jobs = Number(process.env.BENCH_JOBS ?? 1000);
    log(`database ${name}; ${os.cpus().length} CPUs; node ${process.version}`);
    await runJobsBench({ url, jobs, log });
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
