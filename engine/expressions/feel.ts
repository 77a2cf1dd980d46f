/**
 * FEEL syntax through feelin's grammar (lezer-feel). The lezer parser is error tolerant (it
 * builds a tree with `⚠` error nodes instead of failing), so syntax checking walks the tree
 * for error nodes. This module also runs in the browser (the designer checks FEEL with it);
 * evaluation is node-only and sandboxed, in feelEval.ts.
 *
 * The check runs where it is asked (at deploy, on the server's event loop), and the parser's
 * time grows faster than the text: a 30 kB context literal took 34 s, a 7 kB one 1.2 s
 * (found by the hostile-model suite). So the parse is advanced step by step and given up when
 * it takes longer than the caller's budget.
 */
import { parser, trackVariables } from 'lezer-feel';
import type { Tree } from '@lezer/common';

/** The parser feelin's parseExpression uses (an Expression, variables tracked from an empty context). */
const expressionParser = parser.configure({ top: 'Expression', contextTracker: trackVariables({}) });

/** Parses `expr`, or returns null when that takes longer than `budgetMs`. */
function parseWithin(expr: string, budgetMs: number): Tree | null {
  const parse = expressionParser.startParse(expr);
  const giveUpAt = performance.now() + budgetMs;
  for (;;) {
    const tree = parse.advance();
    if (tree) return tree;
    if (performance.now() > giveUpAt) return null;
  }
}

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

/**
 * A human message when the FEEL text does not parse (or cannot be parsed within `budgetMs`),
 * else null.
 */
export function checkFeel(source: string, budgetMs = Infinity): string | null {
  const expr = strip(source);
  if (!expr.trim()) return 'FEEL syntax error: empty expression';
  let errorAt = -1;
  try {
    const tree = parseWithin(expr, budgetMs);
    if (!tree) return `FEEL expression too complex: checking its syntax took more than ${budgetMs} ms (${expr.length} characters)`;
    tree.iterate({
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
