import { LiuzhuanError, type ErrorDetail } from '../errors.ts';

/** The code of an evaluation stopped by its time or size budget (expressions/budget.ts). */
export const EXPRESSION_BUDGET_EXCEEDED = 'expression_budget_exceeded';

/** The most of an expression (or a value) a message quotes. */
export const QUOTED_CHARS = 200;

/**
 * `text` quoted for a message, cut after its first QUOTED_CHARS characters with its length
 * said: a refused 100 kB expression gave a 100 kB message (and the designer showed it whole).
 * `"` quotes as JSON (escapes and all), `'` quotes as is, `''` not at all (text already JSON).
 */
export function quoteExpression(text: string, quote: '"' | "'" | '' = '"'): string {
  let shown = text;
  if (text.length > QUOTED_CHARS) {
    // Never cut a surrogate pair in two.
    const cut = /[\uD800-\uDBFF]/.test(text[QUOTED_CHARS - 1]) ? QUOTED_CHARS - 1 : QUOTED_CHARS;
    shown = `${text.slice(0, cut)}…`;
  }
  const quoted = quote === '"' ? JSON.stringify(shown) : `${quote}${shown}${quote}`;
  return shown === text ? quoted : `${quoted} (${text.length} characters)`;
}

/**
 * An expression that does not parse or cannot be evaluated. It lives in its own module so the
 * JUEL and FEEL implementations can throw it without importing index.ts (no import cycle).
 * It is a LiuzhuanError (422) so a bad expression reaching the API answers precisely.
 */
export class ExpressionError extends LiuzhuanError {
  constructor(
    /** What went wrong, without the expression. */
    readonly reason: string,
    /** The expression text the error is about; quoted in the message (its start, when long). */
    readonly source: string,
    code = 'expression_error',
    details?: ErrorDetail[],
  ) {
    super(code, `${reason} (in expression ${quoteExpression(source)})`, 422, details);
  }

  /** The same error, naming the model element whose expression failed. */
  at(elementId: string): ExpressionError {
    if (this.details?.length) return this;
    const error = new ExpressionError(this.reason, this.source, this.code, [{ pointer: elementId, message: this.message }]);
    error.message = `Element "${elementId}": ${this.message}`;
    return error;
  }
}
