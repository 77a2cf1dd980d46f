/**
 * What PostgreSQL writes per instance of the throughput benchmark's process (bench/throughput.ts,
 * in-process workload), in figures that do not depend on the machine's load:
 *
 *  - rows: inserts, updates and HOT updates per table (`pg_stat_user_tables`, this database only);
 *  - WAL: bytes per instance between two `pg_current_wal_lsn()` (cluster-wide: other databases'
 *    writes meanwhile count too), and — when PostgreSQL runs on this machine and its WAL folder is
 *    readable (`pg_waldump` on the PATH or in PostgreSQL's bin folder) — the records of this
 *    database alone, by relation and kind (heap insert, update, HOT update, index insert…),
 *    their bytes with and without full-page images, and the distinct pages modified;
 *  - CPU: node and the PostgreSQL backends per instance (bench/cpu.ts; load-dependent).
 *
 * `DATABASE_URL=… npx tsx bench/writeCost.ts [--instances 400] [--clients 8] [--runs 1]
 * [--statements]`: a fresh database, migrated, the same form, process and staff users as the
 * throughput benchmark, 20 instances of warm-up, then `runs` measured runs. A CHECKPOINT starts
 * each measured run, so every page's first change in it writes a full-page image: the WAL with
 * images is then comparable between runs too. `--statements` prints the SQL of one instance.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { connect, type Db } from '../engine/db/connection.ts';
import { withDatabase } from '../engine/db/database.ts';
import { migrateToLatest } from '../engine/db/migrate.ts';
import { userForToken } from '../engine/identity/sessions.ts';
import type { AuthUser } from '../engine/identity/types.ts';
import { createCpuMeter } from './cpu.ts';
import { FORM, LIUZHUAN_PROCESS, RunStats, sleep } from './peers/common.ts';
import { createInProcessWorkload } from './peers/liuzhuan.ts';
import { countRoundTrips } from './roundTrips.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const log = (line: string) => console.log(line);

interface TableCounts {
  ins: number;
  upd: number;
  hot: number;
  del: number;
}

async function tableCounts(db: Db): Promise<Map<string, TableCounts>> {
  const { rows } = await db.raw<{ rows: Array<{ relname: string; ins: string; upd: string; hot: string; del: string }> }>(
    `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_hot_upd AS hot, n_tup_del AS del FROM pg_stat_user_tables`,
  );
  return new Map(rows.map((row) => [row.relname, { ins: Number(row.ins), upd: Number(row.upd), hot: Number(row.hot), del: Number(row.del) }]));
}

async function lsn(db: Db): Promise<string> {
  const { rows } = await db.raw<{ rows: Array<{ lsn: string }> }>('SELECT pg_current_wal_lsn()::text AS lsn');
  return rows[0]!.lsn;
}

async function walBytes(db: Db, from: string, to: string): Promise<number> {
  const { rows } = await db.raw<{ rows: Array<{ bytes: string }> }>('SELECT pg_wal_lsn_diff(?::pg_lsn, ?::pg_lsn) AS bytes', [to, from]);
  return Number(rows[0]!.bytes);
}

/** pg_waldump's path, or undefined. */
function findWaldump(): string | undefined {
  for (const candidate of ['pg_waldump', ...['17', '16', '15', '14'].map((v) => `/usr/lib/postgresql/${v}/bin/pg_waldump`)]) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore' });
      return candidate;
    } catch {
      // next
    }
  }
  return undefined;
}

interface WalSummary {
  /** By "relation kind" (e.g. "tasks_pkey Btree/INSERT_LEAF"): records, bytes without and with images. */
  records: Map<string, { count: number; rec: number; tot: number }>;
  rec: number;
  tot: number;
  pages: number;
}

