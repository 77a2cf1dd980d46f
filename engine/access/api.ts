/**
 * Data permissions as the engine offers them (`engine.access`, engine/engine.ts): a form's
 * permission groups and owner field (admins; the route checks), the caller's own rights, the
 * CSV export, and roles. Changes to groups and settings are audit rows (`permission.change`).
 * Admin checks are the routes' (server/routes/access.ts, roles.ts); the engine trusts its caller.
 */
import type { Knex } from 'knex';
import { appendAudit } from '../audit/log.ts';
import { NotFoundError, ValidationError } from '../errors.ts';
import type { MessageLocale } from '../forms/messages.ts';
import { bodyValidator } from '../forms/validator.ts';
import type { AuthUser } from '../identity/types.ts';
import { personalFields } from '../privacy/personal.ts';
import { getFormVersion } from '../store/forms.ts';
import { formAccess, formActions, queryableFields } from './evaluate.ts';
import { exportRecords } from './export.ts';
import { changeRole, createRole, deleteRole, listRoles } from './roles.ts';
import { topLevelFields } from './schemaFields.ts';
import { configuredOwnerField, countGroups, deleteGroup, getGroup, insertGroup, listGroups, saveOwnerField, updateGroup } from './store.ts';
import { MAX_GROUPS_PER_FORM, validateGroup } from './validate.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function latestSchema(db: Knex, formKey: string): Promise<Record<string, unknown>> {
  const form = await getFormVersion(db, formKey);
  if (!form) throw new NotFoundError(`No form "${formKey}"`);
  return form.schema as Record<string, unknown>;
}

const checkSettings = bodyValidator({
  type: 'object',
  additionalProperties: false,
  required: ['ownerField'],
  properties: { ownerField: { type: ['string', 'null'], minLength: 1, maxLength: 100 } },
});

function fieldList(list: '*' | Set<string>): '*' | string[] {
  return list === '*' ? '*' : [...list];
}

export function accessApi(db: Knex) {
  return {
    listGroups: async (formKey: string) => {
      await latestSchema(db, formKey);
      return listGroups(db, formKey);
    },
    createGroup: async (formKey: string, body: unknown, actor: AuthUser, locale: MessageLocale) => {
      const schema = await latestSchema(db, formKey);
      const input = await validateGroup(db, body, schema, locale);
      return db.transaction(async (trx) => {
        // Serialises creates per form so the bound holds when two admins add at once.
        await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [`permission_groups:${formKey}`]);
        if ((await countGroups(trx, formKey)) >= MAX_GROUPS_PER_FORM) {
          throw new ValidationError(`A form has at most ${MAX_GROUPS_PER_FORM} permission groups`, [{ pointer: '', message: `at most ${MAX_GROUPS_PER_FORM} groups` }]);
        }
        const group = await insertGroup(trx, formKey, input, actor.id);
        await appendAudit(trx, { actor, action: 'permission.change', formKey, subject: group.name, details: { change: 'create', group } });
        return group;
      });
    },
    updateGroup: async (formKey: string, id: string, body: unknown, actor: AuthUser, locale: MessageLocale) => {
      const schema = await latestSchema(db, formKey);
      if (!UUID.test(id)) throw new NotFoundError(`No permission group ${id}`);
      const input = await validateGroup(db, body, schema, locale);
      return db.transaction(async (trx) => {
        const before = await getGroup(trx, formKey, id);
        const group = await updateGroup(trx, formKey, id, input, actor.id);
        if (!group) throw new NotFoundError(`No permission group ${id}`);
        await appendAudit(trx, { actor, action: 'permission.change', formKey, subject: group.name, details: { change: 'update', before, after: group } });
        return group;
      });
    },
    deleteGroup: async (formKey: string, id: string, actor: AuthUser) => {
      if (!UUID.test(id)) throw new NotFoundError(`No permission group ${id}`);
      await db.transaction(async (trx) => {
        const group = await deleteGroup(trx, formKey, id);
        if (!group) throw new NotFoundError(`No permission group ${id}`);
        await appendAudit(trx, { actor, action: 'permission.change', formKey, subject: group.name, details: { change: 'delete', group } });
      });
    },
    readSettings: async (formKey: string) => {
      const fields = topLevelFields(await latestSchema(db, formKey));
      const configured = await configuredOwnerField(db, formKey);
      return { ownerField: configured !== undefined ? configured : fields.has('owner') ? 'owner' : null };
    },
    saveSettings: async (formKey: string, body: unknown, actor: AuthUser, locale: MessageLocale) => {
      const fields = topLevelFields(await latestSchema(db, formKey));
      checkSettings(body, locale);
      const { ownerField } = body as { ownerField: string | null };
      if (ownerField !== null && !fields.has(ownerField)) {
        const message = locale === 'en' ? `the form has no field "${ownerField}"` : `表单没有字段「${ownerField}」`;
        throw new ValidationError(message, [{ pointer: '/ownerField', message }]);
      }
      await db.transaction(async (trx) => {
        await saveOwnerField(trx, formKey, ownerField);
        await appendAudit(trx, { actor, action: 'permission.change', formKey, subject: 'ownerField', details: { change: 'settings', ownerField } });
      });
      return { ownerField };
    },
    /** What the caller may do on the form at all, for the UI (the server checks each act again). */
    myAccess: async (user: AuthUser, formKey: string) => {
      const access = await formAccess(db, user, formKey);
      const viewing = access.admin || access.implicit ? null : access.groups.filter((g) => g.group.actions.includes('view'));
      const editing = access.admin || access.implicit ? null : access.groups.filter((g) => g.group.actions.includes('edit') || g.group.actions.includes('add'));
      const union = (groups: typeof viewing, key: 'visible' | 'editable'): '*' | string[] => {
        if (!groups) return '*';
        if (groups.some((g) => g.group.fields[key] === '*')) return '*';
        return [...new Set(groups.flatMap((g) => g.group.fields[key] as string[]))];
      };
      return {
        actions: formActions(access),
        fields: { visible: union(viewing, 'visible'), editable: union(editing, 'editable'), queryable: fieldList(queryableFields(access)) },
        personal: Object.fromEntries(personalFields(access.schema)),
        ownerField: access.ownerField,
      };
    },
    exportRecords: (user: AuthUser, formKey: string, params: Iterable<[string, string]>, ip?: string | null) => exportRecords(db, user, formKey, params, { ip }),
    listRoles: () => listRoles(db),
    createRole: (body: unknown, actor: AuthUser, locale: MessageLocale) => createRole(db, body, actor, locale),
    changeRole: (code: string, body: unknown, actor: AuthUser, locale: MessageLocale) => changeRole(db, code, body, actor, locale),
    deleteRole: (code: string, actor: AuthUser) => deleteRole(db, code, actor),
  };
}

