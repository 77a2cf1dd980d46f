/** Departments (code, names, parent, head) and their members. */
import type { Knex } from 'knex';

export interface DepartmentView {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  parentId: string | null;
  headUserId: string | null;
  memberIds: string[];
}

export interface NewDepartment {
  code: string;
  name: string;
  nameEn?: string | null;
  parentId?: string | null;
  headUserId?: string | null;
}

interface DepartmentRow {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  parent_id: string | null;
  head_user_id: string | null;
}

async function views(db: Knex, rows: DepartmentRow[]): Promise<DepartmentView[]> {
  const ids = rows.map((r) => r.id);
  const members: { department_id: string; user_id: string }[] = ids.length
    ? await db('department_members').whereIn('department_id', ids).orderBy('user_id')
    : [];
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    parentId: row.parent_id,
    headUserId: row.head_user_id,
    memberIds: members.filter((m) => m.department_id === row.id).map((m) => m.user_id),
  }));
}

export async function listDepartments(db: Knex): Promise<DepartmentView[]> {
  return views(db, await db('departments').orderBy('code'));
}

export async function getDepartment(db: Knex, id: string): Promise<DepartmentView | undefined> {
  const row: DepartmentRow | undefined = await db('departments').where({ id }).first();
  return row && (await views(db, [row]))[0];
}

export async function findDepartmentIdByCode(db: Knex, code: string): Promise<string | undefined> {
  const row = await db('departments').where({ code }).first('id');
  return row?.id as string | undefined;
}

export async function insertDepartment(db: Knex, department: NewDepartment): Promise<string> {
  const [row] = await db('departments')
    .insert({
      code: department.code,
      name: department.name,
      name_en: department.nameEn ?? null,
      parent_id: department.parentId ?? null,
      head_user_id: department.headUserId ?? null,
    })
    .returning('id');
  return row.id as string;
}

/** Replaces the member list in one statement pair; call inside a transaction. */
export async function replaceMembers(db: Knex, departmentId: string, userIds: string[]): Promise<void> {
  await db('department_members').where({ department_id: departmentId }).delete();
  if (userIds.length) {
    await db('department_members').insert(userIds.map((user_id) => ({ department_id: departmentId, user_id })));
  }
}

/** Adds one membership unless present (first-start data). */
export async function addMember(db: Knex, departmentId: string, userId: string): Promise<void> {
  await db('department_members')
    .insert({ department_id: departmentId, user_id: userId })
    .onConflict(['department_id', 'user_id'])
    .ignore();
}

/** Makes `departmentIds` exactly the user's departments; call inside a transaction. */
export async function replaceDepartmentsOfUser(db: Knex, userId: string, departmentIds: string[]): Promise<void> {
  await db('department_members').where({ user_id: userId }).delete();
  if (departmentIds.length) {
    await db('department_members').insert(departmentIds.map((department_id) => ({ department_id, user_id: userId })));
  }
}

/** Ids among `ids` that name no department. */
export async function missingDepartmentIds(db: Knex, ids: string[]): Promise<string[]> {
  const found = new Set<string>(ids.length ? await db('departments').whereIn('id', ids).pluck('id') : []);
  return ids.filter((id) => !found.has(id));
}

// ---- approver resolution (engine/approval/assignees.ts) ------------------------------

export interface DepartmentLink {
  id: string;
  parentId: string | null;
  headUserId: string | null;
  /** The head's username when the head is an active user. */
  headUsername: string | null;
}

const linkColumns = ['d.id', 'd.parent_id', 'd.head_user_id', 'h.username as head_username'];
const toLink = (row: any): DepartmentLink => ({
  id: row.id,
  parentId: row.parent_id,
  headUserId: row.head_user_id,
  headUsername: row.head_username ?? null,
});
const withHead = (db: Knex) =>
  db('departments as d').leftJoin('users as h', function () {
    this.on('h.id', '=', 'd.head_user_id').andOn('h.active', '=', db.raw('true'));
  });

/** Active members of the department with `code`, by username. */
export async function activeMemberUsernames(db: Knex, code: string): Promise<string[]> {
  return db('department_members as m')
    .join('departments as d', 'd.id', 'm.department_id')
    .join('users as u', 'u.id', 'm.user_id')
    .where({ 'd.code': code, 'u.active': true })
    .orderBy('u.username')
    .pluck('u.username');
}

/** A user's first department (by department code, the order memberships are listed in). */
export async function firstDepartmentOf(db: Knex, userId: string): Promise<DepartmentLink | undefined> {
  const row = await withHead(db)
    .join('department_members as m', 'm.department_id', 'd.id')
    .where('m.user_id', userId)
    .orderBy('d.code')
    .first(linkColumns);
  return row && toLink(row);
}

export async function departmentLink(db: Knex, id: string): Promise<DepartmentLink | undefined> {
  const row = await withHead(db).where('d.id', id).first(linkColumns);
  return row && toLink(row);
}

export async function updateDepartment(
  db: Knex,
  id: string,
  patch: { name?: string; nameEn?: string | null; parentId?: string | null; headUserId?: string | null },
): Promise<void> {
  const row: Record<string, unknown> = {};
  if (patch.name !== undefined) row.name = patch.name;
  if (patch.nameEn !== undefined) row.name_en = patch.nameEn;
  if (patch.parentId !== undefined) row.parent_id = patch.parentId;
  if (patch.headUserId !== undefined) row.head_user_id = patch.headUserId;
  if (Object.keys(row).length) await db('departments').where({ id }).update(row);
}

/** `id` and the ids above it, nearest first; null when `id` does not exist. */
export async function departmentAncestorIds(db: Knex, id: string): Promise<string[] | null> {
  const { rows } = await db.raw<{ rows: { id: string }[] }>(
    `with recursive up(id, parent_id, depth) as (
       select id, parent_id, 0 from departments where id = ?
       union all
       select d.id, d.parent_id, up.depth + 1 from departments d join up on d.id = up.parent_id where up.depth < 100
     ) select id from up order by depth`,
    [id],
  );
  return rows.length ? rows.map((row) => row.id) : null;
}
