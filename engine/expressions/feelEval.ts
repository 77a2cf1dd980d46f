/**
 * Evaluating FEEL under the budget: in the sandbox worker (feelSandbox.ts), for at most the
 * time expressions/budget.ts allows, with a result no larger than the configured size.
 * Unknown variables are null (FEEL semantics); syntax and evaluation errors, a result that
 * cannot be stored, and an exceeded budget all throw ExpressionError (422).
 */
import { engineLimits, limitEnvName } from '../limits.ts';
import { evaluationBudget } from './budget.ts';
import { EXPRESSION_BUDGET_EXCEEDED, ExpressionError } from './errors.ts';
import { describeError, strip } from './feel.ts';
import { evaluateInSandbox } from './feelSandbox.ts';

export function evaluateFeel(source: string, variables: Record<string, unknown>): unknown {
  const expr = strip(source);
  const budget = evaluationBudget();
  let reply;
  try {
    reply = evaluateInSandbox(expr, variables, budget.ms);
  } catch (error) {
    if ((error as Error).name === 'DataCloneError') {
      throw new ExpressionError(`FEEL cannot read these variables: ${(error as Error).message}`, source);
    }
    throw error;
  }
  if (reply.ok) return reply.value;
  if ('timedOut' in reply) {
    const why =
      budget.limitedBy === 'command'
        ? `the command's time budget ran out (${limitEnvName('maxCommandMs')} = ${engineLimits().maxCommandMs} ms)`
        : budget.limitedBy === 'blocking'
          ? `it would have held the server for more than ${engineLimits().maxBlockingMs} ms at once (${limitEnvName('maxBlockingMs')})`
          : `it took longer than ${budget.ms} ms (${limitEnvName('expressionTimeoutMs')}) or more than ${engineLimits().expressionMemoryMb} MB (${limitEnvName('expressionMemoryMb')})`;
    throw new ExpressionError(`FEEL evaluation stopped: ${why}`, source, EXPRESSION_BUDGET_EXCEEDED);
  }
  if ('tooLarge' in reply) {
    const limit = engineLimits().expressionMaxResultBytes;
    throw new ExpressionError(
      `FEEL result is ${reply.tooLarge} bytes as JSON, more than the ${limit} allowed (${limitEnvName('expressionMaxResultBytes')})`,
      source,
      EXPRESSION_BUDGET_EXCEEDED,
    );
  }
  if (reply.stored) throw new ExpressionError(reply.message, source);
  const where = reply.from !== undefined ? describeError(expr, reply.from) : reply.message;
  throw new ExpressionError(`FEEL ${reply.syntax ? 'syntax error' : 'evaluation failed'}: ${where}`, source);
}
