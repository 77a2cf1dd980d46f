/**
 * FEEL syntax through feelin's grammar (lezer-feel). The lezer parser is error tolerant (it
 * builds a tree with `⚠` error nodes instead of failing), so syntax checking walks the tree
 * for error nodes. This module also runs in the browser (the designer checks FEEL with it);
 * evaluation is node-only and sandboxed, in feelEval.ts.
 *
 * The check runs where it is asked (at deploy, on the server's event loop), and the parser's
 * time grows faster than the text: a 30 kB context literal took 34 s, a 7 kB one 1.2 s
 * (found by the hostile-model suite). So the parse is advanced step by step and given up when
 * it takes longer than the caller's budget: processor time where the caller can tell it (the
 * server, threadCpu.ts: a check descheduled by a loaded machine is not too complex), with a
 * wall-clock backstop; wall-clock time otherwise.
 */
import { parser, trackVariables } from 'lezer-feel';
import type { Tree } from '@lezer/common';

/** The parser feelin's parseExpression uses (an Expression, variables tracked from an empty context). */
const expressionParser = parser.configure({ top: 'Expression', contextTracker: trackVariables({}) });

/** How the server measures a check's time: its thread's processor time (null where unknown), and a wall-clock backstop. */
export interface CheckClock {
  cpuMs: () => number | null;
  wallBackstopMs: number;
}

/** Processor time is read at most this often once the wall-clock budget has passed (a read costs tens of µs). */
const CPU_READ_EVERY_MS = 5;

/** Parses `expr`, or says which budget ran out first. */
function parseWithin(expr: string, budgetMs: number, clock?: CheckClock): Tree | 'wall' | 'cpu' | 'backstop' {
  const parse = expressionParser.startParse(expr);
  const started = performance.now();
  const cpuAtStart = budgetMs < Infinity && clock ? clock.cpuMs() : null;
  let readAt = 0;
  for (;;) {
    const tree = parse.advance();
    if (tree) return tree;
    const elapsed = performance.now() - started;
    if (elapsed <= budgetMs) continue;
    if (cpuAtStart === null) return 'wall';
    if (elapsed > Math.max(budgetMs, clock!.wallBackstopMs)) return 'backstop';
    if (elapsed - readAt < CPU_READ_EVERY_MS) continue;
    readAt = elapsed;
    const cpuNow = clock!.cpuMs();
    if (cpuNow === null || cpuNow - cpuAtStart > budgetMs) return 'cpu';
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

const TOO_COMPLEX = {
  wall: (budgetMs: number) => `${budgetMs} ms`,
  cpu: (budgetMs: number) => `${budgetMs} ms of processor time`,
  backstop: (_budgetMs: number, clock?: CheckClock) => `${clock?.wallBackstopMs} ms of wall-clock time`,
};

/**
 * A human message when the FEEL text does not parse (or cannot be parsed within `budgetMs`,
 * measured by `clock` when given), else null.
 */
export function checkFeel(source: string, budgetMs = Infinity, clock?: CheckClock): string | null {
  const expr = strip(source);
  if (!expr.trim()) return 'FEEL syntax error: empty expression';
  let errorAt = -1;
  try {
    const tree = parseWithin(expr, budgetMs, clock);
    if (typeof tree === 'string') {
      return `FEEL expression too complex: checking its syntax took more than ${TOO_COMPLEX[tree](budgetMs, clock)} (${expr.length} characters)`;
    }
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
