/**
 * A chart source as SQL: its FROM clause, the conditions every query over it carries (the
 * form, the definition, the caller's permissions) and the fields it offers.
 *
 * - records: `FROM records`; with `subForm`, one row per element of that array field
 *   (`jsonb_array_elements`), its fields read from the element and the record's own fields
 *   as `_parent.<field>`; with `latestPer`, only each group's latest record.
 * - instances: `FROM process_instances i`; tasks: `FROM tasks t JOIN process_instances i`.
 */
import type { Knex } from 'knex';
import { NotFoundError } from '../errors.ts';
import { getFormVersion } from '../store/forms.ts';
import { instanceCondition, recordAccess, type ChartReader, type RecordAccess } from './access.ts';
import {
  fixedField, formField, INSTANCE_FIELDS, RECORD_SYSTEM_FIELDS, sql, TASK_FIELDS, FIELD_SEGMENT,
  type ChartField, type DateReading, type Sql,
} from './fields.ts';
import { propertySchema } from '../forms/query.ts';
import { invalidQuery, type ChartSource } from './query.ts';

export interface SourcePlan {
  kind: ChartSource['kind'];
  from: Sql;
  where: Sql[];
  /** The field by name, or why it cannot be used. */
  field(name: string): ChartField | string;
  /** Columns of one detail row (drill-down), as `SELECT` list pieces. */
  detailColumns: Sql;
  /** The default detail order (newest first). */
  detailOrder: string;
  /** Records only: the reader's access, to shape detail rows. */
  records?: RecordAccess;
  /** What `$me` and `$myDepartments` in filter values stand for; departments 'all' for admins. */
  viewer: { username: string; departments: string[] | 'all' };
}

/**
 * Codes of the departments the reader belongs to or heads, with every department below the
 * headed ones: a head's "my departments" is their part of the organisation chart.
 */
async function viewerOf(db: Knex, reader: ChartReader): Promise<SourcePlan['viewer']> {
  if (reader.role === 'admin') return { username: reader.username, departments: 'all' };
  const { rows } = await db.raw(
    `WITH RECURSIVE headed AS (
       SELECT id FROM departments WHERE head_user_id = ?
       UNION SELECT c.id FROM departments c JOIN headed h ON c.parent_id = h.id
     ) SELECT code FROM departments WHERE id IN (SELECT id FROM headed) OR id = ANY (CAST(? AS uuid[])) ORDER BY code`,
    [reader.id, reader.departmentIds],
  );
  return { username: reader.username, departments: rows.map((row: { code: string }) => row.code) };
}

type Schema = Record<string, any>;

const PARENT = '_parent.';

