/** Users and their department memberships, as rows and as the API sees them. */
import type { Knex } from 'knex';
import { preparedName } from '../db/prepared.ts';
import type { AuthUser, Role } from '../identity/types.ts';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  role: Role;
  locale: string;
  active: boolean;
  departmentIds: string[];
  /** Role codes given beside the system role (`user_roles`). */
  roles: string[];
  createdAt: string;
}

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string;
  role: Role;
  locale: string;
  active: boolean;
  created_at: Date;
}

export interface NewUser {
  username: string;
  displayName: string;
  email?: string | null;
  passwordHash: string;
  role: Role;
  locale?: string;
}

export interface UserPatch {
  displayName?: string;
  email?: string | null;
  passwordHash?: string;
  role?: Role;
  locale?: string;
  active?: boolean;
}

/** Memberships of the given users: user id → [{id, code}] of their departments. */
async function membershipsOf(db: Knex, userIds: string[]): Promise<Map<string, { id: string; code: string }[]>> {
  const rows: { user_id: string; id: string; code: string }[] = userIds.length
    ? await db('department_members as m')
        .join('departments as d', 'd.id', 'm.department_id')
        .whereIn('m.user_id', userIds)
        .orderBy('d.code')
        .select('m.user_id', 'd.id', 'd.code')
    : [];
  const byUser = new Map<string, { id: string; code: string }[]>();
  for (const row of rows) {
    const list = byUser.get(row.user_id) ?? [];
    list.push({ id: row.id, code: row.code });
    byUser.set(row.user_id, list);
  }
  return byUser;
}

/** Extra roles (`user_roles`) of the given users. */
async function rolesOf(db: Knex, userIds: string[]): Promise<Map<string, string[]>> {
  const rows: { user_id: string; role_code: string }[] = userIds.length
    ? await db('user_roles').whereIn('user_id', userIds).orderBy('role_code').select('user_id', 'role_code')
    : [];
  const byUser = new Map<string, string[]>();
  for (const row of rows) byUser.set(row.user_id, [...(byUser.get(row.user_id) ?? []), row.role_code]);
  return byUser;
}

/** Replaces the roles a user holds beside the system role. */
export async function replaceRolesOfUser(db: Knex, userId: string, codes: string[]): Promise<void> {
  await db('user_roles').where({ user_id: userId }).delete();
  if (codes.length) await db('user_roles').insert(codes.map((role_code) => ({ user_id: userId, role_code }))).onConflict(['user_id', 'role_code']).ignore();
}

/** Codes among `codes` that name no role. */
export async function missingRoleCodes(db: Knex, codes: string[]): Promise<string[]> {
  const found = new Set<string>(codes.length ? await db('roles').whereIn('code', codes).pluck('code') : []);
  return codes.filter((code) => !found.has(code));
}

function toView(row: UserRow, departments: { id: string }[], roles: string[] = []): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    locale: row.locale,
    active: row.active,
    departmentIds: departments.map((d) => d.id),
    roles,
    createdAt: row.created_at.toISOString(),
  };
}

/** The credentials row for a login; includes inactive users so the caller decides. */
export async function findUserForLogin(
  db: Knex,
  username: string,
): Promise<{ id: string; passwordHash: string; active: boolean } | undefined> {
  const row: UserRow | undefined = await db('users').where({ username }).first();
  return row && { id: row.id, passwordHash: row.password_hash, active: row.active };
}

// Every request runs it: prepared per connection (db/prepared.ts), so its columns are listed.
const AUTH_USER_OF_SESSION = `SELECT u.id, u.username, u.display_name, u.role, u.locale, u.active, s.expires_at AS session_expires_at,
       COALESCE((SELECT json_agg(json_build_object('id', d.id, 'code', d.code) ORDER BY d.code)
                   FROM department_members m JOIN departments d ON d.id = m.department_id
                  WHERE m.user_id = u.id), '[]'::json) AS auth_departments,
       COALESCE((SELECT array_agg(r.role_code ORDER BY r.role_code)
                   FROM user_roles r WHERE r.user_id = u.id AND r.role_code <> u.role), '{}'::text[]) AS auth_roles
  FROM sessions s JOIN users u ON u.id = s.user_id
 WHERE s.token_hash = ? AND s.expires_at > now() AND u.active`;
const AUTH_USER_OF_SESSION_NAME = preparedName(AUTH_USER_OF_SESSION);

/**
 * The signed-in user of a live session, in one statement: every authenticated request pays it,
 * so the session, the user, their departments and their extra roles come back in one round trip
 * (four before). Same answer as `loadAuthUser` of the session's user.
 */
