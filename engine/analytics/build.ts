/**
 * Checks a chart query's names against its source (semantic checks: the field exists, the
 * aggregation fits its type, personal fields stay out) and builds the one SQL statement
 * that answers it: dimensions `d0…`, measures `m0…`, grouped by the dimensions, at most
 * `limit` groups (one more is fetched to say `truncated`). Every 422 names the part with a
 * JSON pointer (`/measures/1/field`).
 */
import { bucketed, filterCondition } from './filters.ts';
import { joinSql, sql, type ChartField, type Sql } from './fields.ts';
import { DEFAULT_LIMIT, invalidQuery, type ChartFilter, type ChartMeasure, type ChartQuery } from './query.ts';
import type { SourcePlan } from './source.ts';

export interface ChartColumn {
  key: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'boolean';
  /** Stored value → label per language, for choice and department dimensions. */
  options?: { value: string | number | boolean; label: Record<string, string> }[];
  /** Internal: dimension is a department code (labels filled in by run.ts). */
  department?: boolean;
}

export interface BuiltChart {
  statement: Sql;
  columns: ChartColumn[];
  limit: number;
}

const UNIT_SECONDS = { second: 1, minute: 60, hour: 3600, day: 86400 } as const;

/** The field, refused with a 422 at `pointer` when unknown or personal. */
export function usableField(plan: SourcePlan, pointer: string, name: string): ChartField {
  const field = plan.field(name);
  if (typeof field === 'string') throw invalidQuery(pointer, field);
  if (field.personal) throw invalidQuery(pointer, `field "${name}" holds personal data (encrypted) and cannot be charted or filtered on`);
  return field;
}

const ME = '$me';
const MY_DEPARTMENTS = '$myDepartments';

/**
 * `$me` in a value is the caller's username; `$myDepartments` the codes of the departments
 * they belong to or head (and those below) — a dashboard's department filter defaults to it,
 * so a head's board shows their department. For an admin `$myDepartments` is everything: the
 * filter is left out.
 */
function personalised(plan: SourcePlan, filter: ChartFilter): ChartFilter | undefined {
  const values = Array.isArray(filter.value) ? filter.value : [filter.value];
  if (!values.some((value) => value === ME || value === MY_DEPARTMENTS)) return filter;
  if (values.includes(MY_DEPARTMENTS) && plan.viewer.departments === 'all') return undefined;
  const expanded = values.flatMap((value) =>
    value === ME ? [plan.viewer.username] : value === MY_DEPARTMENTS ? (plan.viewer.departments as string[]) : [value as string]);
  if (filter.op === 'eq' || filter.op === 'in') return { ...filter, op: 'in', value: expanded };
  if (expanded.length === 1 && filter.op !== 'between') return { ...filter, value: expanded[0] };
  return { ...filter, value: expanded };
}

export function conditions(plan: SourcePlan, filters: ChartFilter[] | undefined, pointer: string, now: Date): Sql[] {
  return (filters ?? []).flatMap((filter, index) => {
    const field = usableField(plan, `${pointer}/${index}/field`, filter.field);
    const effective = personalised(plan, filter);
    return effective ? [filterCondition(`${pointer}/${index}`, field, effective, now)] : [];
  });
}

function optionColumn(field: ChartField): ChartColumn['options'] {
  return field.options?.map((option) => ({ value: option.value, label: option.byLocale }));
}

function measureSql(plan: SourcePlan, measure: ChartMeasure, pointer: string, now: Date): { expr: Sql; label: string; type: ChartColumn['type'] } {
  const where = conditions(plan, measure.where, `${pointer}/where`, now);
  const filterClause = where.length ? joinSql(where, ' AND ') : undefined;
  const filtered = (aggregate: Sql): Sql =>
    filterClause ? sql(`${aggregate.sql} FILTER (WHERE ${filterClause.sql})`, ...aggregate.bindings, ...filterClause.bindings) : aggregate;
  const { agg } = measure;

  if (agg === 'ratio') {
    if (!filterClause) throw invalidQuery(`${pointer}/where`, 'a ratio needs "where": the condition the counted share meets');
    if (measure.field || measure.duration) throw invalidQuery(`${pointer}/agg`, 'a ratio counts rows; give no field');
    return {
      expr: sql(`(CASE WHEN count(*) = 0 THEN NULL ELSE round(100.0 * count(*) FILTER (WHERE ${filterClause.sql}) / count(*), 2) END)`, ...filterClause.bindings),
      label: measure.label ?? 'ratio %',
      type: 'number',
    };
  }

  let value: Sql | undefined;
  let valueKind: ChartField['kind'] | undefined;
  let dateOnly = false;
  let name = '';
  if (measure.duration && measure.field) throw invalidQuery(`${pointer}/duration`, 'give a field or a duration, not both');
  if (measure.duration) {
    const from = usableField(plan, `${pointer}/duration/from`, measure.duration.from);
    const to = usableField(plan, `${pointer}/duration/to`, measure.duration.to);
    if (from.kind !== 'date') throw invalidQuery(`${pointer}/duration/from`, `field "${from.name}" is not a date`);
    if (to.kind !== 'date') throw invalidQuery(`${pointer}/duration/to`, `field "${to.name}" is not a date`);
    const unit = measure.duration.unit ?? 'hour';
    value = sql(`(date_part('epoch', ${to.expr.sql} - ${from.expr.sql}) / ${UNIT_SECONDS[unit]})`, ...to.expr.bindings, ...from.expr.bindings);
    valueKind = 'number';
    name = `${from.name}→${to.name} (${unit})`;
  } else if (measure.field) {
    const field = usableField(plan, `${pointer}/field`, measure.field);
    value = field.expr;
    valueKind = field.kind;
    dateOnly = field.dateOnly === true;
    name = field.name;
  }

  if (agg === 'count') {
    return { expr: filtered(value ? sql(`count(${value.sql})`, ...value.bindings) : sql('count(*)')), label: measure.label ?? (name ? `count(${name})` : 'count'), type: 'number' };
  }
  const fieldPointer = measure.duration ? `${pointer}/duration` : `${pointer}/field`;
  if (!value) throw invalidQuery(fieldPointer, `aggregation "${agg}" needs a field or a duration`);
  const label = measure.label ?? `${agg}(${name})`;
  if (agg === 'distinct') {
    if (valueKind === 'choices') throw invalidQuery(fieldPointer, `field "${name}" holds several choices; count distinct of a single-value field`);
    return { expr: filtered(sql(`count(DISTINCT ${value.sql})`, ...value.bindings)), label, type: 'number' };
  }
  if ((agg === 'min' || agg === 'max') && valueKind === 'date') {
    // Shown in the chart time zone: a calendar date as YYYY-MM-DD, an instant with its offset.
    const format = dateOnly ? 'YYYY-MM-DD' : 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM';
    const aggregate = filtered(sql(`${agg}(${value.sql})`, ...value.bindings));
    return { expr: sql(`to_char(${aggregate.sql}, '${format}')`, ...aggregate.bindings), label, type: 'date' };
  }
  if (valueKind !== 'number') {
    throw invalidQuery(fieldPointer, `aggregation "${agg}" needs a number field${agg === 'min' || agg === 'max' ? ' or a date' : ''}; "${name}" is ${valueKind === 'date' ? 'a date' : `a ${valueKind === 'choices' ? 'multiple-choice' : valueKind} field`}`);
  }
  if (agg === 'median' || agg === 'p90') {
    const fraction = agg === 'median' ? '0.5' : '0.9';
    return { expr: filtered(sql(`percentile_cont(${fraction}) WITHIN GROUP (ORDER BY ${value.sql})`, ...value.bindings)), label, type: 'number' };
  }
  return { expr: filtered(sql(`${agg}(${value.sql})`, ...value.bindings)), label, type: 'number' };
}

