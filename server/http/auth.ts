/**
 * Who is calling. `authenticate` resolves a bearer token or the `lz_session` cookie to the
 * user and sets `req.user`; it never rejects, so public routes (health, login) work without
 * one. Protected handlers call `requireUser` / `requireAdmin` first.
 */
import type { Request, RequestHandler } from 'express';
import { ForbiddenError, UnauthorizedError } from '../../engine/errors.ts';
import type { AuthUser } from '../../engine/identity/types.ts';
import type { AppContext } from '../context.ts';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The logged-in caller, set by `authenticate`. */
      user?: AuthUser;
    }
  }
}

export const SESSION_COOKIE = 'lz_session';

/** The session token the request carries: the Authorization header wins over the cookie. */
export function sessionToken(req: Request): string | undefined {
  const header = req.get('authorization');
  const bearer = header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (bearer) return bearer;
  const cookie = (req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE];
  return typeof cookie === 'string' && cookie ? cookie : undefined;
}

export function authenticate(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    const token = sessionToken(req);
    // Tokens are 32 bytes base64url; anything far off is not worth a query.
    if (token && token.length <= 100) req.user = await ctx.userForToken(token);
    next();
  };
}

export function requireUser(req: Request): AuthUser {
  if (!req.user) throw new UnauthorizedError();
  return req.user;
}

export function requireAdmin(req: Request): AuthUser {
  const user = requireUser(req);
  if (user.role !== 'admin') throw new ForbiddenError('Only an admin may do this');
  return user;
}
