/**
 * Evaluating FEEL under the budget: in the sandbox worker (feelSandbox.ts), for at most the
 * time expressions/budget.ts allows, LIUZHUAN_MAX_BLOCKING_MS of holding the server by the
 * worker's own doing (feelSandbox.ts) and LIUZHUAN_MAX_BLOCKING_WALL_MS of wall-clock time,
 * with a result no larger than the configured size. Unknown variables are null (FEEL
 * semantics); syntax and evaluation errors, a result that cannot be stored, and an exceeded
 * budget all throw ExpressionError (422). A stop names the limit that was exceeded, and says
 * whether it was processor or wall-clock time.
 */
import { engineLimits, limitEnvName } from '../limits.ts';
import { blockingBackstopMs, evaluationBudget, type EvaluationBudget } from './budget.ts';
import { EXPRESSION_BUDGET_EXCEEDED, ExpressionError } from './errors.ts';
import { describeError, strip } from './feel.ts';
import { evaluateInSandbox, type StopReason } from './feelSandbox.ts';

/** Why the evaluation was stopped, in the words of the limit that stopped it. */
function stopMessage(stopped: StopReason, cpuMs: number | null, budget: EvaluationBudget, backstop: boolean): string {
  const limits = engineLimits();
  const used = cpuMs === null ? '' : `; it had used ${Math.round(cpuMs)} ms of processor time`;
  if (stopped === 'wall' && backstop) {
    return `it held the server for more than ${blockingBackstopMs()} ms of wall-clock time (${limitEnvName('maxBlockingWallMs')})${used}, the machine being too busy to let it finish`;
  }
  switch (stopped) {
    case 'cpu':
      return `it held the server for more than ${limits.maxBlockingMs} ms (${limitEnvName('maxBlockingMs')}), not counting time the machine kept it waiting for a processor${used}`;
    case 'blocking':
      return `it would have held the server for more than ${limits.maxBlockingMs} ms of wall-clock time at once (${limitEnvName('maxBlockingMs')}; this system does not tell a thread's processor time)`;
    case 'died':
      return `the sandbox ran out of memory: it needed more than ${limits.expressionMemoryMb} MB (${limitEnvName('expressionMemoryMb')})`;
    case 'wall':
      if (budget.limitedBy === 'command') {
        return `the command's time budget ran out (${limitEnvName('maxCommandMs')} = ${limits.maxCommandMs} ms of wall-clock time)${used}`;
      }
      // Memory too: a worker near its heap limit collects garbage for a long time (partly on
      // other threads) before it dies, and without the processor time its death is not seen.
      return `it took longer than ${budget.ms} ms (${limitEnvName('expressionTimeoutMs')}) of wall-clock time, or more than ${
        limits.expressionMemoryMb
      } MB (${limitEnvName('expressionMemoryMb')})${used}`;
  }
}

export function evaluateFeel(source: string, variables: Record<string, unknown>): unknown {
  const expr = strip(source);
  // The blocking limit is the sandbox's to apply (to the worker's own time where it can be read), and
  // its wall-clock backstop caps the wall-clock budget.
  const limits = engineLimits();
  const budget = evaluationBudget({ blocking: false });
  const backstopMs = blockingBackstopMs();
  const backstop = backstopMs < budget.ms;
  let reply;
  try {
    reply = evaluateInSandbox(expr, variables, { wallMs: backstop ? backstopMs : budget.ms, blockingMs: limits.maxBlockingMs });
  } catch (error) {
    if ((error as Error).name === 'DataCloneError') {
      throw new ExpressionError(`FEEL cannot read these variables: ${(error as Error).message}`, source);
    }
    throw error;
  }
  if (reply.ok) return reply.value;
  if ('stopped' in reply) {
    throw new ExpressionError(`FEEL evaluation stopped: ${stopMessage(reply.stopped, reply.cpuMs, budget, backstop)}`, source, EXPRESSION_BUDGET_EXCEEDED);
  }
  if ('tooLarge' in reply) {
    const limit = limits.expressionMaxResultBytes;
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
