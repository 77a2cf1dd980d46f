/**
 * FEEL through feelin. feelin's lezer parser is error tolerant (it builds a tree with `⚠` error
 * nodes instead of failing), so syntax checking walks the tree for error nodes; evaluation
 * throws feelin's SyntaxError, which we turn into ExpressionError. Results are converted to
 * JSON-friendly values (temporal values become their ISO strings).
 */
import {
  evaluate,
  parseExpression,
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelTime,
  FeelRange,
  FeelFunction,
} from 'feelin';
import { ExpressionError } from './errors.ts';

/** A leading `=` marks FEEL in Camunda 8 models; tolerate callers that did not strip it. */
function strip(source: string): string {
  return source.replace(/^\s*=/, '');
}

function describeError(expr: string, from: number): string {
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

/** Evaluates FEEL; unknown variables are null (FEEL semantics), syntax errors throw. */
export function evaluateFeel(source: string, variables: Record<string, unknown>): unknown {
  const expr = strip(source);
  let value: unknown;
  try {
    value = evaluate(expr, variables).value;
  } catch (err) {
    const msg = (err as Error).message;
    const pos = (err as { position?: { from: number } }).position;
    const where = pos ? describeError(expr, pos.from) : msg;
    throw new ExpressionError(`FEEL ${err instanceof Error && err.name === 'SyntaxError' ? 'syntax error' : 'evaluation failed'}: ${where}`, source);
  }
  return toJson(value, source);
}

/** Converts feelin results into plain JSON values. */
export function toJson(value: unknown, source: string): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof FeelDate || value instanceof FeelDateTime || value instanceof FeelTime || value instanceof FeelDuration) {
    return value.toJSON();
  }
  if (value instanceof FeelFunction || typeof value === 'function') {
    throw new ExpressionError('FEEL expression returned a function, which cannot be stored', source);
  }
  if (Array.isArray(value)) return value.map((v) => toJson(v, source));
  if (value instanceof FeelRange) {
    return {
      start: toJson(value.start, source),
      end: toJson(value.end, source),
      startIncluded: value['start included'],
      endIncluded: value['end included'],
    };
  }
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJson(v, source);
    return out;
  }
  return String(value); // bigint/symbol cannot come from FEEL; keep something printable
}
