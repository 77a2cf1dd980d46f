/**
 * Expressions: one entry point for the languages a model may use (see ExpressionSource).
 * FEEL goes through feelin; JUEL `${…}` through our own safe parser. Nothing here ever
 * calls eval or new Function.
 *
 * Budget: FEEL has loops, ranges, user functions and regular expressions, so it runs in a
 * sandbox worker under a time, heap and result-size budget (feelEval.ts, budget.ts). The JUEL
 * subset has no loops and no calls: its work is linear in the expression and the variables it
 * reads, so it runs in place.
 *
 * CONTRACT:
 *  - classifyExpression(text, defaultLanguage) -> ExpressionSource
 *      `${`/`#{` anywhere -> juel; leading `=` -> feel (the `=` stripped); otherwise defaultLanguage.
 *  - checkExpression(src) -> string | null      (a human message when it does not parse)
 *  - evaluateExpression(src, variables) -> unknown   (throws ExpressionError on evaluation failure)
 *  - evaluateCondition(src, variables) -> boolean    (true only for boolean true)
 */
import type { ExpressionSource } from '../bpmn/model.ts';
import { ExpressionError } from './errors.ts';
import { checkFeel } from './feel.ts';
import { blockingBackstopMs } from './budget.ts';
import { evaluateFeel } from './feelEval.ts';
import { engineLimits } from '../limits.ts';
import { parseJuel, type JuelTemplate } from './juel.ts';
import { evaluateJuel } from './juelEval.ts';
import { ownCpuMs } from './threadCpu.ts';

export { ExpressionError } from './errors.ts';

export type ExpressionLanguage = ExpressionSource['language'];
export type Variables = Record<string, unknown>;

export function classifyExpression(text: string, defaultLanguage: ExpressionLanguage): ExpressionSource {
  if (/[$#]\{/.test(text)) return { language: 'juel', source: text };
  const feel = /^\s*=/.exec(text);
  if (feel) return { language: 'feel', source: text.slice(feel[0].length) };
  return { language: defaultLanguage, source: text };
}

/**
 * Parsed JUEL templates (or their syntax error) per source text. Models are evaluated over and
 * over with the same few texts, so parsing once matters; the cap keeps ad-hoc texts from
 * growing the map without bound (oldest entry evicted first, Map keeps insertion order).
 */
const CACHE_LIMIT = 1000;
const juelCache = new Map<string, JuelTemplate | ExpressionError>();
const feelCheckCache = new Map<string, string | null>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
  return value;
}

function juelTemplate(source: string): JuelTemplate | ExpressionError {
  const hit = juelCache.get(source);
  if (hit) return hit;
  let parsed: JuelTemplate | ExpressionError;
  try {
    parsed = parseJuel(source);
  } catch (err) {
    if (!(err instanceof ExpressionError)) throw err;
    parsed = err;
  }
  return remember(juelCache, source, parsed);
}

export function checkExpression(src: ExpressionSource): string | null {
  switch (src.language) {
    case 'literal':
      return null;
    case 'juel': {
      const parsed = juelTemplate(src.source);
      return parsed instanceof ExpressionError ? parsed.message : null;
    }
    case 'feel': {
      if (feelCheckCache.has(src.source)) return feelCheckCache.get(src.source) ?? null;
      // Checked on the event loop (at deploy): no longer than one evaluation may hold it, in
      // processor time where this thread's can be read (a loaded machine's delay is not the
      // expression's), and in wall-clock time the same backstop.
      const limits = engineLimits();
      const problem = checkFeel(src.source, limits.maxBlockingMs, { cpuMs: ownCpuMs, wallBackstopMs: blockingBackstopMs() });
      // A check given up for its time is not remembered: the machine's load may have been the cause.
      return problem?.startsWith('FEEL expression too complex') ? problem : remember(feelCheckCache, src.source, problem);
    }
  }
}

export function evaluateExpression(src: ExpressionSource, variables: Variables): unknown {
  switch (src.language) {
    case 'literal':
      return src.source;
    case 'juel': {
      const parsed = juelTemplate(src.source);
      if (parsed instanceof ExpressionError) throw parsed;
      return evaluateJuel(parsed, variables, src.source);
    }
    case 'feel':
      return evaluateFeel(src.source, variables);
  }
}

/** True only when the expression yields boolean true; null, strings, numbers count as false. */
export function evaluateCondition(src: ExpressionSource, variables: Variables): boolean {
  return evaluateExpression(src, variables) === true;
}
