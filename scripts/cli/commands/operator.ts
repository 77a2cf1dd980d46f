/**
 * `backup` and `restore`: the operator scripts scripts/backup.ts and scripts/restore.ts, run
 * here on this machine against DATABASE_URL (else the embedded database under
 * LIUZHUAN_DATA_DIR) — not through the server: the server has no backup API, and a backup
 * needs pg_dump next to the database, not an HTTP round trip. They run as a child process
 * (each script parses its own arguments at load), with the CLI's environment.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { CliError, EXIT, emit, usageError, type Io } from '../io.ts';

const scriptsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const LOCAL = 'Runs on this machine against DATABASE_URL (else the embedded database under LIUZHUAN_DATA_DIR, default .data), not through the server: --server and the token are not used.';

/** Runs scripts/<name>.ts under tsx; its stderr passes through, its stdout is returned (and shown unless --json). */
async function runScript(io: Io, name: string, args: string[], json: boolean): Promise<{ code: number; stdout: string }> {
  const loader = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child = spawn(process.execPath, ['--import', loader, path.join(scriptsDir, `${name}.ts`), ...args], {
    cwd: io.cwd,
    env: io.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += String(chunk);
    if (!json) io.out(String(chunk));
  });
  child.stderr.on('data', (chunk: Buffer) => io.err(String(chunk)));
  const code = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode ?? EXIT.failed));
  });
  return { code, stdout };
}

export function registerOperator(program: Command, io: Io): void {
  program
    .command('backup')
    .summary('back up the database with pg_dump: runs locally against DATABASE_URL, not through the server')
    .description(`Back up the whole database with pg_dump (npm run backup). ${LOCAL}`)
    .requiredOption('--out <file>', 'the archive to write; its manifest goes to <file>.json')
    .option('--with-data-keys', 'also write the data keys to <file>.data-keys (mode 0600): store that file apart from the archive')
    .option('--force', 'overwrite an existing archive')
    .addHelpText('after', `\n${LOCAL}\nNeeds pg_dump of the database's major version or newer (LIUZHUAN_PG_BIN names its folder). See docs/operations.md.`)
    .action(async (options: { out: string; withDataKeys?: boolean; force?: boolean }, command: Command) => {
      const json = Boolean(command.optsWithGlobals<{ json?: boolean }>().json);
      const out = path.resolve(io.cwd, options.out);
      const { code } = await runScript(io, 'backup', ['--out', out, ...(options.withDataKeys ? ['--with-data-keys'] : []), ...(options.force ? ['--force'] : [])], json);
      if (code !== 0) throw new CliError('backup failed (see the messages above)', EXIT.failed);
      const manifest = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as Record<string, unknown>;
      emit(io, json, { archive: out, manifest: `${out}.json`, ...manifest }, () => '');
    });

  program
    .command('restore')
    .summary('restore a backup into an empty database: runs locally against DATABASE_URL, not through the server')
    .description(`Restore a backup into an empty database (npm run restore). ${LOCAL}`)
    .argument('<file>', 'the archive written by `liuzhuan backup`')
    .option('--force', 'restore into a database that already holds tables, dropping what the archive restores first (stop the servers first)')
    .option('--data-keys <file>', 'install this key file (e.g. <archive>.data-keys) as <LIUZHUAN_DATA_DIR>/data-keys when that folder has none')
    .addHelpText('after', `\n${LOCAL}\nExit code 2: refused (the database is not empty, a server is connected): nothing was changed.`)
    .action(async (file: string, options: { force?: boolean; dataKeys?: string }, command: Command) => {
      const json = Boolean(command.optsWithGlobals<{ json?: boolean }>().json);
      const archive = path.resolve(io.cwd, file);
      if (!existsSync(archive)) throw usageError(`${file} does not exist`);
      const args = [archive, ...(options.force ? ['--force'] : []), ...(options.dataKeys ? ['--data-keys', path.resolve(io.cwd, options.dataKeys)] : [])];
      const { code, stdout } = await runScript(io, 'restore', args, json);
      // restore.ts: 2 = refused, nothing changed (the database holds tables, a server is connected).
      if (code === 2) throw new CliError('restore refused: nothing was changed (see the message above)', EXIT.refused);
      if (code !== 0) throw new CliError('restore failed (see the messages above)', EXIT.failed);
      emit(io, json, { archive, restored: true, messages: stdout.trim().split('\n').filter(Boolean) }, () => '');
    });
}
