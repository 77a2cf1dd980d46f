/**
 * The data keys that encrypt personal values at rest (docs/privacy.md).
 * - `LIUZHUAN_DATA_KEYS=k2:<base64 of 32 bytes>,k1:<…>`: the first key encrypts, every key decrypts
 *   (a key stays listed until `npm run rotate-key` has moved every value off it).
 * - Unset: a local key file `<data dir>/data-keys` (same format, mode 0600) is read, or created on
 *   the first start, so development and tests need no configuration. Production sets the variable
 *   (from a secret store), so the key never sits beside the database files it protects.
 * The blind-index key of each data key is derived from it (HKDF), never stored.
 */
import { hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DataKey {
  id: string;
  key: Buffer;
  /** HMAC key of the blind index made with this data key. */
  indexKey: Buffer;
}

export interface Keyring {
  current: DataKey;
  byId: Map<string, DataKey>;
  /** Where the keys came from, for the start-up log (never the keys). */
  source: 'environment' | 'file';
  file?: string;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

function dataKey(id: string, key: Buffer): DataKey {
  const indexKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'liuzhuan blind index v1', 32));
  return { id, key, indexKey };
}

/** `k2:<base64>,k1:<base64>` → keys, first = current. Throws a message naming the bad entry. */
export function parseDataKeys(text: string, origin = 'LIUZHUAN_DATA_KEYS'): DataKey[] {
  const keys: DataKey[] = [];
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const material = colon > 0 ? Buffer.from(entry.slice(colon + 1), 'base64') : Buffer.alloc(0);
    if (!KEY_ID.test(id)) throw new Error(`${origin}: each key is "<id>:<base64 of 32 bytes>" with an id of letters, digits, - or _; got an entry starting "${entry.slice(0, 8)}…"`);
    if (material.length !== 32) throw new Error(`${origin}: key "${id}" must be 32 bytes in base64 (openssl rand -base64 32), got ${material.length} bytes`);
    if (keys.some((key) => key.id === id)) throw new Error(`${origin}: key id "${id}" is listed twice`);
    keys.push(dataKey(id, material));
  }
  if (keys.length === 0) throw new Error(`${origin} lists no key`);
  return keys;
}

function ring(keys: DataKey[], source: Keyring['source'], file?: string): Keyring {
  return { current: keys[0]!, byId: new Map(keys.map((key) => [key.id, key])), source, ...(file ? { file } : {}) };
}

/** Reads (or on the first start, creates) the local key file. Two processes starting at once agree: `wx` lets one write. */
function localKeys(dataDir: string): Keyring {
  const file = path.join(dataDir, 'data-keys');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    try {
      fs.writeFileSync(file, `local1:${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  let text = fs.readFileSync(file, 'utf8');
  // The other writer may be between open and write: its content arrives a moment later.
  for (let tries = 0; text.trim() === '' && tries < 50; tries += 1) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    text = fs.readFileSync(file, 'utf8');
  }
  return ring(parseDataKeys(text, file), 'file', file);
}

export function readKeyring(env: NodeJS.ProcessEnv, dataDir: string): Keyring {
  const configured = env.LIUZHUAN_DATA_KEYS?.trim();
  if (configured) return ring(parseDataKeys(configured), 'environment');
  return localKeys(dataDir);
}

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
let active: Keyring | undefined;

/** The server sets the keys at start (server/server.ts); a bare engine (a script) reads them lazily. */
export function configureDataKeys(keyring: Keyring): void {
  active = keyring;
}

export function keyring(): Keyring {
  active ??= readKeyring(process.env, path.resolve(process.env.LIUZHUAN_DATA_DIR || path.join(projectRoot, '.data')));
  return active;
}
