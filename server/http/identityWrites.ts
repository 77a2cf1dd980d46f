/**
 * This node forgets the session users it remembers (server/server.ts, engine/identity/
 * sessionCache.ts) when one of its own requests may have changed an identity: a logout, and
 * any write to users, roles, departments or personal data. The forgetting happens just
 * before the answer's first byte, after the change committed, so the caller's next request
 * (a logged-out token, a removed role) already meets the new state on this node. Other
 * nodes learn it from the database's NOTIFY (migration 050).
 */
import type { RequestHandler } from 'express';

const IDENTITY_PATHS = /^\/(auth\/logout|users|roles|departments|privacy)(\/|$)/;
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function forgetSessionsAfterIdentityWrites(identityChanged: () => void): RequestHandler {
  return (req, res, next) => {
    if (READS.has(req.method) || !IDENTITY_PATHS.test(req.path)) return next();
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    res.end = ((...args: unknown[]) => {
      identityChanged();
      return end(...args);
    }) as typeof res.end;
    next();
  };
}
