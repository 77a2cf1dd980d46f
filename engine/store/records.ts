/**
 * Form records (JSONB). Queries take a parsed `RecordQuery` whose field paths were checked
 * against the form schema (and whose option labels were already turned into stored values);
 * every value and path segment reaches SQL as a binding.
 */
import type { Knex } from 'knex';
import type { FieldKind, RecordFilter, RecordQuery, RecordSort } from '../forms/query.ts';
import { decryptPersonal, encryptPersonal } from '../privacy/crypto.ts';
import { personalFieldsOf } from '../privacy/formFields.ts';

export interface RecordView {
  id: string;
  formKey: string;
  formVersion: number;
  data: Record<string, unknown>;
  instanceId: string | null;
  createdAt: string;
  createdBy: string | null;
  updatedAt: string;
  updatedBy: string | null;
}

interface RecordRow {
  id: string;
  form_key: string;
  form_version: number;
  data: Record<string, unknown>;
  instance_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_by: string | null;
  updated_at: Date;
}

/** The JSON text to store for a record of this form version: its personal fields encrypted. */
export async function storedRecordData(db: Knex, formKey: string, formVersion: number, data: unknown): Promise<string> {
  return JSON.stringify(encryptPersonal(await personalFieldsOf(db, formKey, formVersion), data));
}

