/**
 * A template app's data permissions (`templates/<app>/permissions.json`): its roles, which
 * demo users hold them, and permission groups per form, installed at bootstrap inside its
 * transaction (after the demo organisation, whose departments and users the groups name by
 * code and username; names that do not exist are left out).
 *
 * Idempotent and respectful of admins: a role is created once (and given to its demo users
 * only then); a form's groups are installed only when the form has no data-permission setup
 * yet (no `form_access` row), which the install then writes — an admin who edits or deletes
 * the groups later keeps their choice on every restart and upgrade.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { validateGroup } from '../engine/access/validate.ts';
import { insertGroup, saveOwnerField } from '../engine/access/store.ts';
import { getFormVersion } from '../engine/store/forms.ts';
import { templatesDir } from './app.ts';

interface TemplateGroup {
  name: string;
  nameEn?: string;
  members: { users?: string[]; departments?: string[]; roles?: string[]; everyone?: boolean; owner?: boolean; creator?: boolean; ownerDepartmentHead?: boolean };
  actions: string[];
  fields: { visible: '*' | string[]; editable: '*' | string[] };
  filter?: unknown;
}

interface TemplatePermissions {
  roles?: { code: string; name: string; nameEn?: string; users?: string[] }[];
  forms?: Record<string, { ownerField?: string | null; groups: TemplateGroup[] }>;
}

export function readTemplatePermissions(appKey: string): TemplatePermissions {
  const file = path.join(templatesDir, appKey, 'permissions.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TemplatePermissions) : {};
}

async function idsByKey(db: Knex, table: string, column: string, keys: string[]): Promise<string[]> {
  return keys.length ? db(table).whereIn(column, keys).pluck('id') : [];
}

export interface PermissionInstall {
  roles: string[];
  forms: string[];
}

export async function installTemplatePermissions(db: Knex, appKey: string, createdBy: string | null): Promise<PermissionInstall> {
  const template = readTemplatePermissions(appKey);
  const result: PermissionInstall = { roles: [], forms: [] };
  for (const role of template.roles ?? []) {
    const inserted = await db('roles').insert({ code: role.code, name: role.name, name_en: role.nameEn ?? null }).onConflict('code').ignore().returning('code');
    if (inserted.length === 0) continue;
    result.roles.push(role.code);
    const userIds = await idsByKey(db, 'users', 'username', role.users ?? []);
    if (userIds.length) await db('user_roles').insert(userIds.map((user_id) => ({ user_id, role_code: role.code }))).onConflict(['user_id', 'role_code']).ignore();
  }
  for (const [formKey, setup] of Object.entries(template.forms ?? {})) {
    const form = await getFormVersion(db, formKey);
    if (!form || (await db('form_access').where({ form_key: formKey }).first('form_key'))) continue;
    await saveOwnerField(db, formKey, setup.ownerField ?? null);
    for (const [position, group] of setup.groups.entries()) {
      const body = {
        ...group,
        position,
        members: {
          ...group.members,
          users: await idsByKey(db, 'users', 'username', group.members.users ?? []),
          departments: await idsByKey(db, 'departments', 'code', group.members.departments ?? []),
        },
      };
      // The API's own check: a template naming a field its form lacks fails the start loudly.
      const input = await validateGroup(db, body, form.schema, 'en');
      await insertGroup(db, formKey, input, createdBy);
    }
    result.forms.push(formKey);
  }
  return result;
}
