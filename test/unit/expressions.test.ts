import { describe, expect, it } from 'vitest';
import {
  ExpressionError,
  checkExpression,
  classifyExpression,
  evaluateCondition,
  evaluateExpression,
} from '../../engine/expressions/index.ts';
import { LiuzhuanError } from '../../engine/errors.ts';

const juel = (source: string, vars: Record<string, unknown> = {}) => evaluateExpression({ language: 'juel', source }, vars);
const feel = (source: string, vars: Record<string, unknown> = {}) => evaluateExpression({ language: 'feel', source }, vars);

describe('classifyExpression', () => {
  it('detects JUEL anywhere in the text', () => {
    expect(classifyExpression('kermit_${loopCounter}', 'literal')).toEqual({ language: 'juel', source: 'kermit_${loopCounter}' });
    expect(classifyExpression('#{a}', 'feel').language).toBe('juel');
  });
  it('strips the FEEL `=` marker', () => {
    expect(classifyExpression('= amount > 1', 'literal')).toEqual({ language: 'feel', source: ' amount > 1' });
  });
  it('falls back to the default language', () => {
    expect(classifyExpression('kermit', 'literal')).toEqual({ language: 'literal', source: 'kermit' });
    expect(classifyExpression('a > 1', 'feel')).toEqual({ language: 'feel', source: 'a > 1' });
  });
});

describe('JUEL values and paths', () => {
  const vars = { a: { b: { c: 5 }, x: 'y' }, list: [10, 20], name: 'kermit', n: null, execution: { id: 'ex-1' } };
  it.each([
    ['${42}', 42], ['${1.5e1}', 15], ['${.5}', 0.5], ["${'it\\'s'}", "it's"], ['${"dq"}', 'dq'],
    ['${true}', true], ['${false}', false], ['${null}', null],
    ['${a.b.c}', 5], ['${a["x"]}', 'y'], ["${a['b'].c}", 5], ['${list[0]}', 10], ['${list[1 + 0]}', 20],
    ['${list[5]}', null], ['${a.missing}', null], ['${n.deeper}', null], ['${execution.id}', 'ex-1'],
  ])('%s', (src, expected) => expect(juel(src, vars)).toEqual(expected));

  it('keeps the raw type for a single ${…} and #{…}', () => {
    expect(juel('${list}', vars)).toEqual([10, 20]);
    expect(juel('#{a.b.c}', vars)).toBe(5);
  });
  it('concatenates composite text', () => {
    expect(juel('kermit_${loopCounter}', { loopCounter: 3 })).toBe('kermit_3');
    expect(juel('${a}-${b}!', { a: 'x', b: true })).toBe('x-true!');
    expect(juel('v=${n}.', { n: null })).toBe('v=.');
    expect(juel('\\${not} ${1}', {})).toBe('${not} 1');
  });
  it('supports Unicode identifiers', () => {
    expect(juel('${金额 > 100}', { 金额: 200 })).toBe(true);
  });
  it('does not expose prototype properties', () => {
    expect(juel('${o.constructor}', { o: {} })).toBeNull();
    expect(juel('${o["__proto__"]}', { o: {} })).toBeNull();
    expect(() => juel('${toString}', {})).toThrow(ExpressionError);
  });
});

describe('JUEL operators', () => {
  it.each([
    ['${1 + 2 * 3}', 7], ['${(1 + 2) * 3}', 9], ['${7 - 10}', -3], ['${7 / 2}', 3.5], ['${7 div 2}', 3.5],
    ['${7 % 3}', 1], ['${7 mod 3}', 1], ['${-x}', -4], ['${- -x}', 4], ['${"2" + "3"}', 5], ['${s * 2}', 6],
    ['${x == 4}', true], ['${x eq 4}', true], ['${x != 4}', false], ['${x ne 5}', true],
    ['${x < 5}', true], ['${x lt 4}', false], ['${x > 3}', true], ['${x gt 4}', false],
    ['${x <= 4}', true], ['${x le 3}', false], ['${x >= 4}', true], ['${x ge 5}', false],
    ['${s == 3}', true], ['${"b" > "a"}', true], ['${t == "true"}', true], ['${n == null}', true], ['${n < 1}', false],
    ['${t && f}', false], ['${t and t}', true], ['${f || t}', true], ['${f or f}', false],
    ['${!t}', false], ['${not f}', true], ['${!n}', true],
    ['${empty n}', true], ['${empty ""}', true], ['${empty l}', true], ['${empty o}', true],
    ['${empty x}', false], ['${empty "a"}', false], ['${not empty l}', false],
    ['${x > 3 ? "big" : "small"}', 'big'], ['${f ? 1 : t ? 2 : 3}', 2],
    ['${list == list2}', true],
  ])('%s', (src, expected) =>
    expect(juel(src, { x: 4, s: '3', t: true, f: false, n: null, l: [], o: {}, list: [1, { a: 2 }], list2: [1, { a: 2 }] })).toEqual(expected));

  it('divides as double so MI completion conditions work', () => {
    expect(juel('${nrOfCompletedInstances/nrOfInstances >= 0.5}', { nrOfCompletedInstances: 2, nrOfInstances: 3 })).toBe(true);
    expect(juel('${nrOfCompletedInstances/nrOfInstances >= 0.5}', { nrOfCompletedInstances: 1, nrOfInstances: 3 })).toBe(false);
  });
  it('short-circuits && and ||', () => {
    expect(juel('${false && missing}', {})).toBe(false);
    expect(juel('${true || missing}', {})).toBe(true);
    expect(juel('${true ? 1 : missing}', {})).toBe(1);
  });
  it('throws on impossible coercions and division by zero', () => {
    expect(() => juel('${"a" + "b"}')).toThrow(/adds numbers only/);
    expect(() => juel('${x + 1}', { x: 'abc' })).toThrow(/coerce/);
    expect(() => juel('${x && true}', { x: 1 })).toThrow(/boolean/);
    expect(() => juel('${1 / 0}')).toThrow(/Division by zero/);
    expect(() => juel('${5 mod 0}')).toThrow(/Division by zero/);
    expect(() => juel('${o < 1}', { o: {} })).toThrow(ExpressionError);
    expect(() => juel('${s.length}', { s: 'abc' })).toThrow(/Cannot read property/);
  });
});

