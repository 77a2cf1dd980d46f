/**
 * engine/expressions/sequenceBudget.ts: a series of evaluations gets one deadline, reuses the
 * one in force (a command's, an enclosing series') instead of extending it, refuses once its
 * time is up, and lets other work run between its evaluations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deadlineIn, evaluationBudget, runWithDeadline } from '../../engine/expressions/budget.ts';
import { SequenceBudgetExceeded, withSequenceBudget } from '../../engine/expressions/sequenceBudget.ts';
import { configureEngineLimits } from '../../engine/limits.ts';

/** Holds the thread for `ms`, as a slow evaluation does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

afterEach(() => configureEngineLimits());

describe('withSequenceBudget', () => {
  it('gives the series a deadline of the command budget, which its evaluations share', async () => {
    configureEngineLimits({ maxCommandMs: 1_000, maxBlockingMs: 10_000, expressionTimeoutMs: 10_000 });
    expect(evaluationBudget().limitedBy).toBe('expression');
    const seen = await withSequenceBudget('The formulas', async (sequence) => {
      await sequence.evaluate('/a', () => busy(600));
      return sequence.evaluate('/b', () => evaluationBudget());
    });
    expect(seen.limitedBy).toBe('command');
    expect(seen.ms).toBeLessThanOrEqual(401);
  });

  it('refuses the evaluation after the time is up, naming the series and where it stopped', async () => {
    configureEngineLimits({ maxCommandMs: 300 });
    let error: unknown;
    const evaluated: string[] = [];
    try {
      await withSequenceBudget('The routing rules of form "f"', async (sequence) => {
        for (const where of ['/rules/0', '/rules/1', '/rules/2']) await sequence.evaluate(where, () => (evaluated.push(where), busy(200)), 'rule "r"');
      });
    } catch (caught) {
      error = caught;
    }
    expect(evaluated).toEqual(['/rules/0', '/rules/1']);
    expect(error).toBeInstanceOf(SequenceBudgetExceeded);
    expect(error).toMatchObject({
      status: 422,
      code: 'expression_budget_exceeded',
      message: 'The routing rules of form "f" took longer together than their budget of 300 ms (LIUZHUAN_MAX_COMMAND_MS): stopped at /rules/2 (rule "r") after 2 evaluations',
      details: [{ pointer: '/rules/2' }],
    });
  });

  it("inside a command's run, keeps the command's deadline instead of starting a longer one", async () => {
    configureEngineLimits({ maxCommandMs: 10_000, maxBlockingMs: 10_000, expressionTimeoutMs: 10_000 });
    const command = deadlineIn(50);
    const at = command.at;
    const seen = await runWithDeadline(command, () => withSequenceBudget('The entries', (sequence) => sequence.evaluate('t', () => evaluationBudget())));
    expect(seen).toMatchObject({ limitedBy: 'command' });
    expect(seen.ms).toBeLessThanOrEqual(50);
    // Moved on by a pause at most (the probes leave it where it was), never by a budget of its own.
    expect(command.at - at).toBeGreaterThan(-0.001);
    expect(command.at - at).toBeLessThan(100);
  });

  it("credits a pause inside a command's run to the command, as the command's own pauses are", async () => {
    const command = deadlineIn(10_000);
    const at = command.at;
    await runWithDeadline(command, () =>
      withSequenceBudget('The entries', async (sequence) => {
        await sequence.evaluate('t', () => busy(30));
        await sequence.evaluate('t', () => undefined);
      }),
    );
    expect(command.at).toBeGreaterThan(at);
  });

  it("shares an enclosing series' deadline", async () => {
    configureEngineLimits({ maxCommandMs: 100 });
    let error: unknown;
    try {
      await withSequenceBudget('The expressions of automation "a"', async (outer) => {
        await outer.evaluate('filter', () => busy(200));
        await withSequenceBudget('The expressions of automation "a"', (inner) => inner.evaluate('actions/0/data/x', () => 1));
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SequenceBudgetExceeded);
    expect((error as Error).message).toMatch(/stopped at actions\/0\/data\/x after 1 evaluations/);
  });

  it('lets timers run between evaluations once it has held the event loop', async () => {
    let fired = 0;
    const timer = setInterval(() => (fired += 1), 1);
    const firedBefore: number[] = [];
    try {
      await withSequenceBudget('The formulas', async (sequence) => {
        for (let i = 0; i < 4; i += 1) await sequence.evaluate(`/f${i}`, () => (firedBefore.push(fired), busy(30)));
      });
    } finally {
      clearInterval(timer);
    }
    // Without the pauses the interval could not fire until the series ended.
    expect(firedBefore[3]).toBeGreaterThan(firedBefore[0]!);
  });
});
