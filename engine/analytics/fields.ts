/**
 * The fields a chart can name, per source, each with its kind and the SQL expression that
 * reads it. Field names never reach SQL text: a record field's path is bound as a value
 * (`records.data #>> CAST(? AS text[])`), and process fields come from a fixed table below.
 *
 * Dates are read as `timestamptz`; the query runs with the session time zone set to the
 * chart time zone (run.ts), so a date-only field means local midnight there and time buckets
 * cut days, weeks (Monday), months and quarters in that zone.
 */
import type { Knex } from 'knex';
import { fieldOptions, type FieldOption } from '../forms/optionLabels.ts';
import { propertySchema } from '../forms/query.ts';

export type ChartFieldKind = 'text' | 'number' | 'date' | 'boolean' | 'choices';

/** SQL text with `?` placeholders and its bindings (values only). */
export interface Sql {
  sql: string;
  bindings: Binding[];
}
/** A bound value: a scalar, or a list bound as a PostgreSQL array (`CAST(? AS text[])`). */
export type Binding = Knex.RawBinding | (string | number | boolean)[];

export interface ChartField {
  name: string;
  kind: ChartFieldKind;
  expr: Sql;
  options?: FieldOption[];
  /** Encrypted at rest (`x-personal`): never grouped, aggregated or filtered on. */
  personal?: boolean;
  /** Department codes: the answer's column carries their names as option labels. */
  department?: boolean;
  /** A calendar date (format date), not an instant: shown as YYYY-MM-DD. */
  dateOnly?: boolean;
  /**
   * A record date's stored text: `left(text, 10)` is its local calendar date, which an
   * expression index can serve (filters.ts adds a ±2 day range on it before the exact test).
   */
  text?: Sql;
}

export const sql = (text: string, ...bindings: Binding[]): Sql => ({ sql: text, bindings });

/** Joins pieces with a separator, concatenating their bindings in order. */
export function joinSql(parts: Sql[], separator: string): Sql {
  return { sql: parts.map((part) => part.sql).join(separator), bindings: parts.flatMap((part) => part.bindings) };
}

/**
 * How a stored date's text becomes a `timestamptz`. Every write validates dates (ajv's
 * date-time and date formats), so the fast reading only skips text not shaped like a date
 * (`LIKE`, far cheaper per row than a regular expression) and casts the rest. A record
 * written before a field became a date may still hold something date-shaped that does not
 * parse; the cast then fails the whole query, and run.ts asks again with `safe` readings,
 * which turn anything unparseable into NULL (migration 042's functions: a subtransaction per
 * row, so only when needed).
 */
export type DateReading = 'fast' | 'safe';

const DATE_SHAPE = `'____-__-__%'`;

/** A JSON value at `path` under `base` (a jsonb SQL expression of ours), read as `kind`. */
export function jsonField(base: string, path: string[], kind: ChartFieldKind, dateOnly: boolean, dates: DateReading = 'fast'): Sql {
  const text = `(${base} #>> CAST(? AS text[]))`;
  switch (kind) {
    case 'number':
      return sql(`(CASE WHEN jsonb_typeof(${base} #> CAST(? AS text[])) = 'number' THEN CAST(${text} AS numeric) END)`, path, path);
    case 'boolean':
      return sql(`(CASE WHEN jsonb_typeof(${base} #> CAST(? AS text[])) = 'boolean' THEN CAST(${text} AS boolean) END)`, path, path);
    case 'date':
      if (dates === 'safe') {
        return dateOnly
          ? sql(`CAST(liuzhuan_try_date(left(${text}, 10)) AS timestamptz)`, path)
          : sql(`liuzhuan_try_timestamptz(${text})`, path);
      }
      return dateOnly
        ? sql(`(CASE WHEN ${text} LIKE ${DATE_SHAPE} THEN CAST(CAST(left(${text}, 10) AS date) AS timestamptz) END)`, path, path)
        : sql(`(CASE WHEN ${text} LIKE ${DATE_SHAPE} THEN CAST(${text} AS timestamptz) END)`, path, path);
    case 'choices':
      return sql(`(CASE WHEN jsonb_typeof(${base} #> CAST(? AS text[])) = 'array' THEN ${base} #> CAST(? AS text[]) END)`, path, path);
    default:
      return sql(text, path);
  }
}

type Schema = Record<string, any>;

