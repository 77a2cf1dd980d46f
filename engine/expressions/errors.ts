import { LiuzhuanError } from '../errors.ts';

/**
 * An expression that does not parse or cannot be evaluated. It lives in its own module so the
 * JUEL and FEEL implementations can throw it without importing index.ts (no import cycle).
 * It is a LiuzhuanError (422) so a bad expression reaching the API answers precisely.
 */
export class ExpressionError extends LiuzhuanError {
  constructor(
    message: string,
    /** The expression text the error is about; also quoted in the message. */
    readonly source: string,
  ) {
    super('expression_error', `${message} (in expression ${JSON.stringify(source)})`, 422);
  }
}
