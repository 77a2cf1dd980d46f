/**
 * The time budget shared by everything a command runs: the interpreter's steps and every
 * expression they evaluate. A command sets a deadline (runWithDeadline); an evaluation inside
 * it gets the per-expression limit or what is left of the command's time, whichever is less,
 * so ten slow conditions cannot add up to ten times the budget. Outside a command (routing
 * rules, formulas, automation filters) an evaluation gets the per-expression limit alone.
 * AsyncLocalStorage keeps concurrent commands' deadlines apart across their awaits.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { engineLimits } from '../limits.ts';

export interface Deadline {
  /** performance.now() time by which the work must be done; moved on by waits that do not count. */
  at: number;
}

const deadlines = new AsyncLocalStorage<Deadline>();

export function deadlineIn(ms: number): Deadline {
  return { at: performance.now() + ms };
}

export function runWithDeadline<T>(deadline: Deadline, work: () => T): T {
  return deadlines.run(deadline, work);
}

export function isPast(deadline: Deadline): boolean {
  return performance.now() > deadline.at;
}

/** Waiting for another command's row lock is not this command's doing: the wait does not count. */
export async function outsideBudget<T>(work: () => Promise<T>): Promise<T> {
  const deadline = deadlines.getStore();
  const started = performance.now();
  try {
    return await work();
  } finally {
    if (deadline) deadline.at += performance.now() - started;
  }
}

/** Time the engine itself spent (starting the FEEL sandbox) is not charged to the running command. */
export function refund(ms: number): void {
  const deadline = deadlines.getStore();
  if (deadline) deadline.at += ms;
}

export interface EvaluationBudget {
  ms: number;
  /** Which limit bounds this evaluation, for the error message. */
  limitedBy: 'expression' | 'command';
}

/** How long the next evaluation may take. */
export function evaluationBudget(): EvaluationBudget {
  const perExpression = engineLimits().expressionTimeoutMs;
  const deadline = deadlines.getStore();
  const left = deadline ? Math.ceil(deadline.at - performance.now()) : Infinity;
  if (left < perExpression) return { ms: Math.max(1, left), limitedBy: 'command' };
  return { ms: perExpression, limitedBy: 'expression' };
}
