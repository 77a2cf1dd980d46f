/**
 * `npm run fuzz -- [--runs N] [--seed S] [--route TEXT] [--no-shrink]`: the fuzz suites'
 * generated hostile requests (test/helpers/fuzz/, docs/security.md) at length, against a
 * server of its own on a fresh throwaway database — on DATABASE_URL's server when set (a new
 * database there, dropped at the end; the named one is only used to connect), else on an
 * embedded PostgreSQL in a temporary folder. Never point it at data you keep: it writes
 * garbage through every write route.
 *
 * Every route runs N cases (default 200) from its own seed derived from S (printed; a
 * failure prints the seed and the case), so `--seed S --route 'POST /api/instances'` replays
 * one. Exit code 1 when any route failed.
 *
 * `--suite models`: instead of the routes, N generated hostile BPMN models and FEEL/JUEL
 * expressions (test/helpers/fuzz/hostileModels.ts) are deployed and started one after another
 * while GET /api/health is polled every 50 ms; exit 1 when a case was not refused or stopped
 * as required, or when health answered slower than --health-ms (200). `--family NAME` runs
 * one family only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { connect } from '../engine/db/connection.ts';
import { withDatabase } from '../engine/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../engine/db/embeddedPostgres.ts';
import { migrateToLatest } from '../engine/db/migrate.ts';
import { readConfig } from '../server/config.ts';
import { startServer } from '../server/server.ts';

/** LIUZHUAN_MAX_BLOCKING_MS from the environment (e.g. 150, to compare with the default of 100), else the server's default. */
function blockingBound(): Record<string, string> {
  const value = process.env.LIUZHUAN_MAX_BLOCKING_MS;
  return value ? { LIUZHUAN_MAX_BLOCKING_MS: value } : {};
}
import { Fixture } from '../test/helpers/fuzz/fixtures.ts';
import { writeRoutes } from '../test/helpers/fuzz/routes.ts';
import { fuzzRoute } from '../test/helpers/fuzz/runner.ts';
import { FUZZ_TARGETS } from '../test/helpers/fuzz/targets.ts';
import { runModelSuite } from './fuzzModels.ts';

const program = new Command()
  .name('npm run fuzz --')
  .description('Generated hostile requests at every write route of a throwaway server; exit 1 on a 5xx, a hang, a partial write or invalid stored data.')
  .option('--runs <n>', 'cases per route', '200')
  .option('--seed <s>', 'seed of the run (random when omitted; printed)')
  .option('--route <text>', 'only routes whose "METHOD /path" contains this text')
  .option('--timeout <ms>', 'deadline of one request', '10000')
  .option('--no-shrink', 'report a failing case as found, without searching for a smaller one')
  .option('--suite <name>', 'routes (hostile requests at every write route) or models (hostile BPMN models and expressions)', 'routes')
  .option('--family <name>', 'with --suite models: only this family of hostile models')
  .option('--health-ms <ms>', 'with --suite models: slowest acceptable GET /api/health answer', '200')
  .parse();

const log = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const options = program.opts<{ runs: string; seed?: string; route?: string; timeout: string; shrink: boolean; suite: string; family?: string; healthMs: string }>();
  if (options.suite !== 'routes' && options.suite !== 'models') throw new Error('--suite must be routes or models');
  const seed = options.seed !== undefined ? Number(options.seed) : Math.floor(Math.random() * 2 ** 31);
  const runs = Number(options.runs);
  if (!Number.isInteger(runs) || runs < 1 || !Number.isFinite(seed)) throw new Error('--runs must be a positive integer and --seed a number');
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'liuzhuan-fuzz-pg-'));
    log('starting an embedded PostgreSQL (set DATABASE_URL to use your own server)…');
    embedded = await startEmbeddedPostgres(dataDir);
    adminUrl = embedded.adminUrl;
  }
  const name = `lz_fuzz_${randomBytes(4).toString('hex')}`;
  const admin = connect(adminUrl, { poolMax: 1 });
  await admin.raw('CREATE DATABASE ??', [name]);
  const url = withDatabase(adminUrl, name);
  const failures: string[] = [];
  let total = 0;
  try {
    const db = connect(url);
    await migrateToLatest(db);
    const password = `Fuzz-${randomBytes(9).toString('hex')}`;
    const config = { ...readConfig({ PORT: '0', ADMIN_PASSWORD: password, LIUZHUAN_LOAD_TEMPLATES: 'true', LIUZHUAN_DEMO_CUSTOMERS: '0', LOG_LEVEL: 'silent', ...blockingBound() }), databaseUrl: url };
    const server = await startServer(config, { db, url, embedded: false, close: async () => {} });
    try {
      const api = {
        url: server.url,
        async request(method: string, route: string, init: { token?: string; body?: unknown } = {}) {
          const response = await fetch(`${server.url}${route}`, {
            method,
            headers: { ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
            body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
          });
          const text = await response.text();
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // keep the text
          }
          return { status: response.status, body: body as any };
        },
      };
      const login = await api.request('POST', '/api/auth/login', { body: { username: 'admin', password } });
      if (options.suite === 'models') {
        const outcome = await runModelSuite({ url: server.url, token: login.body.token, db }, { seed, runs, family: options.family, healthMs: Number(options.healthMs), log });
        // The summary here: the route suite's below would count routes. The finally blocks still close and drop.
        log(`fuzz models: ${outcome.cases} cases, ${outcome.failures.length} check(s) failed${outcome.failures.length ? `: ${outcome.failures.join('; ')}` : ''}; seed ${seed}`);
        process.exitCode = outcome.failures.length > 0 ? 1 : 0;
        return;
      }
      const fx = new Fixture(api, db, login.body.token);
      await fx.setUp();
      const missing = writeRoutes(server.ctx).filter((route) => !FUZZ_TARGETS[route]);
      if (missing.length > 0) log(`write routes without a fuzz declaration (test/helpers/fuzz/targets.ts), not fuzzed: ${missing.join(', ')}`);
      const targets = Object.entries(FUZZ_TARGETS).filter(([route]) => !options.route || route.includes(options.route));
      // The login route last: its failures lock this address out of logging in for minutes.
      targets.sort(([a], [b]) => Number(a === 'POST /api/auth/login') - Number(b === 'POST /api/auth/login'));
      log(`fuzz: seed ${seed}, ${runs} cases per route, ${targets.length} routes, database ${name}`);
      for (const [route, target] of targets) {
        const started = Date.now();
        try {
          const stats = await fuzzRoute(route, target, fx, { seed, runs, shrink: options.shrink, timeoutMs: Number(options.timeout), warn: log });
          total += stats.runs;
          log(`  ok   ${route}: ${stats.runs} cases in ${((Date.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(stats.statuses)}`);
        } catch (error) {
          failures.push(route);
          log(`  FAIL ${route}:\n${(error as Error).message}\n  replay: npm run fuzz -- --seed ${seed} --route '${route}' --runs ${runs}`);
        }
      }
    } finally {
      await server.close();
      await db.destroy();
    }
  } finally {
    await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
    await admin.destroy();
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
  log(`fuzz: ${total} cases, ${failures.length} route(s) failed${failures.length ? `: ${failures.join(', ')}` : ''}; seed ${seed}`);
  process.exitCode = failures.length > 0 ? 1 : 0;
}

main().catch((error: unknown) => {
  log(`fuzz failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 2;
});
