/**
 * Who is on a socket: the handshake's `auth: {token}` or the `lz_session` cookie, resolved
 * like an HTTP request. A socket may only ever sit in its own rooms, so the rooms are
 * computed here from the user and no client message can add more.
 */
import type { Socket } from 'socket.io';
import type { AuthUser } from '../../engine/identity/types.ts';
import type { AppContext } from '../context.ts';
import { SESSION_COOKIE } from '../http/auth.ts';
import { isAllowedOrigin, ownOrigin } from '../http/origin.ts';
import { log } from '../log.ts';

export const userRoom = (userId: string) => `user:${userId}`;
export const departmentRoom = (departmentId: string) => `department:${departmentId}`;

/** Admins watch every instance's incidents (the admin incidents page refreshes live). */
export const ADMINS_ROOM = 'admins';

/** The rooms a user's sockets join: their own, one per department they belong to, and admins'. */
export function roomsOfUser(user: AuthUser): string[] {
  return [userRoom(user.id), ...user.departmentIds.map(departmentRoom), ...(user.role === 'admin' ? [ADMINS_ROOM] : [])];
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The handshake's token: `auth.token` wins over the cookie, as the header does over HTTP. */
export function handshakeToken(handshake: Socket['handshake']): { token: string; from: 'auth' | 'cookie' } | undefined {
  const fromAuth = (handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof fromAuth === 'string' && fromAuth) return { token: fromAuth, from: 'auth' };
  const cookie = cookieValue(handshake.headers.cookie, SESSION_COOKIE);
  return cookie ? { token: cookie, from: 'cookie' } : undefined;
}

export interface SocketOriginPolicy {
  allowedOrigins: readonly string[];
  /** Believe X-Forwarded-Proto/Host for the server's own origin (config `trustProxy` set). */
  trustProxy: boolean;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text?.split(',')[0]?.trim() || undefined;
}

/**
 * A page on another origin can open a WebSocket here and the browser adds our cookie to it
 * (WebSockets have no CORS), so a cookie-authenticated handshake must come from our own
 * origin. Browsers always send `Origin` with a WebSocket; a client without one is not a
 * browser and cannot be made to use someone's cookie. `auth.token` needs no check: a
 * foreign page cannot know it.
 */
function originAllowed(handshake: Socket['handshake'], policy: SocketOriginPolicy): boolean {
  const origin = firstHeader(handshake.headers.origin);
  if (origin === undefined) return true;
  const forwarded = policy.trustProxy;
  const protocol = (forwarded && firstHeader(handshake.headers['x-forwarded-proto'])) || (handshake.secure ? 'https' : 'http');
  const host = (forwarded && firstHeader(handshake.headers['x-forwarded-host'])) || firstHeader(handshake.headers.host);
  return isAllowedOrigin(origin, ownOrigin(protocol, host), policy.allowedOrigins);
}

/**
 * socket.io middleware: sets `socket.data.user` or refuses the connection with
 * `unauthorized` (no or a dead session) or `forbidden_origin` (the cookie, sent from a foreign page).
 */
export function authenticateSocket(ctx: AppContext, policy: SocketOriginPolicy = { allowedOrigins: [], trustProxy: false }) {
  return async (socket: Socket, next: (error?: Error) => void) => {
    const found = handshakeToken(socket.handshake);
    if (found?.from === 'cookie' && !originAllowed(socket.handshake, policy)) return next(new Error('forbidden_origin'));
    const token = found?.token;
    try {
      // Tokens are 32 bytes base64url; anything far off is not worth a query.
      const user = token && token.length <= 100 ? await ctx.userForToken(token) : undefined;
      if (!user) return next(new Error('unauthorized'));
      socket.data.user = user;
      next();
    } catch (error) {
      log.warn({ err: error }, 'socket authentication failed');
      next(new Error('unavailable'));
    }
  };
}
