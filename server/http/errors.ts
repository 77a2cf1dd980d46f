/**
 * Maps thrown errors to the public error shape
 * `{error: {code, message, details?: [{pointer, message}]}}`.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import knex from 'knex';
import { LiuzhuanError } from '../../engine/errors.ts';
import { log } from '../log.ts';

const RETRY_AFTER_SECONDS = 2;

function isPoolTimeout(error: unknown): boolean {
  return error instanceof knex.KnexTimeoutError || (error as { name?: string } | null)?.name === 'KnexTimeoutError';
}

export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'not_found', message: `No route for ${req.method} ${req.path}` } });
};

export const errorHandler: ErrorRequestHandler = (error, req, res, _next) => {
  if (error instanceof LiuzhuanError) {
    // A refusal that passes with time (the model worker starting, engine/bpmn/compilePool.ts) says when to retry.
    const retryAfter = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    if (retryAfter !== undefined) res.set('Retry-After', String(retryAfter));
    res.status(error.status).json({
      error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
    });
    return;
  }
  // body-parser failures: malformed JSON, too large, wrong charset.
  const status = (error as { status?: number; statusCode?: number }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = (error as { type?: string }).type;
    res.status(status).json({
      error: {
        code: type === 'entity.too.large' ? 'payload_too_large' : 'bad_request',
        message: (error as Error).message,
      },
    });
    return;
  }
  // A malformed id in a path (`/api/tasks/abc`) reaches PostgreSQL as an invalid uuid: like
  // any id that names nothing, it is a 404. (Ids in bodies are checked by ajv beforehand.)
  const pg = error as { code?: string; message?: string };
  if (pg.code === '22P02' && /type uuid/.test(pg.message ?? '')) {
    res.status(404).json({ error: { code: 'not_found', message: `Nothing at ${req.path}: not a valid id` } });
    return;
  }
  // Every pooled connection stayed busy for the whole acquire timeout: the server is
  // saturated, not broken. The client may try again shortly.
  if (isPoolTimeout(error)) {
    log.warn({ method: req.method, path: req.path }, 'database pool saturated');
    res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS)).json({
      error: { code: 'busy', message: 'The server is busy (all database connections are in use); try again shortly' },
    });
    return;
  }
  log.error({ err: error, method: req.method, path: req.path }, 'unhandled error');
  res.status(500).json({ error: { code: 'internal', message: 'Internal server error' } });
};
