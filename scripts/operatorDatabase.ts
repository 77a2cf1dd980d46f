/**
 * Which database an operator script (backup, restore, check:consistency) works on, the way
 * `npm start` chooses it (server/config.ts, engine/db/database.ts): DATABASE_URL, else the
 * embedded PostgreSQL under LIUZHUAN_DATA_DIR. A server running on the embedded one keeps it
 * on a random port: its `postmaster.pid` names the port, so the script joins that server
 * instead of starting (or, worse, stopping) one of its own. With no server running, the
 * script starts the embedded PostgreSQL for its own run and stops it at the end.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDatabase } from '../engine/db/database.ts';
import { startEmbeddedPostgres } from '../engine/db/embeddedPostgres.ts';
import type { Config } from '../server/config.ts';

/** engine/db/database.ts keeps the product's data in this database of the embedded server. */
const EMBEDDED_DATABASE = 'liuzhuan';

export interface OperatorDatabase {
  url: string;
  /** For messages: where this is, without the password. */
  description: string;
  close(): Promise<void>;
}

/** The port of the live embedded server on `databaseDir`, if one runs (postmaster.pid: line 1 the pid, line 4 the port). */
function runningEmbeddedPort(databaseDir: string): number | null {
  const file = path.join(databaseDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

/**
 * `create`: the embedded database may not exist yet (a restore into a fresh data folder);
 * otherwise a missing one is an error that says where it looked.
 */
export async function openOperatorDatabase(config: Config, options: { create?: boolean } = {}): Promise<OperatorDatabase> {
  if (config.databaseUrl) {
    const parsed = new URL(config.databaseUrl);
    return { url: config.databaseUrl, description: `database "${parsed.pathname.slice(1)}" on ${parsed.hostname}:${parsed.port || 5432} (DATABASE_URL)`, close: async () => {} };
  }
  const databaseDir = path.join(config.dataDir, 'postgres');
  const credentialsFile = path.join(config.dataDir, 'postgres-credentials.json');
  if (!options.create && !existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    throw new Error(`No embedded database in ${databaseDir}: set DATABASE_URL, or LIUZHUAN_DATA_DIR to the server's data folder.`);
  }
  const port = runningEmbeddedPort(databaseDir);
  if (port !== null && existsSync(credentialsFile)) {
    const credentials = JSON.parse(readFileSync(credentialsFile, 'utf8')) as { user: string; password: string };
    const url = `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
    return { url, description: `the embedded database of the running server (${databaseDir}, port ${port})`, close: async () => {} };
  }
  const embedded = await startEmbeddedPostgres(config.dataDir, () => {}, (message) => process.stderr.write(`${message}\n`));
  try {
    if (options.create) await ensureDatabase(embedded.adminUrl, EMBEDDED_DATABASE);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return {
    url: embedded.urlFor(EMBEDDED_DATABASE),
    description: `the embedded database in ${databaseDir} (started for this run; no server was running on it)`,
    close: () => embedded.stop(),
  };
}
