/**
 * Request bodies may nest at most MAX_JSON_DEPTH levels. JSON.parse takes 5,000 levels
 * happily, but everything after it that walks the data recursively (schema validation,
 * variable merging, FEEL contexts, jsonb encoding) would overflow its stack: the request then
 * failed with a 500. Checked once, right after parsing, without recursion of its own.
 */
import type { RequestHandler } from 'express';
import { pointerToken, ValidationError } from '../../engine/errors.ts';

/** Deeper than any form, model or variable set needs; far below what overflows a stack. */
export const MAX_JSON_DEPTH = 64;

/** The JSON pointer of the first value nested deeper than `maxDepth`, or null. */
export function tooDeepAt(value: unknown, maxDepth: number): string | null {
  const stack: Array<{ value: unknown; depth: number; pointer: string }> = [{ value, depth: 0, pointer: '' }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value !== 'object' || item.value === null) continue;
    if (item.depth >= maxDepth) return item.pointer;
    for (const [key, child] of Object.entries(item.value)) {
      if (typeof child === 'object' && child !== null) {
        stack.push({ value: child, depth: item.depth + 1, pointer: `${item.pointer}/${pointerToken(key)}` });
      }
    }
  }
  return null;
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