function toView(row: RecordRow): RecordView {
  return {
    id: row.id,
    formKey: row.form_key,
    formVersion: row.form_version,
    // Personal values are stored encrypted (engine/privacy/crypto.ts): callers see them clear.
    data: decryptPersonal(row.data),
    instanceId: row.instance_id,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

export async function insertRecord(
  db: Knex,
  record: { formKey: string; formVersion: number; data: unknown; createdBy: string | null },
): Promise<RecordView> {
  const [row] = await db('records')
    .insert({
      form_key: record.formKey,
      form_version: record.formVersion,
      data: await storedRecordData(db, record.formKey, record.formVersion, record.data),
      created_by: record.createdBy,
      updated_by: record.createdBy,
    })
    .returning('*');
  return toView(row);
}

export async function getRecord(db: Knex, formKey: string, id: string): Promise<RecordView | undefined> {
  const row: RecordRow | undefined = await db('records').where({ form_key: formKey, id }).first();
  return row && toView(row);
}

export async function updateRecord(
  db: Knex,
  formKey: string,
  id: string,
  change: { formVersion: number; data: unknown; updatedBy: string },
): Promise<RecordView | undefined> {
  const [row] = await db('records')
    .where({ form_key: formKey, id })
    .update({
      form_version: change.formVersion,
      data: await storedRecordData(db, formKey, change.formVersion, change.data),
      updated_by: change.updatedBy,
      updated_at: db.fn.now(),
    })
    .returning('*');
  return row && toView(row);
}

export async function deleteRecord(db: Knex, formKey: string, id: string): Promise<boolean> {
  return (await db('records').where({ form_key: formKey, id }).delete()) > 0;
}

export async function countRecords(db: Knex, formKey: string): Promise<number> {
  const [{ count }] = await db('records').where({ form_key: formKey }).count({ count: '*' });
  return Number(count);
}

/** Flow forms: the process instance started from this record (engine/forms/flowForms.ts). */
export async function linkRecordToInstance(db: Knex, id: string, instanceId: string): Promise<void> {
  await db('records').where({ id }).update({ instance_id: instanceId });
}

export async function recordOfInstance(db: Knex, instanceId: string): Promise<RecordView | undefined> {
  const row: RecordRow | undefined = await db('records').where({ instance_id: instanceId }).first();
  return row && toView(row);
}

/** The process moved the record on: its new data, changed by the user (by username) who acted. */
export async function setRecordDataFromProcess(db: Knex, id: string, data: unknown, actor: string | null): Promise<void> {
  const form = await db('records').where({ id }).first('form_key', 'form_version');
  if (!form) return;
  await db('records')
    .where({ id })
    .update({
      data: await storedRecordData(db, form.form_key, form.form_version, data),
      updated_at: db.fn.now(),
      ...(actor ? { updated_by: db.raw('(SELECT id FROM users WHERE username = ?)', [actor]) } : {}),
    });
}

/** `ARRAY[?, ?]::text[]` for a field path: only the placeholder count comes from the input. */
function pathArray(path: string[]): string {
  return `ARRAY[${path.map(() => '?').join(', ')}]::text[]`;
}

/** SQL for the field's value as text, number (NULL unless a JSON number), instant (date fields) or jsonb. */
function fieldExpression(path: string[], kind: FieldKind): { sql: string; bindings: string[] } {
  const array = pathArray(path);
  if (kind === 'number') {
    // CASE keeps the cast from failing on a record whose field holds text (an older version).
    return {
      sql: `(CASE WHEN jsonb_typeof(data #> ${array}) = 'number' THEN (data #>> ${array})::numeric END)`,
      bindings: [...path, ...path],
    };
  }
  // NULL for a value that is not a date, so one bad value cannot fail the page (migration 034).
  if (kind === 'date') return { sql: `liuzhuan_try_timestamptz(data #>> ${array})`, bindings: path };
  if (kind === 'boolean' || kind === 'choices') return { sql: `(data #> ${array})`, bindings: path };
  return { sql: `(data #>> ${array})`, bindings: path };
}

function placeholderFor(kind: FieldKind): string {
  if (kind === 'number') return '?::numeric';
  if (kind === 'boolean') return 'to_jsonb(?::boolean)';
  if (kind === 'date') return 'liuzhuan_try_timestamptz(?)';
  return '?';
}

const COMPARATORS = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** A checkbox list holding any of the values: one containment test per value. */
function holdsAny(filter: RecordFilter): { sql: string; bindings: Knex.RawBinding[] } {
  if (filter.values.length === 0) return { sql: 'FALSE', bindings: [] };
  const field = fieldExpression(filter.path, 'choices');
  const tests = filter.values.map(() => `${field.sql} @> ?::jsonb`);
  return {
    sql: `(${tests.join(' OR ')})`,
    bindings: filter.values.flatMap((value) => [...field.bindings, JSON.stringify([value])]),
  };
}

function applyFilter(query: Knex.QueryBuilder, filter: RecordFilter): void {
  if (filter.kind === 'choices') {
    const any = holdsAny(filter);
    // A record without the list does not hold the value either.
    if (filter.op === 'notIn') query.whereRaw(`NOT COALESCE(${any.sql}, FALSE)`, any.bindings);
    else query.whereRaw(any.sql, any.bindings);
    return;
  }
  if (filter.op === 'blindIndex') {
    // A personal field: `{"$enc": …, "$bi": …}`; one index per configured key (rows not yet rotated).
    const array = pathArray(filter.path);
    query.whereRaw(`(data #> ${array}) ->> '$bi' IN (${filter.values.map(() => '?').join(', ')})`, [...filter.path, ...filter.values]);
    return;
  }
  const field = fieldExpression(filter.path, filter.kind);
  const value = placeholderFor(filter.kind);
  const list = filter.values.map(() => value).join(', ');
  switch (filter.op) {
    case 'ne':
      // A record without the field is "not equal" too.
      query.whereRaw(`${field.sql} IS DISTINCT FROM ${value}`, [...field.bindings, filter.values[0]]);
      return;
    case 'notIn':
      if (filter.values.length) query.whereRaw(`(${field.sql} IS NULL OR ${field.sql} NOT IN (${list}))`, [...field.bindings, ...field.bindings, ...filter.values]);
      return;
    case 'contains': {
      const text = fieldExpression(filter.path, 'text');
      const escaped = String(filter.values[0]).replace(/[\\%_]/g, (c) => `\\${c}`);
      query.whereRaw(`${text.sql} ILIKE ? ESCAPE '\\'`, [...text.bindings, `%${escaped}%`]);
      return;
    }
    case 'in':
      if (filter.values.length === 0) query.whereRaw('FALSE');
      else query.whereRaw(`${field.sql} IN (${list})`, [...field.bindings, ...filter.values]);
      return;
    default:
      query.whereRaw(`${field.sql} ${COMPARATORS[filter.op]} ${value}`, [...field.bindings, filter.values[0]]);
  }
}

const SORT_COLUMNS = { createdAt: 'created_at', updatedAt: 'updated_at' } as const;

function applySort(query: Knex.QueryBuilder, sort: RecordSort): void {
  const direction = sort.descending ? 'DESC' : 'ASC';
  if (sort.column) {
    query.orderBy(SORT_COLUMNS[sort.column], sort.descending ? 'desc' : 'asc');
    return;
  }
  const kind = sort.kind === 'number' || sort.kind === 'date' ? sort.kind : 'text';
  const field = fieldExpression(sort.path!, kind);
  query.orderByRaw(`${field.sql} ${direction} NULLS LAST`, field.bindings);
}

export async function queryRecords(
  db: Knex,
  formKey: string,
  query: RecordQuery,
  /** An extra condition on `records` (who may see which rows), already bound. */
  visible?: { sql: string; bindings: Knex.RawBinding[] },
): Promise<{ items: RecordView[]; total: number }> {
  const base = db('records').where({ form_key: formKey });
  if (visible) base.whereRaw(visible.sql, visible.bindings);
  for (const filter of query.filters) applyFilter(base, filter);
  const [{ count }] = await base.clone().count({ count: '*' });
  const page = base.clone().select('*');
  for (const sort of query.sort) applySort(page, sort);
  // A stable order across pages even when sort values tie.
  page.orderBy('id', 'asc');
  const rows: RecordRow[] = await page.limit(query.pageSize).offset((query.page - 1) * query.pageSize);
  return { items: rows.map(toView), total: Number(count) };
}

/** The next `limit` records of the form after `after`, in id order (a scheduled tick's walk). */
export async function recordsAfter(db: Knex, formKey: string, after: string | null, limit: number): Promise<RecordView[]> {
  const query = db('records').where({ form_key: formKey }).orderBy('id').limit(limit);
  if (after) query.where('id', '>', after);
  return ((await query) as RecordRow[]).map(toView);
}
