/**
 * What every compile step shares: the parsed document and the list of problems found so far.
 * Problems are collected, never thrown one by one, so a deploy answers with all of them at once.
 * Expressions and timers are classified and checked here, where the element id is known.
 */
import { classifyExpression, checkExpression, type ExpressionLanguage } from '../expressions/index.ts';
import { quoteExpression } from '../expressions/errors.ts';
import { checkTimer } from '../timers/index.ts';
import type { DeployProblem, ExpressionSource, TimerKind } from './model.ts';
import { describe } from './moddleAccess.ts';
import type { ParsedBpmn } from './parse.ts';

/** A problem's stable machine code and the values its words need (see ErrorDetail). */
export type ProblemTag = Pick<DeployProblem, 'code' | 'params'>;

export class CompileContext {
  readonly problems: DeployProblem[] = [];
  readonly warnings: DeployProblem[] = [];
  /** Ids of elements refused as unsupported: flows to them need no second problem. */
  readonly refused = new Set<string>();

  constructor(readonly parsed: ParsedBpmn) {
    this.problems.push(...parsed.problems);
    this.warnings.push(...parsed.warnings);
  }

  /** A reason the model cannot be deployed, named by element and placed in the text. */
  problem(elementId: string | undefined, message: string, tag?: ProblemTag): void {
    this.problems.push({ elementId, ...this.parsed.positions.of(elementId), message, ...tag });
  }

  /**
   * `userTask 'approve'`, so every message names the element's type as well as its id. Only
   * generated sequence-flow ids are missing from the document.
   */
  describeId(elementId: string | undefined): string {
    if (elementId === undefined) return 'the model';
    const el = this.parsed.elementsById[elementId];
    return el ? describe(el) : `sequenceFlow '${elementId}'`;
  }

  /** True when `elementId` already has a problem, so follow-up rules can stay quiet about it. */
  hasProblem(elementId: string): boolean {
    return this.problems.some((problem) => problem.elementId === elementId);
  }

  warn(elementId: string | undefined, message: string, tag?: ProblemTag): void {
    this.warnings.push({ elementId, ...this.parsed.positions.of(elementId), message, ...tag });
  }

  /**
   * Classifies `text` (`${…}` → JUEL, leading `=` → FEEL, else `defaultLanguage`) and reports
   * a syntax error against `elementId`, saying which setting (`what`) holds it.
   */
  expression(
    elementId: string | undefined,
    what: string,
    text: string,
    defaultLanguage: ExpressionLanguage,
  ): ExpressionSource {
    const classified = classifyExpression(text, defaultLanguage);
    // `= amount` (Zeebe style) leaves a leading space after the `=` is stripped.
    const source = classified.language === 'feel' ? { ...classified, source: classified.source.trim() } : classified;
    const error = checkExpression(source);
    // A flow's condition has its own code: the designer points the admin at the condition builder.
    const code = what === 'condition' ? 'condition_invalid' : 'expression_invalid';
    if (error) this.problem(elementId, `${this.describeId(elementId)}: ${what} ${quoteExpression(text, "'")} does not parse: ${error}`, { code, params: { what } });
    return source;
  }

  /** Optional variant: undefined text stays undefined. */
  optionalExpression(
    elementId: string | undefined,
    what: string,
    text: string | undefined,
    defaultLanguage: ExpressionLanguage,
  ): ExpressionSource | undefined {
    return text === undefined ? undefined : this.expression(elementId, what, text, defaultLanguage);
  }

  /**
   * A timer value: an expression is checked for syntax only (its value is known at run time);
   * a literal must already be a valid ISO 8601 / cron text.
   */
  timer(elementId: string | undefined, kind: TimerKind, text: string): ExpressionSource {
    const value = this.expression(elementId, `timer ${kind}`, text, 'literal');
    if (value.language === 'literal') {
      const error = checkTimer(kind, value.source);
      if (error) this.problem(elementId, `${this.describeId(elementId)}: timer ${kind} ${quoteExpression(text, "'")} is not valid: ${error}`);
    }
    return value;
  }
}
