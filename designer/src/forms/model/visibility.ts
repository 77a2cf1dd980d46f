/**
 * Visibility rules ("show when <field> <op> <value>"), stored per field in the uiSchema as
 * `"x-visibleWhen": {field, op, value}`. The browser evaluates them live; when a field with
 * a rule is also required, `toJsonSchema` turns the rule into a JSON Schema `if` (built
 * here) so the server's ajv enforces "required while visible" too.
 */
export type RuleOp = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'notEmpty' | 'empty';
export const RULE_OPS: RuleOp[] = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'contains', 'notEmpty', 'empty'];

export interface VisibilityRule {
  field: string;
  op: RuleOp;
  value?: string | number | boolean;
}

type Json = Record<string, unknown>;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Whether the field with this rule shows, given the current data. */
export function ruleHolds(rule: VisibilityRule, data: Record<string, unknown>): boolean {
  const actual = data[rule.field];
  const expected = rule.value;
  switch (rule.op) {
    case 'empty':
      return isEmpty(actual);
    case 'notEmpty':
      return !isEmpty(actual);
    case 'eq':
      return !isEmpty(actual) && actual === expected;
    case 'ne':
      return actual !== expected;
    case 'contains':
      if (Array.isArray(actual)) return actual.includes(expected);
      return typeof actual === 'string' && actual.includes(String(expected ?? ''));
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (rule.op === 'gt') return actual > expected;
      if (rule.op === 'gte') return actual >= expected;
      if (rule.op === 'lt') return actual < expected;
      return actual <= expected;
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The JSON Schema that holds exactly when `ruleHolds` does, for the object being validated.
 * `source` is the schema of the field the rule looks at (its type decides `contains`).
 * Types are spelled out in every branch: the server's ajv runs with strictTypes.
 */
export function ruleToIf(rule: VisibilityRule, source: Json | undefined): Json {
  const f = rule.field;
  const present = (schema: Json): Json => ({ required: [f], properties: { [f]: schema } });
  const notEmptyValue: Json =
    source?.type === 'array' ? { type: 'array', minItems: 1 } : source?.type === 'string' ? { type: 'string', minLength: 1 } : {};
  switch (rule.op) {
    case 'notEmpty':
      return present(notEmptyValue);
    case 'empty':
      return { not: present(notEmptyValue) };
    case 'eq':
      return present({ const: rule.value });
    case 'ne':
      return { not: present({ const: rule.value }) };
    case 'contains':
      if (source?.type === 'array') return present({ type: 'array', contains: { const: rule.value } });
      return present({ type: 'string', pattern: escapeRegExp(String(rule.value ?? '')) });
    default: {
      const keyword = { gt: 'exclusiveMinimum', gte: 'minimum', lt: 'exclusiveMaximum', lte: 'maximum' }[rule.op];
      return present({ type: 'number', [keyword]: Number(rule.value) });
    }
  }
}
