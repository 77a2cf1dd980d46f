/**
 * The one place chart sources apply the caller's data permissions.
 *
 * - Records (issue 14, engine/access): the rows the caller may `view` (`rowCondition` over the
 *   alias `records`: permission groups, or the implicit default, plus the records of
 *   instances they are involved in), and only the fields `queryableFields` allows in
 *   group-bys, filters and aggregations. Detail rows are shaped like the record list's
 *   (`shapeRecord`: invisible fields dropped, personal ones masked).
 * - Process sources: admins everything; others the instances they may read
 *   (engine/identity/instanceAccess.ts): involved in, or head of an involved department
 *   (the starter's, a worker's, a department offered a task, the routed one) — which is how
 *   a department head's board is scoped to their department.
 */
import type { Knex } from 'knex';
import { formAccess, queryableFields, resolveRows, rowCondition, shapeRecord, type FormAccess } from '../access/index.ts';
import { involvementCondition } from '../identity/instanceAccess.ts';
import type { AuthUser } from '../identity/types.ts';
import { sql, type Sql } from './fields.ts';

export type ChartReader = AuthUser;

export interface RecordAccess {
  /** Condition over the alias `records`, or undefined when the reader sees every record of the form. */
  condition?: Sql;
  /** Top-level fields the reader may chart: '*' or a set. */
  queryable: '*' | Set<string>;
  /** The reader's access to the form (read when detail rows need shaping). */
  access: () => Promise<FormAccess>;
}

export async function recordAccess(db: Knex, reader: ChartReader, formKey: string): Promise<RecordAccess> {
  // Admins see every row and field: a chart need not read the form's permission groups.
  if (reader.role === 'admin') return { queryable: '*', access: () => formAccess(db, reader, formKey) };
  const access = await formAccess(db, reader, formKey);
  const condition = rowCondition(access, 'view');
  return {
    condition: condition.sql === 'TRUE' ? undefined : sql(`(${condition.sql})`, ...condition.bindings),
    queryable: queryableFields(access),
    access: async () => access,
  };
}

/** Detail rows as the reader may see them (`createdById` is dropped on the way out). */
export async function shapeDetailRows(db: Knex, access: FormAccess, rows: Record<string, any>[]): Promise<unknown[]> {
  const records = rows.map((row) => ({ id: row.id as string, createdBy: row.createdById as string | null }));
  await resolveRows(db, access, records);
  return rows.map(({ createdById, data, row: item, ...rest }) => {
    const shaped = shapeRecord(access, { id: rest.id, createdBy: createdById, data: data ?? {} });
    const out: Record<string, unknown> = { ...rest, data: shaped.data };
    if (item !== undefined) out.row = item;
    return out;
  });
}

/** Condition over an instance id expression (`i.id`, `t.instance_id`), or undefined for admins. */
export function instanceCondition(reader: ChartReader, instanceIdSql: string): Sql | undefined {
  if (reader.role === 'admin') return undefined;
  const involved = involvementCondition(instanceIdSql, reader);
  return sql(involved.sql, ...involved.bindings);
}
