/**
 * Roles as data (`roles`, `user_roles`, migration 037): admins add roles (销售, 财务, …), give
 * them to users and name them in permission groups and approver rules. `admin` and `staff`
 * are builtin (the system roles of `users.role`) and cannot be changed or deleted. Every change
 * is an audit row (`role.change`).
 */
import type { Knex } from 'knex';
import { appendAudit } from '../audit/log.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { bodyValidator } from '../forms/validator.ts';
import type { AuthUser } from '../identity/types.ts';

export interface RoleView {
  code: string;
  name: string;
  nameEn: string | null;
  builtin: boolean;
  /** How many users hold it (for builtin roles: through `users.role`). */
  userCount: number;
  createdAt: string;
}

export const MAX_ROLES = 200;
const CODE = '^[a-z][a-z0-9_-]{1,63}$';

const checkNewRole = bodyValidator({
  type: 'object',
  additionalProperties: false,
  required: ['code', 'name'],
  properties: {
    code: { type: 'string', pattern: CODE },
    name: { type: 'string', minLength: 1, maxLength: 100 },
    nameEn: { type: ['string', 'null'], maxLength: 100 },
  },
});
const checkRolePatch = bodyValidator({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    nameEn: { type: ['string', 'null'], maxLength: 100 },
  },
});

export async function listRoles(db: Knex): Promise<RoleView[]> {
  const rows = await db('roles as r')
    .select(
      'r.*',
      db.raw(`CASE WHEN r.builtin THEN (SELECT count(*) FROM users u WHERE u.role = r.code AND u.active)
                   ELSE (SELECT count(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE ur.role_code = r.code AND u.active) END AS user_count`),
    )
    .orderBy([{ column: 'r.builtin', order: 'desc' }, { column: 'r.code' }]);
  return rows.map((row: any) => ({
    code: row.code,
    name: row.name,
    nameEn: row.name_en,
    builtin: row.builtin,
    userCount: Number(row.user_count),
    createdAt: new Date(row.created_at).toISOString(),
  }));
}

async function roleView(db: Knex, code: string): Promise<RoleView> {
  const found = (await listRoles(db)).find((r) => r.code === code);
  if (!found) throw new NotFoundError(`No role "${code}"`);
  return found;
}

export async function createRole(db: Knex, body: unknown, actor: AuthUser | null, locale: MessageLocale): Promise<RoleView> {
  checkNewRole(body, locale);
  const input = body as { code: string; name: string; nameEn?: string | null };
  return db.transaction(async (trx) => {
    const [{ count }] = await trx('roles').count({ count: '*' });
    if (Number(count) >= MAX_ROLES) throw new ValidationError(`At most ${MAX_ROLES} roles`, [{ pointer: '', message: `at most ${MAX_ROLES} roles` }]);
    // A department with that code would share the candidate-group name: refuse the clash.
    if (await trx('departments').where({ code: input.code }).first('id')) {
      throw new ConflictError(`"${input.code}" is a department code; a role needs another code`, 'code_taken');
    }
    const inserted = await trx('roles').insert({ code: input.code, name: input.name, name_en: input.nameEn ?? null }).onConflict('code').ignore().returning('code');
    if (inserted.length === 0) throw new ConflictError(`Role "${input.code}" already exists`, 'role_exists');
    await appendAudit(trx, { actor, action: 'role.change', subject: input.code, details: { change: 'create', name: input.name, nameEn: input.nameEn ?? null } });
    return roleView(trx, input.code);
  });
}

export async function changeRole(db: Knex, code: string, body: unknown, actor: AuthUser | null, locale: MessageLocale): Promise<RoleView> {
  checkRolePatch(body, locale);
  const patch = body as { name?: string; nameEn?: string | null };
  return db.transaction(async (trx) => {
    const row = await trx('roles').where({ code }).forUpdate().first();
    if (!row) throw new NotFoundError(`No role "${code}"`);
    if (row.builtin) throw new ConflictError(`Role "${code}" is builtin`, 'role_builtin');
    await trx('roles')
      .where({ code })
      .update({ ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.nameEn !== undefined ? { name_en: patch.nameEn } : {}) });
    await appendAudit(trx, { actor, action: 'role.change', subject: code, details: { change: 'update', ...patch } });
    return roleView(trx, code);
  });
}

/** Deletes a role: its holders lose it; permission groups naming it stop naming it. */
export async function deleteRole(db: Knex, code: string, actor: AuthUser | null): Promise<void> {
  await db.transaction(async (trx) => {
    const row = await trx('roles').where({ code }).forUpdate().first();
    if (!row) throw new NotFoundError(`No role "${code}"`);
    if (row.builtin) throw new ConflictError(`Role "${code}" is builtin`, 'role_builtin');
    const holders: string[] = await trx('user_roles as ur').join('users as u', 'u.id', 'ur.user_id').where({ 'ur.role_code': code }).pluck('u.username');
    await trx('roles').where({ code }).delete();
    await trx.raw(
      `UPDATE permission_groups SET members = jsonb_set(members, '{roles}', COALESCE((SELECT jsonb_agg(r) FROM jsonb_array_elements_text(members -> 'roles') r WHERE r <> ?), '[]'::jsonb)), updated_at = now()
       WHERE jsonb_exists(members -> 'roles', ?)`,
      [code, code],
    );
    await appendAudit(trx, { actor, action: 'role.change', subject: code, details: { change: 'delete', holders } });
  });
}
