/**
 * `npm run restore -- <file> [--force] [--data-keys <file>]`: restores an archive written by
 * `npm run backup` into an EMPTY database — DATABASE_URL, else the embedded one under
 * LIUZHUAN_DATA_DIR (created if the data folder is new). A database holding tables is refused
 * unless `--force` (which drops what the archive restores first): mixing two installations'
 * rows would leave instances whose tasks, jobs and records belong to the other one.
 *
 * One transaction (pg_restore --single-transaction): a failed restore leaves the database as
 * it was. Afterwards the job leases of the old nodes are cleared (their timers run on the new
 * nodes at once), the row counts are compared with the backup's manifest, and the data keys
 * the personal fields need are checked against this machine's (docs/operations.md).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Command } from 'commander';
import pg from 'pg';
import { parseDataKeys } from '../engine/privacy/keys.ts';
import { readConfig, type Config } from '../server/config.ts';
import type { BackupManifest } from './backup.ts';
import { openOperatorDatabase } from './operatorDatabase.ts';
import { libpqEnv, runTool, serverMajor, toolMajor, toolPath } from './pgTools.ts';

const execFileAsync = promisify(execFile);

const program = new Command()
  .name('npm run restore --')
  .description('Restore a backup made by `npm run backup` into an empty database.')
  .argument('<file>', 'the archive written by npm run backup')
  .option('--force', 'restore into a database that already holds tables, dropping the objects the archive restores first')
  .option('--data-keys <file>', 'install this key file (e.g. <archive>.data-keys) as <LIUZHUAN_DATA_DIR>/data-keys when that folder has none')
  .parse();

/** Exit code of a refusal (nothing changed), apart from 1 for a failure. */
const REFUSED = 2;

class Refused extends Error {}

/** The archive's header: which pg_dump wrote it, from which server. */
async function readArchive(file: string): Promise<{ dumpedFrom: string; dumpedBy: string }> {
  try {
    const { stdout } = await execFileAsync(toolPath('pg_restore'), ['--list', file], { maxBuffer: 64 * 1024 * 1024 });
    return {
      dumpedFrom: /Dumped from database version: (\S+)/.exec(stdout)?.[1] ?? 'unknown',
      dumpedBy: /Dumped by pg_dump version: (\S+)/.exec(stdout)?.[1] ?? 'unknown',
    };
  } catch (error) {
    const text = String((error as { stderr?: string }).stderr ?? (error as Error).message);
    if (/unsupported version/.test(text)) {
      throw new Error(`${file} was written by a newer pg_dump than this pg_restore reads: use the client tools of that version (LIUZHUAN_PG_BIN). ${text.trim()}`);
    }
    throw new Error(`${file} is not a pg_dump archive this pg_restore can read: ${text.trim()}`);
  }
}

/** The keys this machine would start a server with, read only (keys.ts would create a file). */
function localKeyIds(config: Config): { ids: string[]; where: string } {
  if (config.dataKeys) return { ids: parseDataKeys(config.dataKeys).map((key) => key.id), where: 'LIUZHUAN_DATA_KEYS' };
  const file = path.join(config.dataDir, 'data-keys');
  if (!existsSync(file)) return { ids: [], where: `${file} (missing: a server would create a new key there)` };
  return { ids: parseDataKeys(readFileSync(file, 'utf8'), file).map((key) => key.id), where: file };
}

function installKeyFile(config: Config, source: string): void {
  const target = path.join(config.dataDir, 'data-keys');
  if (config.dataKeys) throw new Refused('--data-keys: LIUZHUAN_DATA_KEYS is set, and servers read their keys from it: add the keys there instead.');
  if (existsSync(target)) {
    if (readFileSync(target, 'utf8').trim() === readFileSync(source, 'utf8').trim()) return;
    throw new Refused(`--data-keys: ${target} exists with other keys. Merge them by hand (one line, "<new id>:<key>,<old id>:<key>", the current key first).`);
  }
  parseDataKeys(readFileSync(source, 'utf8'), source);
  mkdirSync(config.dataDir, { recursive: true });
  copyFileSync(source, target);
  chmodSync(target, 0o600);
  process.stderr.write(`  installed the data keys of ${source} as ${target}\n`);
}

