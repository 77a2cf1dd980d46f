import { LiuzhuanError, type ErrorDetail } from '../errors.ts';

/** The code of an evaluation stopped by its time or size budget (expressions/budget.ts). */
export const EXPRESSION_BUDGET_EXCEEDED = 'expression_budget_exceeded';

/**
 * An expression that does not parse or cannot be evaluated. It lives in its own module so the
 * JUEL and FEEL implementations can throw it without importing index.ts (no import cycle).
 * It is a LiuzhuanError (422) so a bad expression reaching the API answers precisely.
 */
export class ExpressionError extends LiuzhuanError {
  constructor(
    /** What went wrong, without the expression. */
    readonly reason: string,
    /** The expression text the error is about; also quoted in the message. */
    readonly source: string,
    code = 'expression_error',
    details?: ErrorDetail[],
  ) {
    super(code, `${reason} (in expression ${JSON.stringify(source)})`, 422, details);
  }

  /** The same error, naming the model element whose expression failed. */
  at(elementId: string): ExpressionError {
    if (this.details?.length) return this;
    const error = new ExpressionError(this.reason, this.source, this.code, [{ pointer: elementId, message: this.message }]);
    error.message = `Element "${elementId}": ${this.message}`;
    return error;
  }
}
