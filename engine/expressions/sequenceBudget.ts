/**
 * One time budget for a series of expression evaluations: a form's formulas, a form's routing
 * rules, an automation's filter and actions, a saveRecord task's entries. Each evaluation is
 * held to the per-expression and blocking limits (budget.ts); without a budget for the whole
 * series, 300 formulas that each stay just under them hold the node for the sum, and every
 * other request (GET /api/health included) waits that long.
 *
 * The series gets the command budget (LIUZHUAN_MAX_COMMAND_MS): a save or a routing is one
 * user action, the same unit a command is bounded by. Outside a command's run it gets a
 * deadline of its own, which its evaluations share (budget.ts reads it from
 * AsyncLocalStorage); inside one (a service task's handler) the command's deadline is already
 * in force, and a fresh one would replace it and so extend the command: the series reuses it.
 * Either way it lets waiting requests run between evaluations once it has held the event loop
 * for YIELD_AFTER_MS, without charging the pause to the budget, as a command does between steps.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { ValidationError } from '../errors.ts';
import { engineLimits, limitEnvName } from '../limits.ts';
import { currentDeadline, deadlineIn, isPast, letOthersRun, refund, runWithDeadline, stepStarts, type Deadline } from './budget.ts';
import { EXPRESSION_BUDGET_EXCEEDED, ExpressionError } from './errors.ts';

/** A series whose time ran out: 422 naming what was stopped, and where. Never a "broken rule" that counts as false. */
export class SequenceBudgetExceeded extends ValidationError {}

export interface Sequence {
  /**
   * Runs one evaluation of the series (`where`: a JSON pointer or element id, and `about` what
   * is there in words, for the refusal). Lets others run first if the series has held the event
   * loop long enough; refuses once the series' time is up, including when it ran out during
   * this evaluation.
   */
  evaluate<T>(where: string, evaluation: () => T, about?: string): Promise<T>;
}

interface OwnSeries {
  deadline: Deadline;
  /** What the series is, in the refusal: `The formulas of form "order"`. */
  what: string;
  evaluated: number;
}

const series = new AsyncLocalStorage<OwnSeries>();

/**
 * Runs `work` under one budget for its evaluations: an enclosing series' or command's when
 * there is one, else a new one of LIUZHUAN_MAX_COMMAND_MS. `what` names the series in the
 * refusal ("The formulas of form \"order\"").
 */
export async function withSequenceBudget<T>(what: string, work: (sequence: Sequence) => Promise<T>): Promise<T> {
  const enclosing = series.getStore();
  if (enclosing && inForce(enclosing.deadline)) return work(ownSequence(enclosing));
  if (someDeadlineInForce()) return work(borrowedSequence);
  const own: OwnSeries = { deadline: deadlineIn(engineLimits().maxCommandMs), what, evaluated: 0 };
  return series.run(own, () => runWithDeadline(own.deadline, () => work(ownSequence(own))));
}

function ownSequence(own: OwnSeries): Sequence {
  return {
    async evaluate(where, evaluation, about) {
      await letOthersRun(own.deadline);
      if (isPast(own.deadline)) throw ranOut(own, where, about);
      // Each evaluation of a series is a step of its own: it gets the whole per-expression limit.
      stepStarts(own.deadline);
      try {
        return evaluation();
      } catch (error) {
        // Stopped because the series' time ran out during it: say so, rather than blame the expression.
        if (error instanceof ExpressionError && error.code === EXPRESSION_BUDGET_EXCEEDED && isPast(own.deadline)) throw ranOut(own, where, about, error);
        throw error;
      } finally {
        own.evaluated += 1;
      }
    },
  };
}

/**
 * Inside a command's run: the command's deadline bounds every evaluation already, and the
 * interpreter refuses the command once it is past. Only the pause is ours to add, credited to
 * that deadline as letOthersRun credits its own (budget.ts's `refund`).
 */
const borrowedSequence: Sequence = {
  async evaluate(_where, evaluation) {
    const pause = deadlineIn(0);
    const before = pause.at;
    await letOthersRun(pause);
    refund(pause.at - before);
    return evaluation();
  },
};

function ranOut(own: OwnSeries, where: string, about: string | undefined, cause?: ExpressionError): SequenceBudgetExceeded {
  const limit = `${engineLimits().maxCommandMs} ms (${limitEnvName('maxCommandMs')})`;
  const at = about === undefined ? where : `${where} (${about})`;
  const message = `${own.what} took longer together than their budget of ${limit}: stopped at ${at} after ${own.evaluated} evaluations`;
  const error = new SequenceBudgetExceeded(message, [{ pointer: where, message: `not evaluated: the budget of ${limit} for the whole series ran out` }], EXPRESSION_BUDGET_EXCEEDED);
  if (cause) error.cause = cause;
  return error;
}

/** Whether `deadline` is the one in force here (and not, say, a nested command's). */
function inForce(deadline: Deadline): boolean {
  return currentDeadline() === deadline;
}

/** Whether any deadline is in force here: a command's run (interpreter.ts's drain). */
function someDeadlineInForce(): boolean {
  return currentDeadline() !== undefined;
}
