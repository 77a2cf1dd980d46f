/**
 * Text PostgreSQL cannot store: U+0000 is refused in `text` and `jsonb`, and an unpaired
 * UTF-16 surrogate is refused in `jsonb` (and silently mangled into U+FFFD in `text`). Such
 * input is turned away where it enters (server/http/textSafety.ts, record validation) with a
 * 422 naming the value, instead of a 500 from the database on insert.
 */
import type { ErrorDetail } from './errors.ts';
import { pointerOf, walkMembers } from './jsonPath.ts';

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` cannot be stored, or undefined when it can. */
export function unstorableReason(text: string): string | undefined {
  if (NUL.test(text)) return 'contains the NUL character (U+0000), which cannot be stored';
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate (not valid Unicode text)';
  return undefined;
}

/**
 * The first string or member name in a JSON value that cannot be stored, as a detail with
 * its JSON pointer (below `base`), in document order. Iterative, so a deeply nested body
 * cannot overflow the stack, and nothing is allocated per value (jsonPath.ts): every request
 * body is read here before its route runs.
 */
export function findUnstorableText(value: unknown, base = ''): ErrorDetail | undefined {
  if (typeof value === 'string') {
    const reason = unstorableReason(value);
    return reason ? { pointer: base, message: `text ${reason}` } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  return walkMembers<ErrorDetail>(value, (path, key, child) => {
    // A string key is an object's member name; arrays' indexes are numbers.
    const nameReason = typeof key === 'string' ? unstorableReason(key) : undefined;
    if (nameReason) return { pointer: pointerOf(path, key, base), message: `the member name ${nameReason}` };
    const textReason = typeof child === 'string' ? unstorableReason(child) : undefined;
    return textReason ? { pointer: pointerOf(path, key, base), message: `text ${textReason}` } : undefined;
  });
}
