/**
 * Text PostgreSQL cannot store: U+0000 is refused in `text` and `jsonb`, and an unpaired
 * UTF-16 surrogate is refused in `jsonb` (and silently mangled into U+FFFD in `text`). Such
 * input is turned away where it enters (server/http/textSafety.ts, record validation) with a
 * 422 naming the value, instead of a 500 from the database on insert.
 */
import { pointerToken, type ErrorDetail } from './errors.ts';

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
 * its JSON pointer (below `base`). Iterative, so a deeply nested body cannot overflow the stack.
 */
export function findUnstorableText(value: unknown, base = ''): ErrorDetail | undefined {
  const stack: { value: unknown; pointer: string }[] = [{ value, pointer: base }];
  while (stack.length) {
    const { value: current, pointer } = stack.pop()!;
    if (typeof current === 'string') {
      const reason = unstorableReason(current);
      if (reason) return { pointer, message: `text ${reason}` };
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) stack.push({ value: current[index], pointer: `${pointer}/${index}` });
    } else if (current && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, inner] = entries[index];
        const memberPointer = `${pointer}/${pointerToken(key)}`;
        const reason = unstorableReason(key);
        if (reason) return { pointer: memberPointer, message: `the member name ${reason}` };
        stack.push({ value: inner, pointer: memberPointer });
      }
    }
  }
  return undefined;
}