/** This database's WAL records between two LSNs (pg_waldump), grouped by relation and kind. */
async function walRecords(db: Db, waldump: string, walDir: string, from: string, to: string): Promise<WalSummary> {
  const { rows: dbRows } = await db.raw<{ rows: Array<{ oid: number }> }>('SELECT oid FROM pg_database WHERE datname = current_database()');
  const dbOid = String(dbRows[0]!.oid);
  const { rows: rels } = await db.raw<{ rows: Array<{ relfilenode: number; relname: string }> }>(
    `SELECT relfilenode, relname FROM pg_class WHERE relfilenode <> 0`,
  );
  const names = new Map(rels.map((rel) => [String(rel.relfilenode), rel.relname]));
  // pg_waldump exits 1 when the range ends in the middle of the last segment written; what it printed stands.
  const dump = spawnSync(waldump, ['-p', walDir, '-s', from, '-e', to], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const text = dump.stdout ?? '';
  if (!text) throw new Error(`pg_waldump: ${dump.stderr}`);
  const summary: WalSummary = { records: new Map(), rec: 0, tot: 0, pages: 0 };
  const pages = new Set<string>();
  for (const line of text.split('\n')) {
    const match = /^rmgr: (\S+)\s+len \(rec\/tot\):\s+(\d+)\/\s*(\d+),.*desc: (\S+)/.exec(line);
    if (!match) continue;
    const refs = [...line.matchAll(/blkref #\d+: rel (\d+)\/(\d+)\/(\d+)(?: fork \S+)? blk (\d+)/g)];
    if (refs.length === 0 || refs[0]![2] !== dbOid) continue;
    const relation = names.get(refs[0]![3]!) ?? `rel ${refs[0]![3]}`;
    for (const ref of refs) pages.add(`${ref[3]}/${ref[4]}`);
    const key = `${relation} ${match[1]}/${match[4]}`;
    const entry = summary.records.get(key) ?? { count: 0, rec: 0, tot: 0 };
    entry.count += 1;
    entry.rec += Number(match[2]);
    entry.tot += Number(match[3]);
    summary.records.set(key, entry);
    summary.rec += Number(match[2]);
    summary.tot += Number(match[3]);
  }
  summary.pages = pages.size;
  return summary;
}

interface Variant {
  name: string;
  sql: string;
  dbName: string;
  url: string;
  workload: ReturnType<typeof createInProcessWorkload>;
  stats: Db;
  meter: ReturnType<typeof createCpuMeter>;
  figures: Array<{ nodeMs: number; postgresMs: number; wal: number; walRec?: number; walTot?: number; indexRecords?: number }>;
}

/** `--variant name=SQL` (repeatable): SQL run on that variant's database after the migrations. */
function variantOptions(): Array<{ name: string; sql: string }> {
  const list: Array<{ name: string; sql: string }> = [];
  args.forEach((arg, i) => {
    if (arg !== '--variant') return;
    const value = args[i + 1] ?? '';
    const eq = value.indexOf('=');
    list.push(eq < 0 ? { name: value, sql: '' } : { name: value.slice(0, eq), sql: value.slice(eq + 1) });
  });
  return list.length > 0 ? list : [{ name: 'as migrated', sql: '' }];
}

async function setUp(adminUrl: string, admin: Db, clients: number, name: string, sql: string): Promise<Variant> {
  const dbName = `lz_writes_${randomBytes(4).toString('hex')}`;
  await admin.raw('CREATE DATABASE ??', [dbName]);
  const url = withDatabase(adminUrl, dbName);
  const actors: AuthUser[] = [];
  const workload = createInProcessWorkload(url, actors, [clients]);
  const stats = connect(url, { poolMax: 1 });
  const variant: Variant = { name, sql, dbName, url, workload, stats, meter: createCpuMeter(url), figures: [] };
  await migrateToLatest(stats);
  if (sql) await stats.raw(sql);
  await workload.engine.saveForm({ body: FORM, locale: 'en', createdBy: null });
  await workload.engine.deploy(LIUZHUAN_PROCESS);
  const password = `bench-${randomBytes(6).toString('hex')}`;
  for (let i = 1; i <= clients; i++) {
    const username = `bench${i}`;
    await workload.engine.createUser({ body: { username, displayName: username, password, role: 'staff' }, locale: 'en' });
    const { token } = await workload.engine.login({ username, password }, 'en');
    actors.push((await userForToken(workload.db, token))!);
  }
  await workload.run(2, 20, new RunStats());
  return variant;
}

const med = (values: number[]) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function measure(variant: Variant, run: number, instances: number, clients: number, waldump: string | undefined, walDir: string): Promise<void> {
  const { stats, workload, meter } = variant;
  await stats.raw('CHECKPOINT');
  // A temporary slot of this session keeps the run's WAL from being recycled before pg_waldump reads it
  // (other databases' CREATE DATABASE checkpoints meanwhile); it goes with the session at the latest.
  const slot = `lz_writecost_${randomBytes(4).toString('hex')}`;
  const slotSession = waldump ? new pg.Client({ connectionString: variant.url }) : undefined;
  await slotSession?.connect();
  await slotSession?.query('SELECT pg_create_physical_replication_slot($1, true, true)', [slot]);
  await sleep(11_000); // the backends' table statistics reach shared memory when idle (PGSTAT_IDLE_INTERVAL 10 s)
  const before = await tableCounts(stats);
  const from = await lsn(stats);
  const stopMeter = await meter.start();
  const runStats = new RunStats();
  const seconds = await workload.run(clients, instances, runStats);
  const cpu = await stopMeter();
  const to = await lsn(stats);
  const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
  await sleep(11_000);
  const after = await tableCounts(stats);
  const per = (n: number) => (n / instances).toFixed(2);
  const wal = await walBytes(stats, from, to);
  log(
    `[${variant.name}] run ${run}: ${instances} instances, ${clients} clients, ${(runStats.completed / seconds).toFixed(1)} inst/s, ${runStats.errors} errors, load ${load}; ` +
      `CPU per instance node ${(cpu.nodeMs / instances).toFixed(2)} ms, PostgreSQL ${(cpu.postgresMs / instances).toFixed(2)} ms; ` +
      `WAL (whole cluster) ${(wal / instances).toFixed(0)} B/inst`,
  );
  const figures: Variant['figures'][number] = { nodeMs: cpu.nodeMs / instances, postgresMs: cpu.postgresMs / instances, wal: wal / instances };
  log('  rows per instance: table ins / upd / hot upd (hot %)');
  for (const [table, counts] of [...after].sort()) {
    const was = before.get(table) ?? { ins: 0, upd: 0, hot: 0, del: 0 };
    const d = { ins: counts.ins - was.ins, upd: counts.upd - was.upd, hot: counts.hot - was.hot, del: counts.del - was.del };
    if (d.ins + d.upd + d.del === 0) continue;
    log(`    ${table}: ${per(d.ins)} / ${per(d.upd)} / ${per(d.hot)} (${d.upd ? ((100 * d.hot) / d.upd).toFixed(0) : '—'} %)${d.del ? `, del ${per(d.del)}` : ''}`);
  }
  if (waldump) {
    const summary = await walRecords(stats, waldump, walDir, from, to);
    await slotSession?.end();
    let indexRecords = 0;
    for (const [key, entry] of summary.records) if (/ (Btree\/INSERT_(LEAF|POST)|Gin\/(INSERT|UPDATE_META_PAGE))/.test(key)) indexRecords += entry.count;
    Object.assign(figures, { walRec: summary.rec / instances, walTot: summary.tot / instances, indexRecords: indexRecords / instances });
    log(
      `  WAL of this database: ${(summary.rec / instances).toFixed(0)} B/inst without full-page images, ${(summary.tot / instances).toFixed(0)} with; ` +
        `${(summary.pages / instances).toFixed(2)} distinct pages modified per instance; ${(indexRecords / instances).toFixed(2)} index insert records per instance`,
    );
    if (args.includes('--records')) {
      log('  records per instance: relation rmgr/kind — count, bytes without / with images (≥ 0.05 per instance)');
      for (const [key, entry] of [...summary.records].sort((a, b) => b[1].tot - a[1].tot)) {
        if (entry.count / instances >= 0.05) log(`    ${key} — ${per(entry.count)}, ${(entry.rec / instances).toFixed(0)} / ${(entry.tot / instances).toFixed(0)} B`);
      }
    }
  }
  variant.figures.push(figures);
}

async function main(): Promise<void> {
  const adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) throw new Error('set DATABASE_URL');
  const instances = option('--instances', 400);
  const clients = option('--clients', 8);
  const runs = option('--runs', 1);
  const admin = connect(adminUrl, { poolMax: 1 });
  const variants: Variant[] = [];
  try {
    for (const { name, sql } of variantOptions()) variants.push(await setUp(adminUrl, admin, clients, name, sql));
    if (args.includes('--statements')) {
      const workload = variants[0]!.workload;
      const counter = countRoundTrips(workload.db, { keep: true });
      await workload.run(1, 1, new RunStats());
      counter.detach();
      for (const statement of counter.statements) log(`  ${statement.replace(/\s+/g, ' ').slice(0, 400)}`);
    }
    const { rows: dirRows } = await admin.raw<{ rows: Array<{ dir: string }> }>("SELECT current_setting('data_directory') AS dir");
    const walDir = `${dirRows[0]!.dir}/pg_wal`;
    const waldump = existsSync(walDir) ? findWaldump() : undefined;
    if (!waldump) log('(pg_waldump or the WAL folder not reachable: no breakdown by relation)');
    // Variants alternate within each run, so they share the machine's load.
    for (let run = 1; run <= runs; run++) for (const variant of variants) await measure(variant, run, instances, clients, waldump, walDir);
    log(`medians of ${runs} run(s), per instance: variant — node CPU ms, PostgreSQL CPU ms, WAL of this database B (without / with images), index insert records`);
    for (const variant of variants) {
      const f = variant.figures;
      log(
        `  ${variant.name} — ${med(f.map((x) => x.nodeMs)).toFixed(2)}, ${med(f.map((x) => x.postgresMs)).toFixed(2)} ` +
          `(runs: ${f.map((x) => x.postgresMs.toFixed(2)).join(' / ')}), ${med(f.map((x) => x.walRec ?? NaN)).toFixed(0)} / ${med(f.map((x) => x.walTot ?? NaN)).toFixed(0)}, ` +
          `${med(f.map((x) => x.indexRecords ?? NaN)).toFixed(2)}`,
      );
    }
  } finally {
    for (const variant of variants) {
      await Promise.all([variant.workload.close(), variant.stats.destroy(), variant.meter.close()]);
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [variant.dbName]);
    }
    await admin.destroy();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