async function recordSource(db: Knex, reader: ChartReader, source: Extract<ChartSource, { kind: 'records' }>, dates: DateReading): Promise<Omit<SourcePlan, 'viewer'>> {
  const form = await getFormVersion(db, source.formKey);
  if (!form) throw new NotFoundError(`No form "${source.formKey}"`);
  const schema = form.schema as Schema;
  const uiSchema = form.uiSchema as Schema;
  const rights = await recordAccess(db, reader, source.formKey);
  const access = rights.condition;
  const where: Sql[] = [sql('records.form_key = ?', source.formKey)];
  if (access) where.push(access);
  /** A field the reader's permission groups hide answers like one that does not exist. */
  const hidden = (name: string) => rights.queryable !== '*' && !rights.queryable.has(name.split('.')[0]!);

  const recordField = (name: string): ChartField | string => {
    if (name.startsWith('_')) {
      const system = fixedField(RECORD_SYSTEM_FIELDS, name);
      if (system) return system;
    }
    if (hidden(name)) return `the form has no field "${name}" you may chart`;
    return formField('records.data', schema, uiSchema, name, dates);
  };

  if (source.latestPer) {
    const group = recordField(source.latestPer.field);
    if (typeof group === 'string') throw invalidQuery('/source/latestPer/field', group);
    const by = recordField(source.latestPer.by);
    if (typeof by === 'string') throw invalidQuery('/source/latestPer/by', by);
    // Same alias inside: the permission condition is written over `records`.
    const inner = [sql('records.form_key = ?', source.formKey), ...(access ? [access] : [])];
    // The group and order expressions are computed once below: DISTINCT ON must match ORDER BY exactly.
    where.push(sql(
      `records.id IN (SELECT DISTINCT ON (lp.g) lp.id FROM (
         SELECT records.id, ${group.expr.sql} AS g, ${by.expr.sql} AS b, records.created_at AS c
           FROM records WHERE ${inner.map((c) => c.sql).join(' AND ')}) lp
        ORDER BY lp.g, lp.b DESC NULLS LAST, lp.c DESC)`,
      ...group.expr.bindings, ...by.expr.bindings, ...inner.flatMap((c) => c.bindings),
    ));
  }

  const recordDetail = sql(`records.id, records.data, records.created_by AS "createdById", records.instance_id AS "instanceId", records.created_at AS "createdAt",
    records.updated_at AS "updatedAt", (SELECT du.username FROM users du WHERE du.id = records.created_by) AS "createdBy"`);

  if (!source.subForm) {
    return { kind: 'records', from: sql('records'), where, field: recordField, detailColumns: recordDetail, detailOrder: 'records.created_at DESC, records.id', records: rights };
  }

  const subPath = source.subForm.split('.');
  if (!subPath.every((segment) => FIELD_SEGMENT.test(segment))) throw invalidQuery('/source/subForm', `"${source.subForm.slice(0, 60)}" is not a field name`);
  let sub: Schema | undefined = schema;
  let subUi: Schema | undefined = uiSchema;
  for (const segment of subPath) {
    sub = propertySchema(sub, segment);
    subUi = subUi?.[segment];
  }
  if (hidden(source.subForm)) throw invalidQuery('/source/subForm', `the form has no sub-form "${source.subForm}" you may chart`);
  if (!sub || sub.type !== 'array' || !sub.items || sub.items.type !== 'object') {
    throw invalidQuery('/source/subForm', `the form has no sub-form (array of objects) "${source.subForm}"`);
  }
  const itemSchema = sub.items as Schema;
  const itemUi = subUi?.items as Schema | undefined;
  const from = sql(
    `records CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(records.data #> CAST(? AS text[])) = 'array'
       THEN records.data #> CAST(? AS text[]) ELSE '[]'::jsonb END) WITH ORDINALITY AS item(value, position)`,
    subPath, subPath,
  );
  return {
    kind: 'records',
    from,
    where,
    field: (name) => {
      if (name.startsWith(PARENT)) {
        const parent = recordField(name.slice(PARENT.length));
        return typeof parent === 'string' ? parent : { ...parent, name };
      }
      return formField('item.value', itemSchema, itemUi, name, dates);
    },
    detailColumns: sql(`${recordDetail.sql}, item.value AS row, item.position AS "rowNumber"`),
    detailOrder: 'records.created_at DESC, records.id, item.position',
    records: rights,
  };
}

function processSource(reader: ChartReader, source: Extract<ChartSource, { kind: 'instances' | 'tasks' }>): Omit<SourcePlan, 'viewer'> {
  const where: Sql[] = [];
  if (source.definitionKey) where.push(sql('i.definition_key = ?', source.definitionKey));
  if (source.kind === 'instances') {
    const access = instanceCondition(reader, 'i.id');
    if (access) where.push(access);
    return {
      kind: 'instances',
      from: sql('process_instances i'),
      where,
      field: (name) => fixedField(INSTANCE_FIELDS, name) ?? `instances have no field "${name}"; use one of ${Object.keys(INSTANCE_FIELDS).join(', ')}`,
      detailColumns: sql(`i.id, i.definition_key AS "definitionKey", i.business_key AS "businessKey", i.status,
        i.started_by AS "startedBy", i.started_at AS "startedAt", i.ended_at AS "endedAt"`),
      detailOrder: 'i.started_at DESC, i.id',
    };
  }
  const access = instanceCondition(reader, 't.instance_id');
  if (access) where.push(access);
  return {
    kind: 'tasks',
    from: sql('tasks t JOIN process_instances i ON i.id = t.instance_id'),
    where,
    field: (name) => fixedField(TASK_FIELDS, name) ?? `tasks have no field "${name}"; use one of ${Object.keys(TASK_FIELDS).join(', ')}`,
    detailColumns: sql(`t.id, t.instance_id AS "instanceId", i.definition_key AS "definitionKey", t.element_id AS "elementId", t.name,
      COALESCE(t.assignee, t.completed_by) AS assignee, t.status, t.created_at AS "createdAt", t.ended_at AS "endedAt", t.due_at AS "dueAt"`),
    detailOrder: 't.created_at DESC, t.id',
  };
}

/** `dates`: how record dates are read (fields.ts, DateReading); run.ts retries with 'safe'. */
export async function planSource(db: Knex, reader: ChartReader, source: ChartSource, dates: DateReading = 'fast'): Promise<SourcePlan> {
  const plan = source.kind === 'records' ? await recordSource(db, reader, source, dates) : processSource(reader, source);
  return { ...plan, viewer: await viewerOf(db, reader) };
}
