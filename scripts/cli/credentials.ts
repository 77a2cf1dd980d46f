/**
 * Where the CLI talks to and as whom. The server: `--server`, else LIUZHUAN_URL, else
 * http://localhost:3000. The token: LIUZHUAN_TOKEN, else the one `liuzhuan login` stored for
 * that server in `<config dir>/liuzhuan/credentials.json` (mode 0600, folder 0700: a session
 * token is as good as the password for seven days).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { usageError, type Io } from './io.ts';

export const DEFAULT_SERVER = 'http://localhost:3000';

interface StoredLogin {
  token: string;
  username: string;
  savedAt: string;
}

interface CredentialsFile {
  servers: Record<string, StoredLogin>;
}

/** The server's base URL without a trailing slash; 1 (usage) for anything not http(s). */
export function serverUrl(io: Io, option: string | undefined): string {
  const raw = option ?? io.env.LIUZHUAN_URL ?? DEFAULT_SERVER;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usageError(`"${raw}" is not a URL: give the server as http://host:port (--server or LIUZHUAN_URL)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`The server URL must be http:// or https://, got "${raw}"`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** LIUZHUAN_CONFIG_DIR (the folder itself), else the platform's per-user config folder + /liuzhuan. */
export function configDir(env: NodeJS.ProcessEnv): string {
  if (env.LIUZHUAN_CONFIG_DIR) return env.LIUZHUAN_CONFIG_DIR;
  const home = env.HOME || os.homedir();
  if (env.XDG_CONFIG_HOME) return path.join(env.XDG_CONFIG_HOME, 'liuzhuan');
  if (process.platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'liuzhuan');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'liuzhuan');
  return path.join(home, '.config', 'liuzhuan');
}

export function credentialsPath(env: NodeJS.ProcessEnv): string {
  return path.join(configDir(env), 'credentials.json');
}

function readFile(file: string): CredentialsFile {
  if (!existsSync(file)) return { servers: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CredentialsFile;
    return parsed && typeof parsed.servers === 'object' && parsed.servers ? parsed : { servers: {} };
  } catch {
    // A damaged file is replaced at the next login rather than blocking every command.
    return { servers: {} };
  }
}

function writeFile(file: string, content: CredentialsFile): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written aside and renamed: a crash never leaves half a file, and the token is never world-readable.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

export function storedLogin(env: NodeJS.ProcessEnv, server: string): StoredLogin | undefined {
  return readFile(credentialsPath(env)).servers[server];
}

export function storeLogin(env: NodeJS.ProcessEnv, server: string, login: Omit<StoredLogin, 'savedAt'>): string {
  const file = credentialsPath(env);
  const content = readFile(file);
  content.servers[server] = { ...login, savedAt: new Date().toISOString() };
  writeFile(file, content);
  return file;
}

/** True when a stored login was removed. The file goes once it holds no server. */
export function forgetLogin(env: NodeJS.ProcessEnv, server: string): boolean {
  const file = credentialsPath(env);
  const content = readFile(file);
  if (!content.servers[server]) return false;
  delete content.servers[server];
  if (Object.keys(content.servers).length === 0) rmSync(file, { force: true });
  else writeFile(file, content);
  return true;
}

/** The token to send: LIUZHUAN_TOKEN wins over the stored login. */
export function tokenFor(env: NodeJS.ProcessEnv, server: string): { token: string; source: 'LIUZHUAN_TOKEN' | 'login' } | undefined {
  if (env.LIUZHUAN_TOKEN) return { token: env.LIUZHUAN_TOKEN, source: 'LIUZHUAN_TOKEN' };
  const stored = storedLogin(env, server);
  return stored ? { token: stored.token, source: 'login' } : undefined;
}
