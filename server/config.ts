/** Configuration comes from the environment only; README lists every variable. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEngineLimits, type EngineLimits } from '../engine/limits.ts';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  adminPassword?: string;
  /** Loads the template app and demo users at start. */
  loadTemplates: boolean;
  /** Customers of the generated demo made on the very first start with templates (LIUZHUAN_DEMO_CUSTOMERS; 0: none). */
  demoCustomers: number;
  /** Limits against runaway models and expressions (engine/limits.ts); unset ones keep their defaults. */
  limits: Partial<EngineLimits>;
  /** Express's `trust proxy` (LIUZHUAN_TRUST_PROXY): false unless a proxy is really in front. */
  trustProxy: TrustProxy;
  /** Origins besides the server's own that may send cookie-authenticated writes (LIUZHUAN_ALLOWED_ORIGINS). */
  allowedOrigins: string[];
  /**
   * Keys encrypting personal values at rest (LIUZHUAN_DATA_KEYS, `k2:<base64>,k1:<base64>`, first
   * encrypts); unset: a key file in the data folder (engine/privacy/keys.ts, docs/privacy.md).
   */
  dataKeys?: string;
  /** How long this node's executor holds a job it leased (LIUZHUAN_JOB_LEASE_MS); a dead node's jobs wait this long. */
  jobLeaseMs: number;
  /** How long a node reuses a session's user (LIUZHUAN_SESSION_CACHE_MS, 0 = ask the database every request). */
  sessionCacheMs?: number;
}

/** false, true (any hop), a hop count, or addresses/subnets such as "loopback, 10.0.0.0/8". */
export type TrustProxy = boolean | number | string;

/**
 * X-Forwarded-For decides the client address the login limiter counts, so it is believed only
 * when the admin says a proxy is in front: trusting it by default lets any client pick its address.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  return text;
}

/** `https://a.example, http://b:8080` → normalized origins; anything else is a start-up error. */
export function parseAllowedOrigins(value: string | undefined): string[] {
  const origins: string[] = [];
  for (const item of (value ?? '').split(',').map((part) => part.trim()).filter(Boolean)) {
    let url: URL | undefined;
    try {
      url = new URL(item);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username) {
      throw new Error(`LIUZHUAN_ALLOWED_ORIGINS must list origins such as https://example.com, got "${item}"`);
    }
    origins.push(url.origin);
  }
  return origins;
}

/**
 * The first start's demo size: small by default, so a new installation serves within seconds
 * and still shows every process at work (templates/key-account/demo/firstStart.ts).
 */
export const DEFAULT_DEMO_CUSTOMERS = 20;

export function parseDemoCustomers(value: string | undefined): number {
  const text = (value ?? '').trim();
  if (text === '') return DEFAULT_DEMO_CUSTOMERS;
  if (!/^\d+$/.test(text) || Number(text) > 10_000) {
    throw new Error(`LIUZHUAN_DEMO_CUSTOMERS must be a whole number from 0 to 10000, got "${value}"`);
  }
  return Number(text);
}

/** 60 s by default; at least 1 s (a job must be able to run within its lease) and at most 1 h. */
export function parseJobLeaseMs(value: string | undefined): number {
  const text = (value ?? '').trim();
  if (text === '') return 60_000;
  if (!/^\d+$/.test(text) || Number(text) < 1_000 || Number(text) > 3_600_000) {
    throw new Error(`LIUZHUAN_JOB_LEASE_MS must be a whole number of milliseconds from 1000 to 3600000, got "${value}"`);
  }
  return Number(text);
}

export function parseSessionCacheMs(value: string | undefined): number {
  const text = (value ?? '').trim();
  if (text === '') return 5_000;
  if (!/^\d+$/.test(text) || Number(text) > 60_000) {
    throw new Error(`LIUZHUAN_SESSION_CACHE_MS must be a whole number of milliseconds from 0 to 60000, got "${value}"`);
  }
  return Number(text);
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a TCP port number, got "${env.PORT}"`);
  }
  return {
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: path.resolve(env.LIUZHUAN_DATA_DIR || path.join(projectRoot, '.data')),
    adminPassword: env.ADMIN_PASSWORD || undefined,
    loadTemplates: env.LIUZHUAN_LOAD_TEMPLATES !== 'false',
    demoCustomers: parseDemoCustomers(env.LIUZHUAN_DEMO_CUSTOMERS),
    limits: readEngineLimits(env),
    trustProxy: parseTrustProxy(env.LIUZHUAN_TRUST_PROXY),
    allowedOrigins: parseAllowedOrigins(env.LIUZHUAN_ALLOWED_ORIGINS),
    dataKeys: env.LIUZHUAN_DATA_KEYS || undefined,
    jobLeaseMs: parseJobLeaseMs(env.LIUZHUAN_JOB_LEASE_MS),
    sessionCacheMs: parseSessionCacheMs(env.LIUZHUAN_SESSION_CACHE_MS),
  };
}