/** The signed-in user of a live session with the session's expiry (the session cache keeps an answer no longer than that). */
export async function authSessionOf(db: Knex, tokenHash: string): Promise<{ user: AuthUser; expiresAt: Date } | undefined> {
  const { rows } = await db.raw(AUTH_USER_OF_SESSION, [tokenHash]).options({ name: AUTH_USER_OF_SESSION_NAME });
  const row = rows[0] as
    | (UserRow & { auth_departments: { id: string; code: string }[]; auth_roles: string[]; session_expires_at: Date })
    | undefined;
  return row ? { user: toAuthUser(row, row.auth_departments, row.auth_roles), expiresAt: row.session_expires_at } : undefined;
}

function toAuthUser(row: UserRow, departments: { id: string; code: string }[], extraRoles: string[]): AuthUser {
  const roles = [row.role, ...extraRoles];
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    locale: row.locale,
    departmentIds: departments.map((d) => d.id),
    roles,
    // Roles first, then department codes: the candidate groups BPMN models name.
    groups: [...new Set([...roles, ...departments.map((d) => d.code)])],
  };
}

export async function loadAuthUser(db: Knex, id: string): Promise<AuthUser | undefined> {
  const row: UserRow | undefined = await db('users').where({ id, active: true }).first();
  if (!row) return undefined;
  const departments = (await membershipsOf(db, [row.id])).get(row.id) ?? [];
  const extraRoles: string[] = await db('user_roles').where({ user_id: row.id }).whereNot({ role_code: row.role }).orderBy('role_code').pluck('role_code');
  return toAuthUser(row, departments, extraRoles);
}

export async function listUsers(db: Knex): Promise<UserView[]> {
  const rows: UserRow[] = await db('users').orderBy('username');
  const memberships = await membershipsOf(db, rows.map((r) => r.id));
  const roles = await rolesOf(db, rows.map((r) => r.id));
  return rows.map((row) => toView(row, memberships.get(row.id) ?? [], roles.get(row.id) ?? []));
}

export async function getUser(db: Knex, id: string): Promise<UserView | undefined> {
  const row: UserRow | undefined = await db('users').where({ id }).first();
  if (!row) return undefined;
  return toView(row, (await membershipsOf(db, [id])).get(id) ?? [], (await rolesOf(db, [id])).get(id) ?? []);
}

export async function insertUser(db: Knex, user: NewUser): Promise<string> {
  const [row] = await db('users')
    .insert({
      username: user.username,
      display_name: user.displayName,
      email: user.email ?? null,
      password_hash: user.passwordHash,
      role: user.role,
      ...(user.locale ? { locale: user.locale } : {}),
    })
    .returning('id');
  return row.id as string;
}

/** Applies the given fields; false when no such user. */
export async function updateUser(db: Knex, id: string, patch: UserPatch): Promise<boolean> {
  const columns: Record<string, unknown> = {};
  if (patch.displayName !== undefined) columns.display_name = patch.displayName;
  if (patch.email !== undefined) columns.email = patch.email;
  if (patch.passwordHash !== undefined) columns.password_hash = patch.passwordHash;
  if (patch.role !== undefined) columns.role = patch.role;
  if (patch.locale !== undefined) columns.locale = patch.locale;
  if (patch.active !== undefined) columns.active = patch.active;
  if (Object.keys(columns).length === 0) return Boolean(await db('users').where({ id }).first('id'));
  return (await db('users').where({ id }).update(columns)) > 0;
}

export async function countActiveAdmins(db: Knex): Promise<number> {
  const [{ count }] = await db('users').where({ role: 'admin', active: true }).count({ count: '*' });
  return Number(count);
}

export async function countUsers(db: Knex): Promise<number> {
  const [{ count }] = await db('users').count({ count: '*' });
  return Number(count);
}

/** Ids among `ids` that name no user. */
export async function missingUserIds(db: Knex, ids: string[]): Promise<string[]> {
  const found = new Set<string>(ids.length ? await db('users').whereIn('id', ids).pluck('id') : []);
  return ids.filter((id) => !found.has(id));
}

// ---- approver resolution (engine/approval/assignees.ts) ------------------------------

/** Which of `usernames` are active users (unknown and inactive ones are left out). */
export async function activeUsernamesAmong(db: Knex, usernames: string[]): Promise<Set<string>> {
  if (usernames.length === 0) return new Set();
  return new Set<string>(await db('users').whereIn('username', usernames).andWhere({ active: true }).pluck('username'));
}

/** Active users of a role (the system role or one given in `user_roles`), by username. */
export async function activeUsernamesOfRole(db: Knex, role: string): Promise<string[]> {
  return db('users')
    .where({ active: true })
    .andWhere((q) => q.where({ role }).orWhereExists(db('user_roles').whereRaw('user_roles.user_id = users.id').andWhere({ role_code: role })))
    .orderBy('username')
    .pluck('username');
}

/** A user's id and whether they are active, by username. */
export async function userByUsername(db: Knex, username: string): Promise<{ id: string; active: boolean } | undefined> {
  const row = await db('users').where({ username }).first('id', 'active');
  return row && { id: row.id as string, active: row.active as boolean };
}
