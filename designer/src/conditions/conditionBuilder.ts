/**
 * The 条件 builder of a gateway's outgoing flow and of a routing rule (自动分派): rows of field / operator / value joined by
 * AND or OR, turned into a FEEL condition (`amount > 100000 and tier = "A"`) that the
 * server evaluates with engine/expressions, and read back from FEEL when the text is one
 * the builder could have written (anything else stays in the raw FEEL editor).
 */

export type ConditionOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'contains' | 'in' | 'empty' | 'notEmpty';
export const OPERATORS: readonly ConditionOperator[] = ['=', '!=', '>', '>=', '<', '<=', 'contains', 'in', 'empty', 'notEmpty'];

export interface ConditionRule {
  field: string;
  operator: ConditionOperator;
  /** Text as typed; `in` takes a comma-separated list. Ignored for empty / notEmpty. */
  value: string;
}

export interface ConditionGroup {
  join: 'and' | 'or';
  rules: ConditionRule[];
}

/** JSON Schema type of a form field; decides how a value is written. */
export type FieldKind = 'string' | 'number' | 'integer' | 'boolean';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

export function feelString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function literal(value: string, kind: FieldKind): string {
  const text = value.trim();
  if (kind === 'number' || kind === 'integer') return text;
  if (kind === 'boolean') return text === 'true' ? 'true' : 'false';
  return feelString(value);
}

/** Why a row cannot be written, or null when it can. */
export function ruleProblem(rule: ConditionRule, kind: FieldKind = 'string'): string | null {
  if (!NAME.test(rule.field)) return 'field';
  if (rule.operator === 'empty' || rule.operator === 'notEmpty') return null;
  const parts = rule.operator === 'in' ? rule.value.split(',') : [rule.value];
  if (parts.every((part) => part.trim() === '')) return 'value';
  if (kind === 'number' || kind === 'integer') {
    if (!parts.every((part) => NUMBER.test(part.trim()))) return 'number';
  } else if (['>', '>=', '<', '<='].includes(rule.operator) && kind === 'boolean') {
    return 'operator';
  }
  if (rule.operator === 'contains' && kind !== 'string') return 'operator';
  return null;
}

export function ruleFeel(rule: ConditionRule, kind: FieldKind = 'string'): string {
  switch (rule.operator) {
    case 'empty':
      return `${rule.field} = null`;
    case 'notEmpty':
      return `${rule.field} != null`;
    case 'contains':
      return `contains(${rule.field}, ${feelString(rule.value)})`;
    case 'in': {
      const items = rule.value.split(',').map((item) => item.trim()).filter(Boolean);
      return `list contains([${items.map((item) => literal(item, kind)).join(', ')}], ${rule.field})`;
    }
    default:
      return `${rule.field} ${rule.operator} ${literal(rule.value, kind)}`;
  }
}

/** FEEL for the whole group; rows with a problem are left out (the builder marks them). */
export function buildFeel(group: ConditionGroup, kinds: Record<string, FieldKind> = {}): string {
  return group.rules
    .filter((rule) => ruleProblem(rule, kinds[rule.field]) === null)
    .map((rule) => ruleFeel(rule, kinds[rule.field]))
    .join(` ${group.join} `);
}

const STRING = String.raw`"(?:[^"\\]|\\.)*"`;
const LITERAL = String.raw`(${STRING}|-?\d+(?:\.\d+)?|true|false|null)`;
const FIELD = '([A-Za-z_][A-Za-z0-9_]*)';
const PATTERNS: { regex: RegExp; rule: (m: RegExpExecArray) => ConditionRule }[] = [
  {
    regex: new RegExp(String.raw`^list contains\(\[((?:\s*${LITERAL.replace('(', '(?:')}\s*,?)*)\],\s*${FIELD}\)`),
    rule: (m) => ({
      field: m[2],
      operator: 'in',
      value: (m[1].match(new RegExp(LITERAL.replace('(', '(?:'), 'g')) ?? []).map(unquote).join(', '),
    }),
  },
  {
    regex: new RegExp(String.raw`^contains\(${FIELD},\s*(${STRING})\)`),
    rule: (m) => ({ field: m[1], operator: 'contains', value: unquote(m[2]) }),
  },
  {
    regex: new RegExp(String.raw`^${FIELD}\s*(!=|>=|<=|=|>|<)\s*${LITERAL}`),
    rule: (m) => {
      const operator = m[2] as ConditionOperator;
      if (m[3] === 'null' && (operator === '=' || operator === '!=')) {
        return { field: m[1], operator: operator === '=' ? 'empty' : 'notEmpty', value: '' };
      }
      return { field: m[1], operator, value: unquote(m[3]) };
    },
  },
];

function unquote(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/\\(.)/g, '$1') : text;
}

/**
 * The builder rows for a FEEL text the builder could have written; null for anything else
 * (parentheses, functions, mixed and/or, …). An empty text is an empty group.
 */
export function parseCondition(feel: string): ConditionGroup | null {
  let rest = feel.trim().replace(/^=\s*/, '');
  if (rest === '') return { join: 'and', rules: [] };
  const rules: ConditionRule[] = [];
  let join: 'and' | 'or' | undefined;
  for (;;) {
    const matched = PATTERNS.map((pattern) => ({ pattern, m: pattern.regex.exec(rest) })).find((found) => found.m);
    if (!matched?.m) return null;
    rules.push(matched.pattern.rule(matched.m));
    rest = rest.slice(matched.m[0].length).trimStart();
    if (rest === '') break;
    const joiner = /^(and|or)\s+/.exec(rest);
    if (!joiner) return null;
    if (join && join !== joiner[1]) return null;
    join = joiner[1] as 'and' | 'or';
    rest = rest.slice(joiner[0].length);
  }
  return { join: join ?? 'and', rules };
}