export const FIELD_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A form field by dotted path in a (sub-)schema, or the reason it cannot be charted. */
export function formField(base: string, schema: Schema, uiSchema: Schema | undefined, name: string, dates: DateReading = 'fast'): ChartField | string {
  const path = name.split('.');
  if (!path.every((segment) => FIELD_SEGMENT.test(segment))) return `"${name.slice(0, 60)}" is not a field name (letters, digits, _; nested with ".")`;
  let current: Schema | undefined = schema;
  let ui: Schema | undefined = uiSchema;
  for (const segment of path) {
    current = propertySchema(current, segment);
    ui = ui?.[segment];
    if (!current) return `the form has no field "${name}"`;
  }
  const field = current!;
  const personal = field['x-personal'] !== undefined && field['x-personal'] !== false;
  const options = fieldOptions(field, ui);
  const type = Array.isArray(field.type) ? field.type.find((t: string) => t !== 'null') : field.type;
  let kind: ChartFieldKind;
  if (type === 'array' && options) kind = 'choices';
  else if (type === 'object' || type === 'array') return `field "${name}" is a ${type}; chart its inner fields (or use it as the source's subForm)`;
  else if (type === 'number' || type === 'integer') kind = 'number';
  else if (type === 'boolean') kind = 'boolean';
  else if (field.format === 'date' || field.format === 'date-time') kind = 'date';
  else kind = 'text';
  const text = kind === 'date' ? sql(`(${base} #>> CAST(? AS text[]))`, path) : undefined;
  return { name, kind, expr: jsonField(base, path, kind, field.format === 'date', dates), options, personal, dateOnly: field.format === 'date', text };
}

/** The routed department of a record: its latest ticket's department code. */
const RECORD_DEPARTMENT = `(SELECT rd.code FROM tickets rk JOIN departments rd ON rd.id = rk.department_id
  WHERE rk.record_id = records.id ORDER BY rk.routed_at DESC LIMIT 1)`;

/** Columns every record has, named with a leading `_` (form fields are looked up first only when not `_`-prefixed). */
export const RECORD_SYSTEM_FIELDS: Record<string, Omit<ChartField, 'name'>> = {
  _createdAt: { kind: 'date', expr: sql('records.created_at') },
  _updatedAt: { kind: 'date', expr: sql('records.updated_at') },
  _createdBy: { kind: 'text', expr: sql('(SELECT ru.username FROM users ru WHERE ru.id = records.created_by)') },
  _department: { kind: 'text', expr: sql(RECORD_DEPARTMENT), department: true },
  _status: { kind: 'text', expr: sql('(SELECT ri.status FROM process_instances ri WHERE ri.id = records.instance_id)') },
};

// date_part gives double precision; EXTRACT's numeric costs several times more per row.
const seconds = (from: string, to: string) => `date_part('epoch', ${to} - ${from})`;

export const INSTANCE_FIELDS: Record<string, Omit<ChartField, 'name'>> = {
  status: { kind: 'text', expr: sql('i.status') },
  startedAt: { kind: 'date', expr: sql('i.started_at') },
  endedAt: { kind: 'date', expr: sql('i.ended_at') },
  durationSeconds: { kind: 'number', expr: sql(`(${seconds('i.started_at', 'i.ended_at')})`) },
  startedBy: { kind: 'text', expr: sql('i.started_by') },
  businessKey: { kind: 'text', expr: sql('i.business_key') },
  definitionKey: { kind: 'text', expr: sql('i.definition_key') },
};

/**
 * A task's department: a department offered the task (candidate group = department code),
 * else the department its instance's record was routed to, else the assignee's department.
 */
const TASK_DEPARTMENT = `COALESCE(
  (SELECT td.code FROM departments td WHERE td.code = ANY (t.candidate_groups) ORDER BY td.code LIMIT 1),
  (SELECT kd.code FROM tickets tk JOIN departments kd ON kd.id = tk.department_id
    WHERE tk.instance_id = t.instance_id ORDER BY tk.routed_at DESC LIMIT 1),
  (SELECT ad.code FROM users au JOIN department_members am ON am.user_id = au.id JOIN departments ad ON ad.id = am.department_id
    WHERE au.username = COALESCE(t.assignee, t.completed_by) ORDER BY ad.code LIMIT 1))`;

/** Completed after its due time, or still open past it. */
const SLA_BREACHED = `(t.due_at IS NOT NULL AND ((t.status = 'completed' AND t.ended_at > t.due_at) OR (t.status = 'open' AND now() > t.due_at)))`;

export const TASK_FIELDS: Record<string, Omit<ChartField, 'name'>> = {
  elementId: { kind: 'text', expr: sql('t.element_id') },
  name: { kind: 'text', expr: sql('t.name') },
  assignee: { kind: 'text', expr: sql('COALESCE(t.assignee, t.completed_by)') },
  department: { kind: 'text', expr: sql(`(${TASK_DEPARTMENT})`), department: true },
  status: { kind: 'text', expr: sql('t.status') },
  createdAt: { kind: 'date', expr: sql('t.created_at') },
  completedAt: { kind: 'date', expr: sql(`(CASE WHEN t.status = 'completed' THEN t.ended_at END)`) },
  dueAt: { kind: 'date', expr: sql('t.due_at') },
  durationSeconds: { kind: 'number', expr: sql(`(${seconds('t.created_at', 't.ended_at')})`) },
  slaBreached: { kind: 'boolean', expr: sql(SLA_BREACHED) },
  definitionKey: { kind: 'text', expr: sql('i.definition_key') },
  instanceStatus: { kind: 'text', expr: sql('i.status') },
};

export function fixedField(table: Record<string, Omit<ChartField, 'name'>>, name: string): ChartField | undefined {
  return Object.hasOwn(table, name) ? { name, ...table[name]! } : undefined;
}
