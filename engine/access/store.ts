/** Rows of `permission_groups` and `form_access` (migration 037). */
import type { Knex } from 'knex';
import { EMPTY_MEMBERS, type GroupFields, type GroupFilter, type GroupMembers, type PermissionGroup, type PermissionGroupInput, type RecordAction } from './types.ts';

interface GroupRow {
  id: string;
  form_key: string;
  name: string;
  name_en: string | null;
  position: number;
  members: Partial<GroupMembers>;
  actions: RecordAction[];
  fields: GroupFields;
  filter: GroupFilter | null;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

function toGroup(row: GroupRow): PermissionGroup {
  return {
    id: row.id,
    formKey: row.form_key,
    name: row.name,
    nameEn: row.name_en,
    position: row.position,
    members: { ...EMPTY_MEMBERS, ...row.members },
    actions: row.actions,
    fields: { visible: row.fields?.visible ?? '*', editable: row.fields?.editable ?? '*' },
    filter: row.filter ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    updatedBy: row.updated_by,
  };
}

export async function listGroups(db: Knex, formKey: string): Promise<PermissionGroup[]> {
  const rows: GroupRow[] = await db('permission_groups').where({ form_key: formKey }).orderBy([{ column: 'position' }, { column: 'created_at' }, { column: 'id' }]);
  return rows.map(toGroup);
}

export async function getGroup(db: Knex, formKey: string, id: string): Promise<PermissionGroup | undefined> {
  const row: GroupRow | undefined = await db('permission_groups').where({ form_key: formKey, id }).first();
  return row && toGroup(row);
}

export async function countGroups(db: Knex, formKey: string): Promise<number> {
  const [{ count }] = await db('permission_groups').where({ form_key: formKey }).count({ count: '*' });
  return Number(count);
}

function columns(input: PermissionGroupInput) {
  return {
    name: input.name,
    name_en: input.nameEn ?? null,
    members: JSON.stringify({ ...EMPTY_MEMBERS, ...input.members }),
    actions: input.actions,
    fields: JSON.stringify(input.fields),
    filter: input.filter ? JSON.stringify(input.filter) : null,
  };
}

export async function insertGroup(db: Knex, formKey: string, input: PermissionGroupInput, by: string | null): Promise<PermissionGroup> {
  const position =
    input.position ?? Number((await db('permission_groups').where({ form_key: formKey }).max({ max: 'position' }).first())?.max ?? -1) + 1;
  const [row] = await db('permission_groups')
    .insert({ form_key: formKey, position, ...columns(input), updated_by: by })
    .returning('*');
  return toGroup(row);
}

export async function updateGroup(db: Knex, formKey: string, id: string, input: PermissionGroupInput, by: string | null): Promise<PermissionGroup | undefined> {
  const [row] = await db('permission_groups')
    .where({ form_key: formKey, id })
    .update({ ...columns(input), ...(input.position !== undefined ? { position: input.position } : {}), updated_by: by, updated_at: db.fn.now() })
    .returning('*');
  return row && toGroup(row);
}

export async function deleteGroup(db: Knex, formKey: string, id: string): Promise<PermissionGroup | undefined> {
  const [row] = await db('permission_groups').where({ form_key: formKey, id }).delete().returning('*');
  return row && toGroup(row);
}

/** The configured owner field of a form (null: none configured). */
export async function configuredOwnerField(db: Knex, formKey: string): Promise<string | null | undefined> {
  const row = await db('form_access').where({ form_key: formKey }).first('owner_field');
  return row ? (row.owner_field as string | null) : undefined;
}

export async function saveOwnerField(db: Knex, formKey: string, ownerField: string | null): Promise<void> {
  await db('form_access').insert({ form_key: formKey, owner_field: ownerField }).onConflict('form_key').merge();
}

/** Department ids the user heads, and every department below those. */
export async function headedDepartmentIds(db: Knex, userId: string): Promise<string[]> {
  const { rows } = await db.raw(
    `WITH RECURSIVE headed AS (
       SELECT id FROM departments WHERE head_user_id = ?
       UNION SELECT d.id FROM departments d JOIN headed h ON d.parent_id = h.id
     ) SELECT id FROM headed`,
    [userId],
  );
  return rows.map((r: { id: string }) => r.id);
}
