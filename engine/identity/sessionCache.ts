/**
 * Who a session token belongs to, remembered for a few seconds on this node. Every HTTP
 * request and socket handshake asks; without the cache each paid one query (a third of the
 * statements of a task completed over HTTP).
 *
 * Staleness is bounded by invalidation, not by the TTL alone:
 * - migration 050 makes PostgreSQL NOTIFY `liuzhuan_identity` on every change to sessions
 *   (delete), users, roles, user_roles, departments and department_members, whoever writes
 *   them (API, scripts, a restore); every node LISTENs and forgets everything it holds;
 * - this node's own identity writes (logout, users, roles, departments) also forget at once
 *   after they answer (`invalidate`), so the caller's next request never sees the old state;
 * - while the LISTEN connection is down (and until it is back), nothing is cached: another
 *   node's logout could not reach us;
 * - a lookup that started before an invalidation does not store what it read.
 * What remains: another node serves a token for the milliseconds between the commit of a
 * logout (or a deactivation) and the arrival of its NOTIFY — the same as a request that was
 * already running. Unknown tokens are never cached, so guessing costs a query each as before.
 */
import type { AuthUser } from './types.ts';
import { createJobListener, type JobListener } from '../jobs/listener.ts';

export const IDENTITY_CHANNEL = 'liuzhuan_identity';

export interface SessionCacheOptions {
  /** How long an answer is reused at most (also capped by the session's own expiry, which the query checks). */
  ttlMs?: number;
  /** Bound on remembered tokens; the oldest entry goes first. */
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  user: AuthUser;
  until: number;
}

export interface SessionCache {
  /** The user of `tokenHash`, from memory when fresh, else from `load` (remembered if found). */
  lookup(tokenHash: string, load: () => Promise<{ user: AuthUser; expiresAt: Date } | undefined>): Promise<AuthUser | undefined>;
  /** Forget everything: an identity changed. */
  invalidate(): void;
  /** Whether answers may be kept (the invalidation channel is listened to). */
  setLive(live: boolean): void;
  readonly size: number;
}

export function createSessionCache(options: SessionCacheOptions = {}): SessionCache {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  let generation = 0;
  let live = false;

  return {
    async lookup(tokenHash, load) {
      const hit = entries.get(tokenHash);
      if (hit && hit.until > now()) return hit.user;
      if (hit) entries.delete(tokenHash);
      const startedAt = generation;
      const session = await load();
      if (session && live && ttlMs > 0 && startedAt === generation) {
        if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
        // Never past the session's own end: the query checks it, a remembered answer must too.
        entries.set(tokenHash, { user: session.user, until: Math.min(now() + ttlMs, session.expiresAt.getTime()) });
      }
      return session?.user;
    },
    invalidate() {
      generation += 1;
      entries.clear();
    },
    setLive(next) {
      if (live !== next) {
        generation += 1;
        entries.clear();
      }
      live = next;
    },
    get size() {
      return entries.size;
    },
  };
}

/**
 * Keeps `cache` live while a dedicated connection LISTENs on the identity channel: each
 * notification (and each reconnect, after which missed ones are unknown) forgets everything.
 */
export function listenForIdentityChanges(
  cache: SessionCache,
  connection: string,
  onError: (error: unknown) => void,
): JobListener {
  const listener = createJobListener({
    connection,
    channel: IDENTITY_CHANNEL,
    onNotify: () => {
      cache.invalidate();
      cache.setLive(true);
    },
    onLost: () => cache.setLive(false),
    onError,
  });
  return {
    start: () => listener.start(),
    async stop() {
      cache.setLive(false);
      await listener.stop();
    },
  };
}
