/**
 * Refuses request text PostgreSQL cannot store (NUL, unpaired surrogates; see
 * engine/storableText.ts) with one 422 `invalid_text` before any route runs, wherever it
 * sits: the JSON body (pointer into it), a query parameter (its name) or the path.
 * Without this, each such value reached the database and came back as a 500.
 */
import type { RequestHandler } from 'express';
import { ValidationError, type ErrorDetail } from '../../engine/errors.ts';
import { findUnstorableText, unstorableReason } from '../../engine/storableText.ts';

function pathProblem(rawPath: string): ErrorDetail | undefined {
  for (const segment of rawPath.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      continue; // malformed escapes are the router's 400
    }
    const reason = unstorableReason(decoded);
    if (reason) return { pointer: 'path', message: `the path segment "${segment}" ${reason}` };
  }
  return undefined;
}

function queryProblem(query: Record<string, unknown>): ErrorDetail | undefined {
  for (const [name, value] of Object.entries(query)) {
    const nameReason = unstorableReason(name);
    if (nameReason) return { pointer: name, message: `the query parameter name ${nameReason}` };
    const found = findUnstorableText(value);
    if (found) return { pointer: name, message: `query parameter ${found.message}` };
  }
  return undefined;
}

export const refuseUnstorableText: RequestHandler = (req, _res, next) => {
  const problem =
    pathProblem(req.path) ??
    queryProblem((req.query ?? {}) as Record<string, unknown>) ??
    findUnstorableText(req.body);
  if (problem) {
    throw new ValidationError('The request contains text that cannot be stored', [problem], 'invalid_text');
  }
  next();
};