describe('JUEL errors', () => {
  it('names unknown identifiers like Camunda does', () => {
    expect(() => juel('${approved}', {})).toThrow(/Unknown property used in expression.*'approved'/);
    let err: unknown;
    try {
      juel('Hi ${who}', {});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpressionError);
    expect(err).toBeInstanceOf(LiuzhuanError);
    expect((err as ExpressionError).source).toBe('Hi ${who}');
    expect((err as Error).message).toContain('Hi ${who}');
  });
  it.each(['${a +}', '${a', '${}', '${(a}', "${'open}", '${a.}', '${a ? b}', '${a @ b}', '${foo()}', '${a.b()}', '${a instanceof b}'])(
    'checkExpression reports %s',
    (source) => {
      expect(checkExpression({ language: 'juel', source })).toMatch(/Syntax error/);
      expect(() => juel(source, { a: 1, b: 2 })).toThrow(ExpressionError);
    },
  );
  it('accepts good JUEL and literals', () => {
    expect(checkExpression({ language: 'juel', source: 'x_${a.b[0] > 1 ? "y" : "z"}' })).toBeNull();
    expect(checkExpression({ language: 'literal', source: '${not checked' })).toBeNull();
  });
  it('caches parses: the same text gives the same result repeatedly', () => {
    for (let i = 0; i < 3; i++) expect(juel('${i + 1}', { i })).toBe(i + 1);
  });
});

describe('FEEL', () => {
  it('evaluates conditions', () => {
    const src = { language: 'feel', source: 'amount > 100000 and tier = "A"' } as const;
    expect(evaluateCondition(src, { amount: 200000, tier: 'A' })).toBe(true);
    expect(evaluateCondition(src, { amount: 200000, tier: 'B' })).toBe(false);
    expect(evaluateCondition(src, { amount: 5, tier: 'A' })).toBe(false);
  });
  it('treats unknown variables as null and non-boolean conditions as false', () => {
    expect(feel('missing')).toBeNull();
    expect(evaluateCondition({ language: 'feel', source: 'missing > 1' }, {})).toBe(false);
    expect(evaluateCondition({ language: 'feel', source: '"true"' }, {})).toBe(false);
    expect(evaluateCondition({ language: 'feel', source: '1' }, {})).toBe(false);
  });
  it('converts results to JSON values', () => {
    expect(feel('{a: 1, b: [1, "x", null]}')).toEqual({ a: 1, b: [1, 'x', null] });
    expect(feel('date("2020-01-01") + duration("P1D")')).toBe('2020-01-02');
    expect(feel('date and time("2020-01-01T10:00:00Z")')).toBe('2020-01-01T10:00:00Z');
    expect(feel('duration("PT5M")')).toBe('PT5M');
    expect(feel('1 / 0')).toBeNull();
    expect(() => feel('function(a) a')).toThrow(ExpressionError);
  });
  it('tolerates a leading = left in the source', () => {
    expect(feel('= 1 + 1')).toBe(2);
  });
  it.each(['amount >', '1 +* 2', '(1 + 2', 'a.b.', ''])('checkExpression reports %j', (source) => {
    expect(checkExpression({ language: 'feel', source })).toMatch(/FEEL syntax error/);
  });
  it('evaluating bad FEEL throws ExpressionError', () => {
    expect(() => feel('amount >', { amount: 1 })).toThrow(ExpressionError);
  });
  it('accepts good FEEL', () => {
    expect(checkExpression({ language: 'feel', source: 'amount > 100000 and tier = "A"' })).toBeNull();
    expect(checkExpression({ language: 'feel', source: 'count(items) > 0' })).toBeNull();
  });
});

describe('literal', () => {
  it('evaluates to its text', () => {
    expect(evaluateExpression({ language: 'literal', source: 'kermit' }, {})).toBe('kermit');
    expect(evaluateCondition({ language: 'literal', source: 'true' }, {})).toBe(false);
  });
});
