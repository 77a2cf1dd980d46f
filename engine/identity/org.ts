/**
 * The organisation as admins manage it: users and departments with their members. Routes
 * check the caller is an admin; this module checks the input and the invariants (unique
 * names, existing references, at least one active admin).
 */
import type { Knex } from 'knex';
import { ConflictError, NotFoundError, ValidationError, type ErrorDetail } from '../errors.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { bodyValidator } from '../forms/validator.ts';
import {
  departmentAncestorIds,
  getDepartment,
  insertDepartment,
  missingDepartmentIds,
  replaceDepartmentsOfUser,
  replaceMembers,
  updateDepartment,
  type DepartmentView,
} from '../store/departments.ts';
import { deleteSessionsOfUser } from '../store/sessions.ts';
import { countActiveAdmins, getUser, insertUser, missingRoleCodes, missingUserIds, replaceRolesOfUser, updateUser, type UserView } from '../store/users.ts';
import { hashPassword } from './password.ts';
import { assertAcceptablePassword } from './passwordPolicy.ts';
import type { Role } from './types.ts';

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Department codes share the candidate-group namespace with role names, so those are taken. */
const RESERVED_CODES = ['admin', 'staff'];
/** `system` acts for the engine itself (timeouts, see engine/approval/timeoutActions.ts): no person may hold it. */
const RESERVED_USERNAMES = ['system'];

const idList = { type: 'array', uniqueItems: true, maxItems: 1000, items: { type: 'string', format: 'uuid' } };
const userFields = {
  displayName: { type: 'string', minLength: 1, maxLength: 100 },
  email: { type: ['string', 'null'], format: 'email', maxLength: 200 },
  password: { type: 'string', minLength: 8, maxLength: 1000 },
  role: { enum: ['admin', 'staff'] },
  locale: { enum: ['zh-CN', 'en'] },
  departmentIds: idList,
  roles: { type: 'array', uniqueItems: true, maxItems: 50, items: { type: 'string', minLength: 1, maxLength: 64 } },
};
const checkNewUser = bodyValidator({
  type: 'object',
  required: ['username', 'displayName', 'password'],
  properties: { username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{1,63}$', not: { enum: RESERVED_USERNAMES } }, ...userFields },
});
const checkUserPatch = bodyValidator({
  type: 'object',
  properties: { ...userFields, active: { type: 'boolean' } },
});
const checkNewDepartment = bodyValidator({
  type: 'object',
  required: ['code', 'name'],
  properties: {
    code: { type: 'string', pattern: '^[a-z][a-z0-9_-]{1,63}$', not: { enum: RESERVED_CODES } },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    nameEn: { type: ['string', 'null'], maxLength: 100 },
    parentId: { type: ['string', 'null'], format: 'uuid' },
    headUserId: { type: ['string', 'null'], format: 'uuid' },
  },
});
const checkDepartmentPatch = bodyValidator({
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    nameEn: { type: ['string', 'null'], maxLength: 100 },
    parentId: { type: ['string', 'null'], format: 'uuid' },
    headUserId: { type: ['string', 'null'], format: 'uuid' },
  },
});
const checkMembers = bodyValidator({ type: 'object', required: ['userIds'], properties: { userIds: idList } });

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

/** 422 naming each id (by its pointer) that does not exist. */
function assertAllFound(missing: string[], all: string[], pointer: string, what: string): void {
  if (missing.length === 0) return;
  const details: ErrorDetail[] = missing.map((id) => ({ pointer: `${pointer}/${all.indexOf(id)}`, message: `no ${what} ${id}` }));
  throw new ValidationError(`Unknown ${what}`, details);
}

export async function createUser(db: Knex, body: unknown, locale: MessageLocale): Promise<UserView> {
  checkNewUser(body, locale);
  const input = body as { username: string; displayName: string; password: string; role?: Role; email?: string | null; locale?: string; departmentIds?: string[]; roles?: string[] };
  assertAcceptablePassword(input.password, input.username, locale);
  const departmentIds = input.departmentIds ?? [];
  assertAllFound(await missingDepartmentIds(db, departmentIds), departmentIds, '/departmentIds', 'department');
  if (input.roles) assertAllFound(await missingRoleCodes(db, input.roles), input.roles, '/roles', 'role');
  const passwordHash = await hashPassword(input.password);
  try {
    const id = await db.transaction(async (trx) => {
      const created = await insertUser(trx, { ...input, role: input.role ?? 'staff', passwordHash });
      await replaceDepartmentsOfUser(trx, created, departmentIds);
      if (input.roles) await replaceRolesOfUser(trx, created, input.roles);
      return created;
    });
    return (await getUser(db, id))!;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`User "${input.username}" already exists`, 'user_exists');
    throw error;
  }
}

