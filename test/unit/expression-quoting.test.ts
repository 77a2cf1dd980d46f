/**
 * Error messages quote at most the first 200 characters of an expression (docs/security.md,
 * hostile models: a refused 100 kB expression gave a 100 kB message), wherever the source, a
 * literal from it or a value it read is put into a message or a detail.
 */
import { describe, expect, it } from 'vitest';
import { compileBpmn } from '../../engine/bpmn/compile.ts';
import { ValidationError } from '../../engine/errors.ts';
import { QUOTED_CHARS, quoteExpression } from '../../engine/expressions/errors.ts';
import { checkExpression, evaluateExpression, ExpressionError } from '../../engine/expressions/index.ts';
import { configureEngineLimits } from '../../engine/limits.ts';

const HUGE = 100_000;

function thrown(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('quoteExpression', () => {
  it('quotes a short text whole, and the start of a long one with its length', () => {
    expect(quoteExpression('a > 1')).toBe('"a > 1"');
    expect(quoteExpression("it's", "'")).toBe("'it's'");
    const long = `x${'y'.repeat(HUGE)}`;
    const quoted = quoteExpression(long);
    expect(quoted).toBe(`${JSON.stringify(`x${'y'.repeat(QUOTED_CHARS - 1)}…`)} (${HUGE + 1} characters)`);
    expect(quoteExpression(long, '')).toMatch(/^xy+… \(100001 characters\)$/);
  });

  it('never cuts a character outside the basic plane in two', () => {
    const text = `${'a'.repeat(QUOTED_CHARS - 1)}😀${'b'.repeat(50)}`;
    const quoted = quoteExpression(text, "'");
    expect(quoted).toBe(`'${'a'.repeat(QUOTED_CHARS - 1)}…' (${text.length} characters)`);
    // No lone high surrogate before the ellipsis.
    expect(/[\uD800-\uDBFF]…/.test(quoted)).toBe(false);
  });
});

describe('messages about a huge expression stay short', () => {
  it('a FEEL expression that fails, and one stopped by its budget', () => {
    const failing = `"${'s'.repeat(HUGE)}" +`;
    const failed = thrown(() => evaluateExpression({ language: 'feel', source: failing }, {}));
    expect(failed).toBeInstanceOf(ExpressionError);
    expect(failed.message.length).toBeLessThan(1_000);
    expect(failed.message).toContain(`(${failing.length} characters)`);
    // The whole text stays on the error for whoever needs it.
    expect((failed as ExpressionError).source).toBe(failing);

    configureEngineLimits({ expressionTimeoutMs: 200 });
    try {
      const slow = `count(for i in 1..100000 return for j in 1..100000 return i) > 0 or x = "${'q'.repeat(HUGE)}"`;
      const stopped = thrown(() => evaluateExpression({ language: 'feel', source: slow }, {}));
      expect(stopped).toMatchObject({ code: 'expression_budget_exceeded' });
      expect(stopped.message.length).toBeLessThan(1_000);
    } finally {
      configureEngineLimits();
    }
  });

  it('a JUEL expression that does not parse, a long literal in it, and a huge value it reads', () => {
    const broken = `\${a + ${'b + '.repeat(HUGE / 4)}}`;
    expect(checkExpression({ language: 'juel', source: broken })!.length).toBeLessThan(1_000);
    const literal = `\${a '${'z'.repeat(HUGE)}'}`;
    const literalError = thrown(() => evaluateExpression({ language: 'juel', source: literal }, {}));
    expect(literalError.message.length).toBeLessThan(1_000);
    expect(literalError.message).toMatch(/found string 'z+…' \(100000 characters\)/);
    const coerced = thrown(() => evaluateExpression({ language: 'juel', source: '${big + 1}' }, { big: 'w'.repeat(HUGE) }));
    expect(coerced.message.length).toBeLessThan(1_000);
    expect(coerced.message).toMatch(/Cannot coerce string "w+… \(100002 characters\) to a number/);
  });

  it('a deploy refusing a condition that does not parse names the element, quoting the condition\'s start', async () => {
    const condition = `\${${'('.repeat(10)}${'x + '.repeat(HUGE / 4)}`;
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions id="d" xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="t">
<process id="p" isExecutable="true">
<startEvent id="s"/><exclusiveGateway id="gw"/><endEvent id="e"/>
<sequenceFlow id="f1" sourceRef="s" targetRef="gw"/>
<sequenceFlow id="f2" sourceRef="gw" targetRef="e"><conditionExpression xsi:type="tFormalExpression">${condition.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</conditionExpression></sequenceFlow>
</process></definitions>`;
    const refused = await compileBpmn(xml).then(
      () => new Error('expected a refusal'),
      (error: Error) => error,
    );
    expect(refused).toBeInstanceOf(ValidationError);
    const detail = (refused as ValidationError).details!.find((d) => d.pointer === 'f2')!;
    expect(detail.code).toBe('condition_invalid');
    expect(detail.message.length).toBeLessThan(2_000);
    // The text as the model holds it (the parser trims the trailing space).
    expect(detail.message).toContain(`(${condition.trim().length} characters)`);
    expect(refused.message.length).toBeLessThan(3_000);
  });
});
