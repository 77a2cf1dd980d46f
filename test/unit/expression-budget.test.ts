/**
 * The expression budget (issue #10, finding 2): FEEL runs in a sandbox worker under a time,
 * heap and result-size limit; inside a command it gets no more than the command has left.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deadlineIn, evaluationBudget, outsideBudget, runWithDeadline } from '../../engine/expressions/budget.ts';
import { evaluateExpression, ExpressionError } from '../../engine/expressions/index.ts';
import { ValidationError } from '../../engine/errors.ts';
import { applyFormulas } from '../../engine/forms/computedFields.ts';
import { configureEngineLimits } from '../../engine/limits.ts';
import { matchRule } from '../../engine/routing/route.ts';
import type { RoutingRule } from '../../engine/store/routing.ts';

const feel = (source: string, variables: Record<string, unknown> = {}) => evaluateExpression({ language: 'feel', source }, variables);

function budgetError(work: () => unknown): ExpressionError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).code).toBe('expression_budget_exceeded');
    return error as ExpressionError;
  }
  throw new Error('expected the evaluation to be stopped');
}

afterEach(() => configureEngineLimits());

describe('FEEL sandbox', () => {
  it('stops a nested for-loop that would run for hours and fill the heap, then evaluates again', () => {
    configureEngineLimits({ expressionTimeoutMs: 300, maxBlockingMs: 10_000 });
    const error = budgetError(() => feel('for i in 1..100000 return for j in 1..100000 return i'));
    expect(error.message).toMatch(/FEEL evaluation stopped: it took longer than 300 ms \(LIUZHUAN_EXPRESSION_TIMEOUT_MS\)/);
    // The stopped worker is replaced; evaluation goes on as before.
    expect(feel('amount * 2', { amount: 21 })).toBe(42);
  });

  it('stops a FEEL function that recurses exponentially', () => {
    configureEngineLimits({ expressionTimeoutMs: 300 });
    budgetError(() => feel('{f: function(n) if n = 0 then 0 else f(n - 1) + f(n - 1)}.f(40)'));
  });

  it('a worker out of heap dies alone: the process goes on and the next evaluation works', () => {
    configureEngineLimits({ expressionMemoryMb: 16, expressionTimeoutMs: 2_000, maxBlockingMs: 10_000 });
    const error = budgetError(() => feel('count(for i in 1..20000000 return [i, i, "some text"])'));
    expect(error.message).toMatch(/more than 16 MB \(LIUZHUAN_EXPRESSION_MEMORY_MB\)/);
    expect(feel('count([1, 2, 3])')).toBe(3);
  });

  it('refuses a result larger than the size budget', () => {
    configureEngineLimits({ expressionMaxResultBytes: 10_000, maxBlockingMs: 10_000 });
    const error = budgetError(() => feel('for i in 1..5000 return "abcdef"'));
    expect(error.message).toMatch(/FEEL result is 45001 bytes as JSON, more than the 10000 allowed/);
    expect(feel('for i in 1..3 return "abcdef"')).toEqual(['abcdef', 'abcdef', 'abcdef']);
  });

  it('keeps the ordinary results and errors', () => {
    expect(feel('date("2020-01-01") + duration("P1D")')).toBe('2020-01-02');
    expect(feel('{a: 1, b: [1, "x", null]}')).toEqual({ a: 1, b: [1, 'x', null] });
    expect(() => feel('function(a) a')).toThrow(/returned a function/);
    expect(() => feel('amount >', { amount: 1 })).toThrow(/FEEL syntax error/);
  });
});

describe('command deadline', () => {
  it('gives an evaluation inside a command no more than the command has left', async () => {
    configureEngineLimits({ expressionTimeoutMs: 10_000, maxBlockingMs: 60_000 });
    expect(evaluationBudget()).toEqual({ ms: 10_000, limitedBy: 'expression' });
    await runWithDeadline(deadlineIn(200), async () => {
      const budget = evaluationBudget();
      expect(budget.limitedBy).toBe('command');
      expect(budget.ms).toBeLessThanOrEqual(200);
      const error = budgetError(() => feel('for i in 1..100000 return for j in 1..100000 return i'));
      expect(error.message).toMatch(/the command's time budget ran out \(LIUZHUAN_MAX_COMMAND_MS/);
    });
  });

  it('does not charge a command for waiting on another command (outsideBudget)', async () => {
    const deadline = deadlineIn(1_000);
    const before = deadline.at;
    await runWithDeadline(deadline, () => outsideBudget(() => new Promise((resolve) => setTimeout(resolve, 30))));
    expect(deadline.at).toBeGreaterThan(before);
  });
});

describe('the same budget for formulas and routing rules', () => {
  const bomb = 'count(for i in 1..100000 return for j in 1..100000 return i)';

  it('refuses a record whose formula is stopped, naming the field', async () => {
    configureEngineLimits({ expressionTimeoutMs: 200 });
    const schema = { type: 'object', properties: { n: { type: 'number' }, total: { type: 'number', 'x-formula': bomb } } };
    let error: unknown;
    try {
      await applyFormulas(schema, { n: 1 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'expression_budget_exceeded', details: [{ pointer: '/total' }] });
    // A formula that merely lacks an operand still leaves the field empty.
    expect(await applyFormulas({ type: 'object', properties: { total: { type: 'number', 'x-formula': 'price * qty' } } }, {})).toEqual({});
  });

  it('counts a routing rule stopped by its budget as not matching, and reports it', async () => {
    configureEngineLimits({ expressionTimeoutMs: 200 });
    const rule = (id: string, condition: string): RoutingRule => ({ id, formKey: 'f', position: 0, name: id, condition, departmentId: 'd', enabled: true });
    const reported: unknown[] = [];
    const matched = await matchRule([rule('slow', `${bomb} > 0`), rule('big', 'amount > 10')], { amount: 20 }, (_rule, error) => reported.push(error));
    expect(matched?.id).toBe('big');
    expect(reported).toEqual([expect.objectContaining({ code: 'expression_budget_exceeded' })]);
  });
});
