/**
 * FEEL syntax through feelin. feelin's lezer parser is error tolerant (it builds a tree with
 * `⚠` error nodes instead of failing), so syntax checking walks the tree for error nodes.
 * This module also runs in the browser (the designer checks FEEL with it); evaluation is
 * node-only and sandboxed, in feelEval.ts.
 */
import { parseExpression } from 'feelin';

/** A leading `=` marks FEEL in Camunda 8 models; tolerate callers that did not strip it. */
export function strip(source: string): string {
  return source.replace(/^\s*=/, '');
}

/** Where a FEEL text goes wrong, for messages (`unexpected ')' at position 7`). */
export function describeError(expr: string, from: number): string {
  if (from >= expr.trimEnd().length) return `incomplete expression (unexpected end at position ${from})`;
  const snippet = expr.slice(from, from + 10).split(/\s/)[0] || expr[from];
  return `unexpected '${snippet}' at position ${from}`;
}

/** A human message when the FEEL text does not parse, else null. */
export function checkFeel(source: string): string | null {
  const expr = strip(source);
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
