/**
 * A chart filter as a SQL condition, its value typed from the field (numbers compare as
 * numbers, dates as instants in the chart time zone, a choice field's value may be its
 * stored value or any of its labels). Values are always bindings.
 *
 * Dates: a value is `YYYY-MM-DD` (optionally with a time) or relative to today,
 * `today`, `today-30d`, `today+1m` (units d, w, m, y). A date-only upper bound includes its
 * whole day (`lte 2026-03-31` keeps 31 March 18:00). With `bucket`, `eq` compares the
 * bucket's start (a bar's drill-down: "month of received_at = 2026-03-01").
 */
import { valuesContaining, valuesNamed } from '../forms/optionLabels.ts';
import type { ChartField, Sql } from './fields.ts';
import { sql } from './fields.ts';
import { invalidQuery, type Bucket, type ChartFilter, type FilterValue } from './query.ts';

const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const RELATIVE = /^today(?:([+-])(\d{1,4})([dwmy]))?$/;
const NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
export const CHART_TIME_ZONE = 'Asia/Shanghai';

/** Today's date in the chart time zone, moved by a relative offset. */
export function relativeDate(text: string, now: Date): string | undefined {
  const match = RELATIVE.exec(text);
  if (!match) return undefined;
  const local = new Intl.DateTimeFormat('en-CA', { timeZone: CHART_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const [y, m, d] = local.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (match[1]) {
    const amount = Number(match[2]) * (match[1] === '-' ? -1 : 1);
    const unit = match[3];
    if (unit === 'd') date.setUTCDate(date.getUTCDate() + amount);
    else if (unit === 'w') date.setUTCDate(date.getUTCDate() + amount * 7);
    else if (unit === 'm') date.setUTCMonth(date.getUTCMonth() + amount);
    else date.setUTCFullYear(date.getUTCFullYear() + amount);
  }
  return date.toISOString().slice(0, 10);
}

function scalar(pointer: string, field: ChartField, value: unknown, now: Date): string | number | boolean {
  if (value === null || value === undefined || typeof value === 'object') throw invalidQuery(pointer, 'a value is required');
  if (field.kind === 'number') {
    const text = String(value).trim();
    if (typeof value === 'boolean' || !NUMBER.test(text)) throw invalidQuery(pointer, `"${String(value).slice(0, 60)}" is not a number`);
    return Number(text);
  }
  if (field.kind === 'boolean') {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw invalidQuery(pointer, `"${String(value).slice(0, 60)}" is not true or false`);
  }
  if (field.kind === 'date') {
    const text = String(value).trim();
    const relative = relativeDate(text, now);
    if (relative) return relative;
    if (!DATE.test(text)) throw invalidQuery(pointer, `"${text.slice(0, 60)}" is not a date (YYYY-MM-DD, optionally with a time, or today±N d/w/m/y)`);
    return text;
  }
  return String(value);
}

/** Stored values a choice word names (value or label); the word itself when no option carries it. */
function choiceValues(field: ChartField, words: string[], containing = false): (string | number | boolean)[] {
  const options = field.options;
  if (!options) return words;
  return [...new Set(words.flatMap((word) => {
    const found = containing ? valuesContaining(options, word) : valuesNamed(options, word);
    return found.length ? found : containing ? [] : [word];
  }))];
}

const SQL_TYPE: Record<string, string> = { number: 'numeric', boolean: 'boolean', date: 'timestamptz', text: 'text', choices: 'text' };

/** Date-only upper bounds include their day: `<= D` becomes `< D + 1 day`. */
function endOfDay(value: string | number | boolean): Sql {
  return typeof value === 'string' && DATE_ONLY.test(value)
    ? sql(`(CAST(? AS timestamptz) + interval '1 day')`, value)
    : sql('CAST(? AS timestamptz)', value);
}

export function bucketed(expr: Sql, bucket: Bucket): Sql {
  return sql(`date_trunc(?, ${expr.sql})`, bucket, ...expr.bindings);
}

/** A day before/after a bound, as YYYY-MM-DD (the slack any UTC offset needs). */
function shiftDay(value: string, days: number): string {
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * For a record's date field, conditions on its stored text's first 10 characters (its local
 * calendar date) that an index on `left(data #>> '{field}', 10)` serves (migration 041):
 *  - `range`, necessary: within two days of the bounds (offsets run from -12:00 to +14:00);
 *  - `inside`, sufficient: three days or more inside both bounds, whatever either offset, so
 *    those rows skip the exact test on the instant (a cast per row); only rows near a bound
 *    pay for it. A date-shaped text that is no date ("2026-13-45", which no validated write
 *    stores) counts as inside when it sorts inside; near a bound it fails the cast and run.ts
 *    answers with the safe reading, which leaves it out.
 */
function dayConditions(field: ChartField, op: string, raw: (string | number | boolean)[]): { range: Sql; inside?: Sql } | undefined {
  if (!field.text || field.kind !== 'date') return undefined;
  const day = `left(${field.text.sql}, 10)`;
  const bound = (value: string | number | boolean) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value : undefined);
  const low = op === 'gt' || op === 'gte' || op === 'eq' || op === 'between' ? bound(raw[0]!) : undefined;
  const high = op === 'lt' || op === 'lte' || op === 'eq' ? bound(raw[0]!) : op === 'between' ? bound(raw[1]!) : undefined;
  const range: Sql[] = [];
  const inside: Sql[] = [];
  if (low) {
    range.push(sql(`${day} >= ?`, ...field.text.bindings, shiftDay(low, -2)));
    inside.push(sql(`${day} >= ?`, ...field.text.bindings, shiftDay(low, 3)));
  }
  if (high) {
    range.push(sql(`${day} <= ?`, ...field.text.bindings, shiftDay(high, 2)));
    inside.push(sql(`${day} <= ?`, ...field.text.bindings, shiftDay(high, -3)));
  }
  // Text that only sorts like a date ("上周三" after every digit) is not inside.
  inside.push(sql(`${day} LIKE '____-__-__'`, ...field.text.bindings));
  if (!range.length) return undefined;
  const both = (parts: Sql[]) => ({ sql: parts.map((part) => part.sql).join(' AND '), bindings: parts.flatMap((part) => part.bindings) });
  // An exact instant (eq) has no inside.
  return { range: both(range), inside: op === 'eq' ? undefined : both(inside) };
}

export function filterCondition(pointer: string, field: ChartField, filter: ChartFilter & { bucket?: Bucket }, now: Date): Sql {
  const exact = exactCondition(pointer, field, filter, now);
  if (filter.bucket || field.kind !== 'date' || !field.text || !['gt', 'gte', 'lt', 'lte', 'eq', 'between'].includes(filter.op)) return exact;
  const values = (Array.isArray(filter.value) ? filter.value : [filter.value]).map((value) =>
    typeof value === 'string' ? relativeDate(value.trim(), now) ?? value.trim() : (value as string | number | boolean));
  const days = dayConditions(field, filter.op, values);
  if (!days) return exact;
  // OR evaluates left to right and stops at the first true: the cheap text test goes first.
  if (days.inside) return sql(`(${days.range.sql} AND ((${days.inside.sql}) OR ${exact.sql}))`, ...days.range.bindings, ...days.inside.bindings, ...exact.bindings);
  return sql(`(${days.range.sql} AND ${exact.sql})`, ...days.range.bindings, ...exact.bindings);
}

function exactCondition(pointer: string, field: ChartField, filter: ChartFilter & { bucket?: Bucket }, now: Date): Sql {
  const { op } = filter;
  const expr = filter.bucket && field.kind === 'date' ? bucketed(field.expr, filter.bucket) : field.expr;
  const e = expr.sql;
  const type = SQL_TYPE[field.kind]!;
  const valuePointer = `${pointer}/value`;
  const raw: FilterValue | undefined = filter.value;

  if (op === 'empty' || op === 'notEmpty') {
    const empty = field.kind === 'text' ? `NULLIF(${e}, '') IS NULL` : field.kind === 'choices' ? `COALESCE(jsonb_array_length(${e}), 0) = 0` : `${e} IS NULL`;
    return sql(op === 'empty' ? `(${empty})` : `(NOT (${empty}))`, ...expr.bindings);
  }

  if (field.kind === 'choices') {
    if (!['eq', 'ne', 'in', 'contains'].includes(op)) throw invalidQuery(`${pointer}/op`, `operator "${op}" does not apply to a multiple-choice field`);
    const words = (Array.isArray(raw) ? raw : [raw]).map((word) => scalar(valuePointer, { ...field, kind: 'text' }, word, now) as string);
    const values = choiceValues(field, words, op === 'contains').map(String);
    const has = `jsonb_exists_any(COALESCE(${e}, '[]'::jsonb), CAST(? AS text[]))`;
    return sql(op === 'ne' ? `(NOT ${has})` : has, ...expr.bindings, values);
  }

  if (op === 'in') {
    if (!Array.isArray(raw)) throw invalidQuery(valuePointer, 'operator "in" takes a list of values');
    let values = raw.map((item, index) => scalar(`${valuePointer}/${index}`, field, item, now));
    if (field.options && field.kind === 'text') values = choiceValues(field, values.map(String));
    return sql(`${e} = ANY (CAST(? AS ${type}[]))`, ...expr.bindings, values.map((value) => (field.kind === 'text' ? String(value) : value)));
  }
  if (op === 'between') {
    if (!Array.isArray(raw) || raw.length !== 2) throw invalidQuery(valuePointer, 'operator "between" takes [from, to]');
    const [low, high] = raw.map((item, index) => scalar(`${valuePointer}/${index}`, field, item, now));
    if (field.kind === 'date') {
      const upper = endOfDay(high!);
      return sql(`(${e} >= CAST(? AS timestamptz) AND ${e} < ${upper.sql})`, ...expr.bindings, low!, ...expr.bindings, ...upper.bindings);
    }
    return sql(`(${e} BETWEEN CAST(? AS ${type}) AND CAST(? AS ${type}))`, ...expr.bindings, low!, high!);
  }
  if (Array.isArray(raw)) throw invalidQuery(valuePointer, `operator "${op}" takes one value`);
  if (op === 'contains') {
    if (field.kind !== 'text') throw invalidQuery(`${pointer}/op`, `operator "contains" applies to text fields`);
    const text = scalar(valuePointer, field, raw, now) as string;
    if (field.options) {
      return sql(`${e} = ANY (CAST(? AS text[]))`, ...expr.bindings, choiceValues(field, [text], true).map(String));
    }
    return sql(`strpos(lower(${e}), lower(?)) > 0`, ...expr.bindings, text);
  }
  if (field.kind === 'boolean' && !['eq', 'ne'].includes(op)) throw invalidQuery(`${pointer}/op`, `operator "${op}" does not apply to a yes/no field`);
  let value = scalar(valuePointer, field, raw, now);
  if (field.options && field.kind === 'text' && (op === 'eq' || op === 'ne')) {
    const values = choiceValues(field, [String(value)]);
    const any = sql(`${e} = ANY (CAST(? AS text[]))`, ...expr.bindings, values.map(String));
    return op === 'eq' ? any : sql(`(${e} IS NULL OR NOT (${any.sql}))`, ...expr.bindings, ...any.bindings);
  }
  if (field.kind === 'date' && typeof value === 'string' && DATE_ONLY.test(value) && !filter.bucket) {
    // A calendar day is an interval: eq is "on that day", lte includes it, gt starts after it.
    const next = endOfDay(value);
    switch (op) {
      case 'eq': return sql(`(${e} >= CAST(? AS timestamptz) AND ${e} < ${next.sql})`, ...expr.bindings, value, ...expr.bindings, ...next.bindings);
      case 'ne': return sql(`(${e} IS NULL OR ${e} < CAST(? AS timestamptz) OR ${e} >= ${next.sql})`, ...expr.bindings, ...expr.bindings, value, ...expr.bindings, ...next.bindings);
      case 'lte': return sql(`${e} < ${next.sql}`, ...expr.bindings, ...next.bindings);
      case 'gt': return sql(`${e} >= ${next.sql}`, ...expr.bindings, ...next.bindings);
      default: break;
    }
  }
  if (field.kind === 'text') value = String(value);
  const operator = { eq: '=', ne: 'IS DISTINCT FROM', gt: '>', gte: '>=', lt: '<', lte: '<=' }[op as 'eq'];
  if (!operator) throw invalidQuery(`${pointer}/op`, `unknown operator "${op}"`);
  return sql(`${e} ${operator} CAST(? AS ${type})`, ...expr.bindings, value);
}