export async function changeUser(db: Knex, id: string, body: unknown, locale: MessageLocale): Promise<UserView> {
  checkUserPatch(body, locale);
  const patch = body as { displayName?: string; email?: string | null; password?: string; role?: Role; locale?: string; active?: boolean; departmentIds?: string[]; roles?: string[] };
  const existing = UUID_PATTERN.test(id) ? await getUser(db, id) : undefined;
  if (!existing) throw new NotFoundError(`No user ${id}`);
  if (patch.password !== undefined) assertAcceptablePassword(patch.password, existing.username, locale);
  if (patch.departmentIds) {
    assertAllFound(await missingDepartmentIds(db, patch.departmentIds), patch.departmentIds, '/departmentIds', 'department');
  }
  if (patch.roles) assertAllFound(await missingRoleCodes(db, patch.roles), patch.roles, '/roles', 'role');
  const passwordHash = patch.password === undefined ? undefined : await hashPassword(patch.password);
  const mayRemoveAnAdmin = existing.role === 'admin' && (patch.role === 'staff' || patch.active === false);
  await db.transaction(async (trx) => {
    // Serialises concurrent demotions (lock before writing, so two of them cannot deadlock).
    if (mayRemoveAnAdmin) await trx.raw('LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE');
    await updateUser(trx, id, { ...patch, passwordHash });
    if (patch.departmentIds) await replaceDepartmentsOfUser(trx, id, patch.departmentIds);
    if (patch.roles) await replaceRolesOfUser(trx, id, patch.roles);
    // Nobody could administer the system without an active admin.
    if (mayRemoveAnAdmin && (await countActiveAdmins(trx)) === 0) {
      throw new ConflictError('At least one active admin must remain', 'last_admin');
    }
    // A disabled account or a new password ends every open session of that user.
    if (patch.active === false || passwordHash) await deleteSessionsOfUser(trx, id);
  });
  return (await getUser(db, id))!;
}

export async function createDepartment(db: Knex, body: unknown, locale: MessageLocale): Promise<DepartmentView> {
  checkNewDepartment(body, locale);
  const input = body as { code: string; name: string; nameEn?: string | null; parentId?: string | null; headUserId?: string | null };
  const details: ErrorDetail[] = [];
  if (input.parentId && !(await getDepartment(db, input.parentId))) {
    details.push({ pointer: '/parentId', message: `no department ${input.parentId}` });
  }
  if (input.headUserId && (await missingUserIds(db, [input.headUserId])).length) {
    details.push({ pointer: '/headUserId', message: `no user ${input.headUserId}` });
  }
  if (details.length) throw new ValidationError('Unknown department or user', details);
  try {
    return (await getDepartment(db, await insertDepartment(db, input)))!;
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`Department "${input.code}" already exists`, 'department_exists');
    throw error;
  }
}

export async function setDepartmentMembers(db: Knex, id: string, body: unknown, locale: MessageLocale): Promise<DepartmentView> {
  checkMembers(body, locale);
  const { userIds } = body as { userIds: string[] };
  if (!UUID_PATTERN.test(id) || !(await getDepartment(db, id))) throw new NotFoundError(`No department ${id}`);
  assertAllFound(await missingUserIds(db, userIds), userIds, '/userIds', 'user');
  await db.transaction((trx) => replaceMembers(trx, id, userIds));
  return (await getDepartment(db, id))!;
}

/** Renames, moves (never under itself or its own sub-department) or changes the head (负责人). */
export async function changeDepartment(db: Knex, id: string, body: unknown, locale: MessageLocale): Promise<DepartmentView> {
  if (!UUID_PATTERN.test(id) || !(await getDepartment(db, id))) throw new NotFoundError(`No department ${id}`);
  checkDepartmentPatch(body, locale);
  const patch = body as { name?: string; nameEn?: string | null; parentId?: string | null; headUserId?: string | null };
  const details: ErrorDetail[] = [];
  if (patch.parentId) {
    const ancestors = await departmentAncestorIds(db, patch.parentId);
    if (ancestors === null) details.push({ pointer: '/parentId', message: `no department ${patch.parentId}` });
    else if (ancestors.includes(id)) details.push({ pointer: '/parentId', message: 'a department cannot sit under itself or one of its sub-departments' });
  }
  if (patch.headUserId && (await missingUserIds(db, [patch.headUserId])).length) {
    details.push({ pointer: '/headUserId', message: `no user ${patch.headUserId}` });
  }
  if (details.length) throw new ValidationError('Invalid department change', details);
  await updateDepartment(db, id, patch);
  return (await getDepartment(db, id))!;
}
