/**
 * Cross-site request forgery: a page elsewhere (another site, or another port of this
 * host) can make the browser send the session cookie with a form POST or a `fetch` in
 * no-cors mode. Such requests can neither carry a custom header nor a JSON content type
 * without a CORS preflight, which this server never grants. So a write under /api that
 * relies on the cookie must
 *   - carry `X-Requested-With` (the designer sends `X-Requested-With: liuzhuan`), and
 *   - come from our own origin whenever the browser names one (`Origin`).
 * Requests with `Authorization: Bearer` are not affected: browsers never add that header
 * on their own. Every write with a body must be JSON (`415` otherwise), so a text/plain
 * form cannot smuggle a request in even before login.
 */
import type { Request, RequestHandler } from 'express';
import { ForbiddenError, LiuzhuanError } from '../../engine/errors.ts';
import { SESSION_COOKIE } from './auth.ts';
import { isAllowedOrigin, ownOrigin } from './origin.ts';

export const CSRF_HEADER = 'X-Requested-With';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const IMPORT_UPLOAD = /^\/forms\/[^/]+\/imports\/?$/;
/** App package uploads (server/routes/appPackages.ts). */
const PACKAGE_UPLOAD = /^\/apps\/packages\/(preview|import)\/?$/;

export interface OriginPolicy {
  /** Origins besides the server's own (config `allowedOrigins`). */
  allowedOrigins: readonly string[];
}

function hasBearer(req: Request): boolean {
  return /^Bearer\s+\S+/i.test(req.get('authorization') ?? '');
}

function hasSessionCookie(req: Request): boolean {
  return Boolean((req.cookies as Record<string, unknown> | undefined)?.[SESSION_COOKIE]);
}

/** 415 for a write whose body is not JSON (the API accepts nothing else). */
export const requireJsonBodies: RequestHandler = (req, _res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const hasBody = req.get('transfer-encoding') !== undefined || Number(req.get('content-length') ?? 0) > 0;
  // The one upload (server/routes/imports.ts): multipart, still behind requireSameOriginWrites' header check.
  if (hasBody && req.method === 'POST' && (IMPORT_UPLOAD.test(req.path) || PACKAGE_UPLOAD.test(req.path)) && req.is('multipart/form-data')) return next();
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    throw new LiuzhuanError(
      'unsupported_media_type',
      `Request bodies must be JSON (Content-Type: application/json), got ${req.get('content-type') ?? 'no Content-Type'}`,
      415,
    );
  }
  next();
};

/** 403 for a cookie-authenticated write without the custom header, or from a foreign origin. */
export function requireSameOriginWrites(policy: OriginPolicy): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method) || hasBearer(req)) return next();
    const origin = req.get('origin');
    // `req.protocol` and `req.host` follow X-Forwarded-* only when `trust proxy` says so.
    if (origin !== undefined && !isAllowedOrigin(origin, ownOrigin(req.protocol, req.host), policy.allowedOrigins)) {
      throw new ForbiddenError(`Requests from ${origin} are not accepted: it is not this server's origin`, 'cross_origin');
    }
    if (hasSessionCookie(req) && !req.get(CSRF_HEADER)) {
      throw new ForbiddenError(
        `A request authenticated by the session cookie must send the header ${CSRF_HEADER}: liuzhuan (or use Authorization: Bearer)`,
        'csrf_header_required',
      );
    }
    next();
  };
}
