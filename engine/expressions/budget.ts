/**
 * The time budget shared by everything a command runs: the interpreter's steps and every
 * expression they evaluate. A command sets a deadline (runWithDeadline); an evaluation inside
 * it gets the per-expression limit or what is left of the command's time, whichever is less,
 * so ten slow conditions cannot add up to ten times the budget. Outside a command (routing
 * rules, formulas, automation filters) an evaluation gets the per-expression limit alone.
 * AsyncLocalStorage keeps concurrent commands' deadlines apart across their awaits.
 *
 * Holding the event loop: an evaluation waits for the sandbox synchronously, and a command's
 * steps run one after another without I/O between them, so either would keep every other
 * request (GET /api/health included) waiting for the whole budget. No evaluation may therefore
 * hold the loop longer than LIUZHUAN_MAX_BLOCKING_MS (of the sandbox worker's processor time
 * where it can be read, feelSandbox.ts, and then no longer than LIUZHUAN_MAX_BLOCKING_WALL_MS of
 * wall-clock time), the evaluations of one step of a command share
 * the per-expression limit, and a command lets the event loop run (letOthersRun) whenever it
 * has held it for YIELD_AFTER_MS; that pause is not charged to its time budget.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { engineLimits } from '../limits.ts';
import { loopHeldFor, loopTurned, YIELD_AFTER_MS } from '../loopHeld.ts';
import { sandboxStarting } from './sandboxWorkers.ts';

export interface Deadline {
  /** performance.now() time by which the work must be done; moved on by waits that do not count. */
  at: number;
  /** When the current step began: its evaluations share one stretch of holding the event loop. */
  heldFrom: number;
}

/** A new step of the command starts: its evaluations get a fresh stretch (see evaluationBudget). */
export function stepStarts(deadline: Deadline): void {
  deadline.heldFrom = performance.now();
}

/**
 * Lets waiting requests run if the command has held the event loop for YIELD_AFTER_MS, or
 * while the FEEL sandbox's next worker is still starting (after a stopped expression: the next
 * evaluation would wait for it with the loop held, up to a second under load). The pause is
 * not charged.
 */
export async function letOthersRun(deadline: Deadline): Promise<void> {
  const starting = sandboxStarting();
  if (!starting && loopHeldFor() < YIELD_AFTER_MS) return;
  const paused = performance.now();
  // setImmediate runs after the loop's I/O phase: the requests that arrived meanwhile are read first.
  await (starting ?? new Promise<void>((resolve) => setImmediate(resolve)));
  const now = performance.now();
  deadline.at += now - paused;
  loopTurned(now);
}

const deadlines = new AsyncLocalStorage<Deadline>();

export function deadlineIn(ms: number): Deadline {
  const now = performance.now();
  return { at: now + ms, heldFrom: now };
}

/** The deadline in force here, if any: a command's run or a series of evaluations (sequenceBudget.ts). */
export function currentDeadline(): Deadline | undefined {
  return deadlines.getStore();
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
    if (deadline) {
      deadline.at += performance.now() - started;
      deadline.heldFrom = performance.now();
    }
  }
}

/** Time the engine itself spent (starting the FEEL sandbox) is not charged to the running command. */
export function refund(ms: number): void {
  const deadline = deadlines.getStore();
  if (!deadline) return;
  deadline.at += ms;
  // Nor does it shorten the stretch the step's next evaluations may hold the loop for.
  deadline.heldFrom += ms;
}

/**
 * The wall-clock backstop of the blocking limit (LIUZHUAN_MAX_BLOCKING_WALL_MS), never less than
 * the limit itself: processor time cannot pass wall-clock time, so a lower backstop would make
 * the processor-time limit a wall-clock one again.
 */
export function blockingBackstopMs(): number {
  const limits = engineLimits();
  return Math.max(limits.maxBlockingWallMs, limits.maxBlockingMs);
}

export interface EvaluationBudget {
  ms: number;
  /** Which limit bounds this evaluation, for the error message. */
  limitedBy: 'expression' | 'command' | 'blocking';
}

/**
 * How long (wall-clock) the next evaluation may take: the least of the per-expression limit
 * (inside a command, shared by the evaluations of one step: a gateway of fifty conditions that
 * each take just under the limit must not hold the loop fifty times as long), what the command
 * has left, and the longest one evaluation may hold the event loop.
 *
 * `blocking: false` leaves the last out: the FEEL sandbox bounds that one by the worker's
 * processor time where it can read it (feelSandbox.ts), and the wall-clock budget is then the
 * backstop for a worker the machine does not let run.
 */
export function evaluationBudget(options: { blocking?: boolean } = {}): EvaluationBudget {
  const limits = engineLimits();
  const deadline = deadlines.getStore();
  let budget: EvaluationBudget = { ms: Math.ceil(limits.expressionTimeoutMs - (deadline ? loopHeldFor(deadline.heldFrom) : 0)), limitedBy: 'expression' };
  const left = deadline ? Math.ceil(deadline.at - performance.now()) : Infinity;
  if (left < budget.ms) budget = { ms: left, limitedBy: 'command' };
  if (options.blocking !== false && limits.maxBlockingMs < budget.ms) budget = { ms: limits.maxBlockingMs, limitedBy: 'blocking' };
  return { ms: Math.max(1, budget.ms), limitedBy: budget.limitedBy };
}
