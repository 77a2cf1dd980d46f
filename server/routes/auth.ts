/**
 * `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`.
 * Login answers the token in the body (API clients) and sets it as an httpOnly cookie
 * (the browser, where scripts never see it).
 */
import { Router, type Request, type Response } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { SESSION_TTL_MS } from '../../engine/api.ts';
import type { AppContext } from '../context.ts';
import { requireUser, SESSION_COOKIE, sessionToken } from '../http/auth.ts';
import { messageLocale } from '../http/locale.ts';

export const LOGIN_ATTEMPTS_PER_MINUTE = 10;
/** Failed logins from one address across all usernames (trying one password on many accounts). */
export const LOGIN_FAILURES_PER_ADDRESS = 30;
const ADDRESS_WINDOW_MS = 10 * 60_000;

function tooManyAttempts(message: string) {
  return (_req: Request, res: Response) => {
    res.status(429).json({ error: { code: 'too_many_requests', message } });
  };
}

export function authRoutes(ctx: AppContext): Router {
  const router = Router();

  // Per client address and username, failed attempts only: guessing one account's password
  // is slowed down while a busy office behind one address can still log in. The counters are
  // per node and in memory; across N nodes an attacker gets at most N × the limit.
  const loginLimiter = rateLimit({
    windowMs: 60_000,
    limit: LOGIN_ATTEMPTS_PER_MINUTE,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    // Without a trusted proxy an X-Forwarded-For header is ignored on purpose, not a mistake.
    validate: { xForwardedForHeader: false },
    keyGenerator: (req) => {
      const username = typeof req.body?.username === 'string' ? req.body.username.toLowerCase().slice(0, 200) : '';
      return `${ipKeyGenerator(req.ip ?? '')}|${username}`;
    },
    handler: tooManyAttempts('Too many login attempts; try again in a minute'),
  });
  // Per client address alone: one password tried on many accounts (password spraying) meets
  // this one. The address is the peer's unless LIUZHUAN_TRUST_PROXY names a proxy in front.
  const addressLimiter = rateLimit({
    windowMs: ADDRESS_WINDOW_MS,
    limit: LOGIN_FAILURES_PER_ADDRESS,
    skipSuccessfulRequests: true,
    standardHeaders: false,
    legacyHeaders: false,
    validate: { xForwardedForHeader: false },
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
    handler: tooManyAttempts('Too many failed logins from this address; try again in ten minutes'),
  });

  router.post('/auth/login', addressLimiter, loginLimiter, async (req, res) => {
    const result = await ctx.engine.login(req.body, messageLocale(req));
    res.cookie(SESSION_COOKIE, result.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: req.secure,
      path: '/',
      maxAge: SESSION_TTL_MS,
    });
    res.json({ token: result.token, user: result.user });
  });

  router.post('/auth/logout', async (req, res) => {
    requireUser(req);
    await ctx.engine.logout(sessionToken(req)!);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  router.get('/auth/me', (req, res) => {
    res.json(requireUser(req));
  });

  return router;
}
