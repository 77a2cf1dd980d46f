/** The FEEL-against-fields checker (engine/expressions/fieldConditions.ts): what it reads, and what it leaves alone. */
import { describe, expect, it } from 'vitest';
import { fieldConditionProblems, type ConditionField } from '../../engine/expressions/fieldConditions.ts';
import { conditionFieldsOf } from '../../engine/forms/conditionFields.ts';

const fields: ConditionField[] = conditionFieldsOf(
  {
    properties: {
      level: { type: 'string', enum: ['low', 'medium', 'high'] },
      score: { type: 'integer', enum: [1, 2, 3] },
      amount: { type: 'number' },
      address: { type: 'object', properties: { city: { type: 'string' } } },
      tags: { type: 'array', items: { type: 'string', enum: ['a', 'b'] } },
      severity: { type: 'integer', title: '严重度', oneOf: [{ const: 1, title: '轻' }, { const: 3, title: '重' }] },
      channel: { type: 'string', enum: ['phone', 'mail'] },
    },
  },
  {
    level: { 'ui:title': '级别', 'ui:enumNames': ['低', '中', '高'] },
    channel: { 'ui:enumNames': { 'zh-CN': ['电话', '邮件'], en: ['Phone', 'Mail'] } },
  },
  'en',
);
const routing = (feel: string) => fieldConditionProblems(feel, fields, { locale: 'en', unknownNames: true });

describe('fieldConditionProblems', () => {
  it('accepts values a field can hold, in every shape it reads', () => {
    for (const feel of [
      'level = "low"',
      '= level != "high"',
      '"medium" = level',
      'level in ["low", "high"]',
      'level in ("low", "high")',
      'level in "low"',
      'list contains(["low"], level)',
      'score = 2 and (level = "low" or amount > 10)',
      'not(level = "high")',
      'level = null',
      'address.city = "上海"',
      'amount between 1 and 3',
      'amount instance of number',
      'date(amount) < today()',
    ]) {
      expect(routing(feel), feel).toEqual([]);
    }
  });

  it('refuses a value the field cannot hold, naming the label it meant', () => {
    expect(routing('level = "低"')).toEqual([
      '级别 can never be "低" ("低" is an option\'s label; its stored value is "low"). 级别 can be: "low" (低), "medium" (中), "high" (高)',
    ]);
    expect(routing('score = "2"')).toEqual(['score can never be "2". score can be: 1, 2, 3']);
    expect(routing('(level in ["low", "urgent"]) and score != 9')).toHaveLength(2);
  });

  it('knows the options the record filters know (one reader, optionLabels.ts): enum titles, labels in the locale first', () => {
    expect(routing('severity = "重"')).toEqual(['严重度 can never be "重" ("重" is an option\'s label; its stored value is 3). 严重度 can be: 1 (轻), 3 (重)']);
    expect(routing('channel = "邮件"')[0]).toMatch(/can be: "phone" \(Phone\), "mail" \(Mail\)$/);
  });

  it('refuses names that are not fields, and only where names are free', () => {
    expect(routing('levle = "low"')[0]).toMatch(/^levle is not a field of this form/);
    expect(routing('级别 = "low"')).toEqual(["级别 is a field's label; write the field's name level in conditions"]);
    // Bound names, callee names and type names are not fields; these stay unanalysed, never refused.
    for (const feel of ['some x in [amount] satisfies x > 1', 'for t in tags return t', 'tags[item = "a"]', 'count(tags) > 1', '{a: 1}.a = 1']) {
      expect(routing(feel), feel).toEqual([]);
    }
    // A process branch may read variables other nodes set.
    expect(fieldConditionProblems('approved = true and level = "low"', fields, { locale: 'en', unknownNames: false })).toEqual([]);
  });

  it('leaves a list field, arithmetic and text that does not parse alone', () => {
    for (const feel of ['tags = "c"', 'level = "lo" + "w"', 'level = "low" and (', 'level in ["low"] or amount > 1']) {
      expect(routing(feel), feel).toEqual([]);
    }
  });
});