export function buildChart(plan: SourcePlan, query: ChartQuery, now: Date): BuiltChart {
  const dimensions = query.dimensions ?? [];
  const measures = query.measures?.length ? query.measures : [{ agg: 'count' as const }];
  const columns: ChartColumn[] = [];
  const select: Sql[] = [];

  dimensions.forEach((dimension, index) => {
    const pointer = `/dimensions/${index}/field`;
    const field = usableField(plan, pointer, dimension.field);
    if (field.kind === 'choices') throw invalidQuery(pointer, `field "${field.name}" holds several choices and cannot be grouped by`);
    if (dimension.bucket && field.kind !== 'date') throw invalidQuery(`/dimensions/${index}/bucket`, `field "${field.name}" is not a date; only dates have time buckets`);
    if (field.kind === 'date') {
      // An unbucketed date groups by day: grouping by instants would give one group per record.
      const trunc = bucketed(field.expr, dimension.bucket ?? 'day');
      select.push(sql(`to_char(${trunc.sql}, 'YYYY-MM-DD') AS d${index}`, ...trunc.bindings));
      columns.push({ key: `d${index}`, label: dimension.label ?? field.name, type: 'date' });
    } else {
      select.push(sql(`${field.expr.sql} AS d${index}`, ...field.expr.bindings));
      columns.push({
        key: `d${index}`, label: dimension.label ?? field.name, type: field.kind === 'number' ? 'number' : field.kind === 'boolean' ? 'boolean' : 'text',
        options: optionColumn(field), department: field.department,
      });
    }
  });
  measures.forEach((measure, index) => {
    const built = measureSql(plan, measure, `/measures/${index}`, now);
    select.push(sql(`${built.expr.sql} AS m${index}`, ...built.expr.bindings));
    columns.push({ key: `m${index}`, label: built.label, type: built.type });
  });

  const where = [...plan.where, ...conditions(plan, query.filters, '/filters', now)];
  const order: string[] = [];
  for (const [index, sort] of (query.sort ?? []).entries()) {
    const count = sort.by === 'measure' ? measures.length : dimensions.length;
    if (sort.index >= count) throw invalidQuery(`/sort/${index}/index`, `there is no ${sort.by} ${sort.index} (${count} given)`);
    order.push(`${sort.by === 'measure' ? 'm' : 'd'}${sort.index} ${sort.desc ? 'DESC' : 'ASC'} NULLS LAST`);
  }
  if (!order.length) {
    // Time reads left to right; categories biggest first.
    if (dimensions.some((d, i) => columns[i]!.type === 'date' || d.bucket)) order.push(...dimensions.map((_d, i) => `d${i} ASC NULLS LAST`));
    else if (dimensions.length) order.push('m0 DESC NULLS LAST', ...dimensions.map((_d, i) => `d${i} ASC NULLS LAST`));
  }
  const limit = query.limit ?? DEFAULT_LIMIT;
  const parts: Sql[] = [sql('SELECT '), joinSql(select, ', '), sql(' FROM '), plan.from];
  if (where.length) parts.push(sql(' WHERE '), joinSql(where, ' AND '));
  if (dimensions.length) parts.push(sql(` GROUP BY ${dimensions.map((_d, i) => i + 1).join(', ')}`));
  if (order.length) parts.push(sql(` ORDER BY ${order.join(', ')}`));
  if (dimensions.length) parts.push(sql(' LIMIT ?', limit + 1));
  return { statement: joinSql(parts, ''), columns, limit };
}
