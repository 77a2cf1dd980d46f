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

/** Active members of the departments with these codes, by username (each once). */
export async function activeMemberUsernames(db: Knex, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  return db('department_members as m')
    .join('departments as d', 'd.id', 'm.department_id')
    .join('users as u', 'u.id', 'm.user_id')
    .whereIn('d.code', codes)
    .andWhere('u.active', true)
    .distinct('u.username')
    .orderBy('u.username')
    .pluck('u.username');
}

/**
 * The heads above `username`, nearest first, one entry per level: the head's username when
 * the head is an active user other than `username`, else null. Level 1 is the head of the
 * user's first department (by code, among those they belong to or head); when the user IS
 * that head, level 1 is the parent department's head (as Jiandaoyun does). One round trip.
 * Approver rules read level n (`submitterHead`), escalation the nearest non-null one.
 */
export async function departmentHeadChain(db: Knex, username: string): Promise<Array<string | null>> {
  const { rows } = await db.raw<{ rows: { head: string | null; is_me: boolean; depth: number }[] }>(
    `with recursive me as (
       select id from users where username = :username
     ), start as (
       select d.id, d.parent_id, d.head_user_id from departments d
       where d.head_user_id = (select id from me)
          or d.id in (select department_id from department_members where user_id = (select id from me))
       order by d.code limit 1
     ), chain as (
       select id, parent_id, head_user_id, 0 as depth from start
       union all
       select p.id, p.parent_id, p.head_user_id, chain.depth + 1
       from departments p join chain on p.id = chain.parent_id
       where chain.depth < 32
     )
     select case when u.active and u.id <> (select id from me) then u.username end as head,
            coalesce(chain.head_user_id = (select id from me), false) as is_me,
            chain.depth
     from chain left join users u on u.id = chain.head_user_id
     order by chain.depth`,
    { username },
  );
  const levels = rows[0]?.is_me ? rows.slice(1) : rows;
  return levels.map((row) => row.head);
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

/** Active heads of the departments with these codes, by username (each once, in code order). */
export async function activeHeadUsernames(db: Knex, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows: Array<{ username: string }> = await db('departments as d')
    .join('users as u', 'u.id', 'd.head_user_id')
    .whereIn('d.code', codes)
    .andWhere('u.active', true)
    .orderBy('d.code')
    .select('u.username');
  return [...new Set(rows.map((row) => row.username))];
}

/**
 * The code of `username`'s own department: the first by code among those they belong to or
 * head — the same department `departmentHeadChain` starts from. Undefined when they have none.
 */
export async function primaryDepartmentCode(db: Knex, username: string): Promise<string | undefined> {
  const { rows } = await db.raw<{ rows: Array<{ code: string }> }>(
    `select d.code from departments d join users u on u.username = :username
      where d.head_user_id = u.id
         or exists (select 1 from department_members m where m.department_id = d.id and m.user_id = u.id)
      order by d.code limit 1`,
    { username },
  );
  return rows[0]?.code;
}
