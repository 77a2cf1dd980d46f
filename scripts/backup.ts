/**
 * `npm run backup -- --out <file> [--with-data-keys] [--force]`: the whole state of a Liuzhuan
 * installation in one pg_dump archive (custom format, `-Fc`): definitions, instances, tasks,
 * jobs, records, forms, users, sessions, settings — everything lives in the database. Safe
 * while servers run: pg_dump reads one snapshot, exported from this script's own transaction
 * so the manifest's counts describe exactly what the archive holds.
 *
 * Beside the archive: `<file>.json`, a manifest (versions, migrations, row counts, and the ids
 * of the data keys the personal fields are encrypted with), and with `--with-data-keys`
 * `<file>.data-keys` (mode 0600), the key file itself. Without those keys the restored
 * personal fields cannot be read: keep them, but apart from the archive (docs/operations.md).
 *
 * Database: DATABASE_URL, else the embedded one under LIUZHUAN_DATA_DIR (default .data),
 * joined while a server runs on it.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import pg from 'pg';
import { parseDataKeys } from '../engine/privacy/keys.ts';
import { readConfig, type Config } from '../server/config.ts';
import { openOperatorDatabase } from './operatorDatabase.ts';
import { libpqEnv, runTool, serverMajor, toolMajor } from './pgTools.ts';

const program = new Command()
  .name('npm run backup --')
  .description('Back up the whole Liuzhuan database with pg_dump (custom format), consistent while servers run.')
  .requiredOption('--out <file>', 'the archive to write (a manifest <file>.json is written beside it)')
  .option('--with-data-keys', 'also write the data keys to <file>.data-keys (mode 0600): store that file apart from the archive')
  .option('--force', 'overwrite an existing archive')
  .parse();

/** Counted in the dump's snapshot, for the manifest and for `restore` to compare. */
const COUNTED_TABLES = ['process_definitions', 'process_instances', 'tasks', 'jobs', 'event_subscriptions', 'records', 'forms', 'users'];

export interface BackupManifest {
  format: 'liuzhuan-backup/1';
  createdAt: string;
  source: string;
  serverVersion: string;
  pgDump: string;
  migrations: string[];
  counts: Record<string, number>;
  dataKeys: {
    /** Key ids found on encrypted values in the archive: the restored server needs every one. */
    usedKeyIds: string[];
    /** Where this machine's keys came from when the backup ran. */
    source: 'LIUZHUAN_DATA_KEYS' | 'key file' | 'none found';
    keyFile?: string;
    /** The file written with --with-data-keys, if any. */
    writtenTo?: string;
  };
}

function localKeyText(config: Config): { text: string; source: BackupManifest['dataKeys']['source']; keyFile?: string } | null {
  if (config.dataKeys) return { text: config.dataKeys, source: 'LIUZHUAN_DATA_KEYS' };
  // Read only: a backup must not create a key file (keys.ts would, on a machine that has none).
  const keyFile = path.join(config.dataDir, 'data-keys');
  return existsSync(keyFile) ? { text: readFileSync(keyFile, 'utf8'), source: 'key file', keyFile } : null;
}

