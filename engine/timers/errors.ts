import { LiuzhuanError } from '../errors.ts';
import { quoteExpression } from '../expressions/errors.ts';

/**
 * A timer definition that cannot be scheduled (bad ISO 8601 / cron text, or a cycle without a
 * future occurrence). A 422 LiuzhuanError, so deploy can refuse a model with it as is.
 */
export class TimerError extends LiuzhuanError {
  constructor(
    message: string,
    /** The timer text the error is about. */
    readonly value: string,
  ) {
    super('invalid_timer', `${message} (timer ${quoteExpression(value)})`, 422);
  }
}
