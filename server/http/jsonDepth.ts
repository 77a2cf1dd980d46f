/**
 * Request bodies may nest at most MAX_JSON_DEPTH levels. JSON.parse takes 5,000 levels
 * happily, but everything after it that walks the data recursively (schema validation,
 * variable merging, FEEL contexts, jsonb encoding) would overflow its stack: the request then
 * failed with a 500. Checked once, right after parsing, without recursion of its own.
 */
import type { RequestHandler } from 'express';
import { ValidationError } from '../../engine/errors.ts';
import { pointerOf, walkMembers } from '../../engine/jsonPath.ts';

/** Deeper than any form, model or variable set needs; far below what overflows a stack. */
export const MAX_JSON_DEPTH = 64;

/**
 * The JSON pointer of the first value nested deeper than `maxDepth`, or null. Nothing is
 * allocated per value (engine/jsonPath.ts): a 200,000-item list is read in a few milliseconds.
 */
export function tooDeepAt(value: unknown, maxDepth: number): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (maxDepth <= 0) return '';
  const found = walkMembers(value, (path, key, child) =>
    typeof child === 'object' && child !== null && path.length >= maxDepth ? pointerOf(path, key) : undefined,
  );
  return found ?? null;
}

/** 422 `too_deeply_nested` for a JSON body nested deeper than `maxDepth`. */
export function limitJsonDepth(maxDepth = MAX_JSON_DEPTH): RequestHandler {
  return (req, _res, next) => {
    const pointer = tooDeepAt(req.body, maxDepth);
    if (pointer === null) {
      next();
      return;
    }
    next(
      new ValidationError(
        `The request body nests deeper than ${maxDepth} levels`,
        [{ pointer, message: `nested deeper than ${maxDepth} levels` }],
        'too_deeply_nested',
      ),
    );
  };
}