async function main(): Promise<void> {
  const options = program.opts<{ out: string; withDataKeys?: boolean; force?: boolean }>();
  const out = path.resolve(options.out);
  const manifestFile = `${out}.json`;
  if (existsSync(out) && !options.force) throw new Error(`${out} exists: choose another file, or pass --force to overwrite it.`);
  const config = readConfig();
  const pgDump = await toolMajor('pg_dump');
  const database = await openOperatorDatabase(config);
  const client = new pg.Client({ connectionString: database.url });
  client.on('error', () => {});
  const partial = `${out}.partial`;
  try {
    await client.connect();
    const server = (await client.query<{ server_version: string; num: string }>(
      `SELECT current_setting('server_version') AS server_version, current_setting('server_version_num') AS num`,
    )).rows[0]!;
    if (pgDump.major < serverMajor(server.num)) {
      throw new Error(
        `${pgDump.text} cannot back up PostgreSQL ${server.server_version} (${database.description}): pg_dump refuses servers newer than itself. ` +
          `Install the PostgreSQL ${serverMajor(server.num)} client tools (Debian: postgresql-client-${serverMajor(server.num)}) and set ` +
          `LIUZHUAN_PG_BIN to their folder (e.g. /usr/lib/postgresql/${serverMajor(server.num)}/bin). The embedded PostgreSQL is version 18 and ships no pg_dump.`,
      );
    }
    process.stderr.write(`Backing up ${database.description}\n  PostgreSQL ${server.server_version}, ${pgDump.text}\n`);

    // One snapshot for the counts and the dump: pg_dump --snapshot reads exactly what this transaction sees.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const snapshot = (await client.query<{ id: string }>('SELECT pg_export_snapshot() AS id')).rows[0]!.id;
    if ((await client.query(`SELECT to_regclass('knex_migrations') AS t`)).rows[0].t === null) {
      throw new Error(`${database.description} holds no Liuzhuan tables: nothing to back up.`);
    }
    const migrations = (await client.query<{ name: string }>('SELECT name FROM knex_migrations ORDER BY name')).rows.map((row) => row.name);
    const counts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) counts[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    const usedKeyIds = (await client.query<{ id: string }>(
      `SELECT DISTINCT split_part(v #>> '{}', ':', 1) AS id FROM records, jsonb_path_query(data, 'strict $.**."$enc"') v
       UNION SELECT DISTINCT split_part(v #>> '{}', ':', 1) FROM process_instances, jsonb_path_query(variables, 'strict $.**."$enc"') v
       ORDER BY 1`,
    )).rows.map((row) => row.id);

    rmSync(partial, { force: true });
    let tables = 0;
    await runTool('pg_dump', ['--format=custom', '--verbose', `--snapshot=${snapshot}`, `--file=${partial}`], libpqEnv(database.url), (line) => {
      const table = /dumping contents of table "?([^"\s]+)"?/.exec(line);
      if (table) {
        tables += 1;
        process.stderr.write(`  [${tables}] ${table[1]}\n`);
      }
    });
    await client.query('COMMIT');
    renameSync(partial, out);

    const keys = localKeyText(config);
    const localIds = keys ? parseDataKeys(keys.text, keys.keyFile ?? 'LIUZHUAN_DATA_KEYS').map((key) => key.id) : [];
    let writtenTo: string | undefined;
    if (options.withDataKeys) {
      if (!keys) throw new Error('--with-data-keys: no LIUZHUAN_DATA_KEYS and no key file in the data folder on this machine.');
      writtenTo = `${out}.data-keys`;
      writeFileSync(writtenTo, keys.text.endsWith('\n') ? keys.text : `${keys.text}\n`, { mode: 0o600 });
    }
    const manifest: BackupManifest = {
      format: 'liuzhuan-backup/1',
      createdAt: new Date().toISOString(),
      source: database.description,
      serverVersion: server.server_version,
      pgDump: pgDump.text,
      migrations,
      counts,
      dataKeys: {
        usedKeyIds,
        source: keys?.source ?? 'none found',
        ...(keys?.keyFile ? { keyFile: keys.keyFile } : {}),
        ...(writtenTo ? { writtenTo } : {}),
      },
    };
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

    const size = statSync(out).size;
    process.stdout.write(
      `Backup written: ${out} (${(size / 1024 / 1024).toFixed(1)} MB, ${tables} tables; ` +
        `${counts.process_instances} instances, ${counts.tasks} tasks, ${counts.jobs} jobs, ${counts.records} records, ${counts.users} users)\n` +
        `Manifest: ${manifestFile}\n`,
    );
    if (usedKeyIds.length > 0) {
      const missing = usedKeyIds.filter((id) => !localIds.includes(id));
      process.stdout.write(
        `Personal fields in this backup are encrypted with data key(s) ${usedKeyIds.join(', ')}. The archive does not hold them: ` +
          (writtenTo
            ? `they are in ${writtenTo} — store it apart from the archive (whoever has both reads the personal data).\n`
            : `keep ${keys?.source === 'LIUZHUAN_DATA_KEYS' ? 'LIUZHUAN_DATA_KEYS' : (keys?.keyFile ?? 'the key file')} safe; without it they cannot be read after a restore.\n`) +
          (missing.length > 0 ? `WARNING: key(s) ${missing.join(', ')} are not among this machine's keys — find them before you need this backup.\n` : ''),
      );
    }
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    await client.end().catch(() => undefined);
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
