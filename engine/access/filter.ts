/**
 * A permission group's record filter compiled to SQL over `records` (alias `records`). Every
 * field name and value reaches SQL as a binding (`records.data -> ?`); only the operator (from
 * a fixed list) and the placeholder count shape the text. Field names were checked against the
 * form schema when the group was saved (validate.ts); a field the schema no longer has
 * compares as text (the value is simply absent: the rule does not match).
 */
import type { Knex } from 'knex';
import { kindOf, type ValueKind } from './schemaFields.ts';
import type { FilterRule, FilterValue, GroupFilter } from './types.ts';

export interface Sql {
  sql: string;
  bindings: Knex.RawBinding[];
}

export interface FilterContext {
  username: string;
  departmentIds: string[];
  /** The form's top-level fields (latest schema). */
  fields: Map<string, Record<string, any>>;
  /** The form's owner field, for `$ownerDepartment`; null when the form has none. */
  ownerField: string | null;
}

export const TRUE: Sql = { sql: 'TRUE', bindings: [] };
export const FALSE: Sql = { sql: 'FALSE', bindings: [] };

/** `$me` and `$myDepartments` replaced by the user's values; always a list for `in`. */
function resolveValue(value: FilterValue | undefined, ctx: FilterContext): (string | number | boolean | null)[] {
  const one = (v: unknown): (string | number | boolean | null)[] => {
    if (v === '$me') return [ctx.username];
    if (v === '$myDepartments') return [...ctx.departmentIds];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return [v];
    return [];
  };
  return Array.isArray(value) ? value.flatMap(one) : one(value);
}

const COMPARE = { '>': '>', '>=': '>=', '<': '<', '<=': '<=' } as const;

