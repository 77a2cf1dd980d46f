/**
 * FEEL syntax check in the browser, the same way the server checks at save
 * (engine/expressions/feel.ts): feelin's parser is error tolerant, so we look for error nodes.
 * A `${…}` text is JUEL, which only the server checks.
 */
import { parseExpression } from 'feelin';

function describeError(expr: string, from: number): string {
  if (from >= expr.trimEnd().length) return `incomplete expression (unexpected end at position ${from})`;
  const snippet = expr.slice(from, from + 10).split(/\s/)[0] || expr[from];
  return `unexpected '${snippet}' at position ${from}`;
}

/** A message when `text` is not valid FEEL (a leading `=` allowed), else null. */
export function feelProblem(text: string): string | null {
  if (/[$#]\{/.test(text)) return null;
  const expr = text.replace(/^\s*=/, '');
  if (!expr.trim()) return 'FEEL syntax error: empty expression';
  let errorAt = -1;
  try {
    parseExpression(expr, {}, undefined).iterate({
      enter(node) {
        if (errorAt >= 0) return false;
        if (node.type.isError) {
          errorAt = node.from;
          return false;
        }
        return undefined;
      },
    });
  } catch (err) {
    return `FEEL syntax error: ${(err as Error).message}`;
  }
  return errorAt < 0 ? null : `FEEL syntax error: ${describeError(expr, errorAt)}`;
}