async function main(): Promise<void> {
  const [file] = program.args as [string];
  const options = program.opts<{ force?: boolean; dataKeys?: string }>();
  const archive = path.resolve(file);
  if (!existsSync(archive)) throw new Refused(`${archive} does not exist.`);
  const manifestFile = `${archive}.json`;
  const manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest) : null;
  const config = readConfig();
  const pgRestore = await toolMajor('pg_restore');
  const header = await readArchive(archive);
  if (options.dataKeys) installKeyFile(config, path.resolve(options.dataKeys));

  const database = await openOperatorDatabase(config, { create: true });
  const client = new pg.Client({ connectionString: database.url });
  client.on('error', () => {});
  try {
    await client.connect();
    const server = (await client.query(`SELECT current_setting('server_version') AS v, current_setting('server_version_num') AS num`)).rows[0];
    process.stderr.write(
      `Restoring ${archive}\n  made by pg_dump ${header.dumpedBy} from PostgreSQL ${header.dumpedFrom}${manifest ? ` on ${manifest.createdAt}` : ''}\n` +
        `  into ${database.description}: PostgreSQL ${server.v}, ${pgRestore.text}\n`,
    );
    const fromMajor = Number(/^(\d+)/.exec(header.dumpedFrom)?.[1] ?? 0);
    if (fromMajor > serverMajor(server.num)) {
      process.stderr.write(`  warning: the archive comes from PostgreSQL ${fromMajor}, newer than this server: the restore may fail on what older servers lack.\n`);
    }

    const tables = (await client.query(
      `SELECT count(*) AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    )).rows[0].n as string;
    const others = (await client.query(
      `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    )).rows[0].n as string;
    if (Number(tables) > 0) {
      if (!options.force) {
        throw new Refused(
          `${database.description} already holds ${tables} tables. Restore only into an empty database, so no row of another installation ` +
            `mixes with the backup's (create one: createdb <name>, then DATABASE_URL=…/<name>; for the embedded database, a new LIUZHUAN_DATA_DIR), ` +
            'or pass --force to drop what the archive restores first.',
        );
      }
      if (Number(others) > 0) {
        throw new Refused(`${database.description} has ${others} other connection(s) — a running server? Stop it before restoring over its data.`);
      }
      process.stderr.write(`  --force: dropping the archive's objects from a database holding ${tables} tables first\n`);
    }

    let restored = 0;
    const dbName = decodeURIComponent(new URL(database.url).pathname.slice(1));
    await runTool(
      'pg_restore',
      [
        '--verbose',
        '--single-transaction',
        '--exit-on-error',
        // Owners and grants of the source server's roles mean nothing here: the connecting user owns everything.
        '--no-owner',
        '--no-privileges',
        ...(options.force ? ['--clean', '--if-exists'] : []),
        `--dbname=${dbName}`,
        archive,
      ],
      libpqEnv(database.url),
      (line) => {
        const table = /processing data for table "?([^"\s]+)"?/.exec(line);
        if (table) {
          restored += 1;
          process.stderr.write(`  [${restored}] ${table[1]}\n`);
        }
      },
    );

    // The old nodes' leases would hold their jobs until they expire: nobody here holds them.
    const released = await client.query('UPDATE jobs SET locked_by = NULL, locked_until = NULL WHERE locked_by IS NOT NULL OR locked_until IS NOT NULL');
    if (released.rowCount) process.stderr.write(`  released ${released.rowCount} job lease(s) held by the backed-up nodes\n`);

    if (manifest) {
      const differing: string[] = [];
      for (const [table, expected] of Object.entries(manifest.counts)) {
        const actual = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
        if (actual !== expected) differing.push(`${table}: ${actual} restored, ${expected} backed up`);
      }
      if (differing.length > 0) throw new Error(`The restored rows differ from the backup's manifest: ${differing.join('; ')}`);
      process.stderr.write(`  row counts match the manifest (${manifest.counts.process_instances} instances, ${manifest.counts.tasks} tasks, ${manifest.counts.jobs} jobs, ${manifest.counts.records} records)\n`);
    }
    process.stdout.write(`Restored ${restored} tables into ${database.description}. Start the server on it: it migrates the schema if this build is newer.\n`);

    const needed = manifest?.dataKeys.usedKeyIds ?? [];
    if (needed.length > 0) {
      const local = localKeyIds(config);
      const missing = needed.filter((id) => !local.ids.includes(id));
      if (missing.length > 0) {
        process.stdout.write(
          `WARNING: personal fields are encrypted with data key(s) ${missing.join(', ')}, which ${local.where} does not hold: until a server ` +
            `has them (LIUZHUAN_DATA_KEYS, or --data-keys <archive>.data-keys), those fields cannot be read. Start no server before that: it would ` +
            'create a new key file and write new values with it.\n',
        );
      } else {
        process.stdout.write(`Data keys: ${needed.join(', ')} found in ${local.where}.\n`);
      }
    }
  } finally {
    await client.end().catch(() => undefined);
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`restore ${error instanceof Refused ? 'refused' : 'failed'}: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof Refused ? REFUSED : 1;
});