function escapeLike(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A field's value as SQL of its kind. */
function fieldSql(name: string, kind: ValueKind): Sql {
  if (kind === 'number') {
    return { sql: `(CASE WHEN jsonb_typeof(records.data -> ?) = 'number' THEN (records.data ->> ?)::numeric END)`, bindings: [name, name] };
  }
  if (kind === 'date') return { sql: `liuzhuan_try_timestamptz(records.data ->> ?)`, bindings: [name] };
  return { sql: `(records.data ->> ?)`, bindings: [name] };
}

function placeholder(kind: ValueKind): string {
  if (kind === 'number') return '?::numeric';
  if (kind === 'date') return 'liuzhuan_try_timestamptz(?)';
  return '?';
}

/** Values typed for the field: numbers stay numbers, everything else compares as text. */
function typed(kind: ValueKind, values: (string | number | boolean | null)[]): (string | number)[] {
  const out: (string | number)[] = [];
  for (const v of values) {
    if (v === null) continue;
    if (kind === 'number') {
      const n = typeof v === 'number' ? v : Number(v);
      if (Number.isFinite(n)) out.push(n);
    } else out.push(String(v));
  }
  return out;
}

function emptySql(name: string): Sql {
  return {
    sql: `(records.data -> ? IS NULL OR records.data -> ? IN ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb))`,
    bindings: [name, name],
  };
}

/** A list field (checkbox group, department list): holds any of the values. */
function listHoldsAny(name: string, values: (string | number)[]): Sql {
  if (values.length === 0) return FALSE;
  return {
    sql: `(jsonb_typeof(records.data -> ?) = 'array' AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(records.data -> ?) AS item WHERE item = ANY (?::text[])))`,
    bindings: [name, name, values.map(String)],
  };
}

/** `$creator`: the creator's username. */
const CREATOR: Sql = { sql: '(SELECT cu.username FROM users cu WHERE cu.id = records.created_by)', bindings: [] };

/** `$ownerDepartment`: the owner's department ids as text[]. */
function ownerDepartments(ownerField: string): Sql {
  return {
    sql: `ARRAY(SELECT om.department_id::text FROM users ou JOIN department_members om ON om.user_id = ou.id WHERE ou.username = (records.data ->> ?))`,
    bindings: [ownerField],
  };
}

function textRule(expr: Sql, rule: FilterRule, values: (string | number | boolean | null)[]): Sql {
  const texts = typed('text', values);
  switch (rule.operator) {
    case '=':
      return texts.length ? { sql: `${expr.sql} = ?`, bindings: [...expr.bindings, texts[0]!] } : { sql: `${expr.sql} IS NULL`, bindings: expr.bindings };
    case '!=':
      return texts.length ? { sql: `${expr.sql} IS DISTINCT FROM ?`, bindings: [...expr.bindings, texts[0]!] } : { sql: `${expr.sql} IS NOT NULL`, bindings: expr.bindings };
    case 'in':
      return { sql: `${expr.sql} = ANY (?::text[])`, bindings: [...expr.bindings, texts.map(String)] };
    case 'contains':
      return { sql: `${expr.sql} ILIKE ? ESCAPE '\\'`, bindings: [...expr.bindings, escapeLike(String(texts[0] ?? ''))] };
    case 'empty':
      return { sql: `COALESCE(${expr.sql}, '') = ''`, bindings: expr.bindings };
    case 'notEmpty':
      return { sql: `COALESCE(${expr.sql}, '') <> ''`, bindings: expr.bindings };
    default:
      return { sql: `${expr.sql} ${COMPARE[rule.operator]} ?`, bindings: [...expr.bindings, String(texts[0] ?? '')] };
  }
}

function departmentRule(ctx: FilterContext, rule: FilterRule, values: (string | number | boolean | null)[]): Sql {
  if (!ctx.ownerField) return FALSE;
  const expr = ownerDepartments(ctx.ownerField);
  const ids = typed('text', values).map(String);
  switch (rule.operator) {
    case '=':
    case 'in':
    case 'contains':
      return { sql: `${expr.sql} && ?::text[]`, bindings: [...expr.bindings, ids] };
    case '!=':
      return { sql: `NOT (${expr.sql} && ?::text[])`, bindings: [...expr.bindings, ids] };
    case 'empty':
      return { sql: `cardinality(${expr.sql}) = 0`, bindings: expr.bindings };
    case 'notEmpty':
      return { sql: `cardinality(${expr.sql}) > 0`, bindings: expr.bindings };
    default:
      return FALSE;
  }
}

/** One rule as SQL; a rule that cannot apply (an operator the field's kind has no meaning for) is FALSE. */
export function compileRule(rule: FilterRule, ctx: FilterContext): Sql {
  const values = resolveValue(rule.value, ctx);
  if (rule.field === '$creator') return textRule(CREATOR, rule, values);
  if (rule.field === '$ownerDepartment') return departmentRule(ctx, rule, values);
  const name = rule.field;
  const kind = kindOf(ctx.fields.get(name));
  if (rule.operator === 'empty') return emptySql(name);
  if (rule.operator === 'notEmpty') {
    const empty = emptySql(name);
    return { sql: `NOT ${empty.sql}`, bindings: empty.bindings };
  }
  if (kind === 'list') {
    const list = listHoldsAny(name, typed('text', values));
    if (rule.operator === '=' || rule.operator === 'in' || rule.operator === 'contains') return list;
    if (rule.operator === '!=') return { sql: `NOT COALESCE(${list.sql}, FALSE)`, bindings: list.bindings };
    return FALSE;
  }
  if (kind === 'object') return FALSE;
  if (kind === 'boolean') {
    const wanted = values.find((v) => v !== null);
    const bool = wanted === true || wanted === 'true';
    const sql = { sql: `records.data -> ? = to_jsonb(?::boolean)`, bindings: [name, bool] as Knex.RawBinding[] };
    if (rule.operator === '=') return sql;
    if (rule.operator === '!=') return { sql: `records.data -> ? IS DISTINCT FROM to_jsonb(?::boolean)`, bindings: [name, bool] };
    if (rule.operator === 'in') {
      const bools = values.filter((v) => v !== null).map((v) => v === true || v === 'true');
      return { sql: `records.data -> ? IN (SELECT to_jsonb(b) FROM unnest(?::boolean[]) AS b)`, bindings: [name, bools] };
    }
    return FALSE;
  }
  if (kind === 'text' || rule.operator === 'contains') {
    return textRule(fieldSql(name, 'text'), rule, values);
  }
  // number and date
  const expr = fieldSql(name, kind);
  const list = typed(kind, values);
  const ph = placeholder(kind);
  switch (rule.operator) {
    case '=':
      return list.length ? { sql: `${expr.sql} = ${ph}`, bindings: [...expr.bindings, list[0]!] } : FALSE;
    case '!=':
      return list.length ? { sql: `${expr.sql} IS DISTINCT FROM ${ph}`, bindings: [...expr.bindings, list[0]!] } : TRUE;
    case 'in':
      if (list.length === 0) return FALSE;
      return { sql: `${expr.sql} IN (${list.map(() => ph).join(', ')})`, bindings: [...expr.bindings, ...list] };
    default:
      return list.length ? { sql: `${expr.sql} ${COMPARE[rule.operator as keyof typeof COMPARE]} ${ph}`, bindings: [...expr.bindings, list[0]!] } : FALSE;
  }
}

/** The whole filter; null (no filter) is TRUE. A NULL comparison counts as false. */
export function compileFilter(filter: GroupFilter | null, ctx: FilterContext): Sql {
  if (!filter || filter.rules.length === 0) return TRUE;
  const parts = filter.rules.map((rule) => compileRule(rule, ctx));
  const joiner = filter.join === 'or' ? ' OR ' : ' AND ';
  return {
    sql: `(${parts.map((p) => `COALESCE((${p.sql}), FALSE)`).join(joiner)})`,
    bindings: parts.flatMap((p) => p.bindings),
  };
}

export function and(...parts: Sql[]): Sql {
  const real = parts.filter((p) => p.sql !== 'TRUE');
  if (real.some((p) => p.sql === 'FALSE')) return FALSE;
  if (real.length === 0) return TRUE;
  return { sql: `(${real.map((p) => p.sql).join(' AND ')})`, bindings: real.flatMap((p) => p.bindings) };
}

export function or(...parts: Sql[]): Sql {
  const real = parts.filter((p) => p.sql !== 'FALSE');
  if (real.some((p) => p.sql === 'TRUE')) return TRUE;
  if (real.length === 0) return FALSE;
  return { sql: `(${real.map((p) => p.sql).join(' OR ')})`, bindings: real.flatMap((p) => p.bindings) };
}
