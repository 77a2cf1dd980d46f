/**
 * Exporting an installed app as a package: what the database holds now, admins' edits
 * included (the latest version of each form and process, the current routing, automations,
 * templates, dashboards and data permissions), optionally with its records. Departments,
 * users and roles are written by code / username so the file works on another server.
 */
import type { Knex } from 'knex';
import { listGroups } from '../access/store.ts';
import { definitionXml, latestDefinition } from '../store/definitions.ts';
import { getFormVersion } from '../store/forms.ts';
import { getRoutingConfig } from '../store/routing.ts';
import { recordsAfter } from '../store/records.ts';
import { PACKAGE_FORMAT, PACKAGE_FORMAT_VERSION, PACKAGE_LIMITS, type AppPackage, type PackageDashboard, type PackagePermissions } from './format.ts';
import { appMembership, type PartKeys } from './membership.ts';

export type { PartKeys };
import { ValidationError } from '../errors.ts';

export interface ExportOptions {
  records?: boolean;
  /** The version to write; default: the installed package's version. */
  version?: string;
}

async function codesById(db: Knex, table: 'departments' | 'users', column: 'code' | 'username', ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows: { id: string; key: string }[] = await db(table).whereIn('id', ids).select('id', `${column} as key`);
  return new Map(rows.map((row) => [row.id, row.key]));
}


export async function exportAppPackage(db: Knex, appKey: string, options: ExportOptions = {}): Promise<AppPackage> {
  const members = await appMembership(db, appKey);
  const { base } = members;
  const pkg = await readInstalledParts(db, { ...base.app, version: options.version ?? base.app.version }, members, base);
  if (options.records) pkg.records = await exportRecords(db, pkg.forms.map((form) => form.key));
  return pkg;
}

/**
 * What the database holds now under the given keys, as a package: the export, and the
 * "installed" side of an import's comparison and of an upgrade's three-way merge.
 */
export async function readInstalledParts(db: Knex, app: AppPackage['app'], members: PartKeys, shipped?: AppPackage): Promise<AppPackage> {
  const titles = new Map((shipped?.forms ?? []).map((form) => [form.key, form.titleI18n]));

  const forms = [];
  for (const key of members.formKeys) {
    const form = await getFormVersion(db, key);
    if (!form) continue;
    const titleI18n = titles.get(key);
    forms.push({ key, title: form.title, ...(titleI18n ? { titleI18n } : {}), schema: form.schema, uiSchema: form.uiSchema, version: form.version });
  }

  const workflows = [];
  for (const processId of members.processIds) {
    const definition = await latestDefinition(db, processId);
    if (!definition) continue;
    workflows.push({ processId, xml: (await definitionXml(db, definition.id)) ?? '', version: definition.version });
  }

  const routing: AppPackage['routing'] = {};
  for (const { key: formKey } of forms) {
    const config = await getRoutingConfig(db, formKey);
    if (!config) continue;
    const codes = await codesById(db, 'departments', 'code', [config.defaultDepartmentId, ...config.rules.map((rule) => rule.departmentId)]);
    routing[formKey] = {
      defaultDepartment: codes.get(config.defaultDepartmentId)!,
      rules: config.rules.map((rule) => ({ name: rule.name, condition: rule.condition, department: codes.get(rule.departmentId)!, enabled: rule.enabled })),
    };
  }

  const automationRows = members.automationNames.length ? await db('automations').whereIn('name', members.automationNames).orderBy('created_at') : [];
  const automations = automationRows.map((row: any) => ({
    name: row.name,
    trigger: row.trigger,
    ...(row.form_key ? { formKey: row.form_key } : {}),
    ...(row.definition_key ? { definitionKey: row.definition_key } : {}),
    ...(row.filter ? { filter: row.filter } : {}),
    ...(row.schedule ? { schedule: row.schedule } : {}),
    actions: row.actions,
    enabled: row.enabled,
  }));

  const messageTemplates = (members.messageTemplateKeys.length ? await db('message_templates').whereIn('key', members.messageTemplateKeys).orderBy('key') : []).map((row: any) => ({
    key: row.key,
    channel: row.channel,
    subject: row.subject,
    body: row.body,
    ...(row.config && Object.keys(row.config).length ? { config: row.config } : {}),
  }));
  const printTemplates = (members.printTemplateKeys.length ? await db('print_templates').whereIn('key', members.printTemplateKeys).orderBy('key') : []).map((row: any) => ({
    key: row.key,
    formKey: row.form_key,
    title: row.title,
    body: row.body,
  }));
  // Sharing names users and departments by id, which mean nothing on another server: left out.
  const dashboards: PackageDashboard[] = (members.dashboardKeys.length ? await db('dashboards').whereIn('key', members.dashboardKeys).orderBy('key') : []).map((row: any) => ({
    key: row.key,
    title: row.title,
    ...(row.definition.description ? { description: row.definition.description } : {}),
    filters: row.definition.filters ?? [],
    widgets: row.definition.widgets ?? [],
  }));

  const pkg: AppPackage = {
    format: PACKAGE_FORMAT,
    formatVersion: PACKAGE_FORMAT_VERSION,
    app,
    exportedAt: new Date().toISOString(),
    forms,
    workflows,
    routing,
    automations,
    messageTemplates,
    printTemplates,
    dashboards,
  };
  const permissions = await exportPermissions(db, forms.map((form) => form.key), [...(shipped?.permissions?.roles ?? []).map((role) => role.code), ...(members.roleCodes ?? [])]);
  if (permissions) pkg.permissions = permissions;
  return pkg;
}

async function exportPermissions(db: Knex, formKeys: string[], shippedRoles: string[]): Promise<PackagePermissions | undefined> {
  const forms: NonNullable<PackagePermissions['forms']> = {};
  const roleCodes = new Set(shippedRoles);
  for (const formKey of formKeys) {
    const access = await db('form_access').where({ form_key: formKey }).first();
    if (!access) continue;
    const groups = await listGroups(db, formKey);
    const users = await codesById(db, 'users', 'username', groups.flatMap((g) => g.members.users));
    const departments = await codesById(db, 'departments', 'code', groups.flatMap((g) => g.members.departments));
    forms[formKey] = {
      ownerField: access.owner_field ?? null,
      groups: groups.map((group) => {
        for (const role of group.members.roles) roleCodes.add(role);
        return {
          name: group.name,
          ...(group.nameEn ? { nameEn: group.nameEn } : {}),
          members: {
            ...group.members,
            users: group.members.users.flatMap((id) => (users.has(id) ? [users.get(id)!] : [])),
            departments: group.members.departments.flatMap((id) => (departments.has(id) ? [departments.get(id)!] : [])),
          },
          actions: group.actions,
          fields: group.fields,
          ...(group.filter ? { filter: group.filter } : {}),
        };
      }),
    };
  }
  const roles = roleCodes.size ? await db('roles').whereIn('code', [...roleCodes]).orderBy('code').select('code', 'name', 'name_en') : [];
  if (roles.length === 0 && Object.keys(forms).length === 0) return undefined;
  return {
    roles: roles.map((row: any) => ({ code: row.code, name: row.name, ...(row.name_en ? { nameEn: row.name_en } : {}) })),
    forms,
  };
}

/** Record data per form (decrypted: the file is the admin's to keep safe), bounded by the format's limit. */
async function exportRecords(db: Knex, formKeys: string[]): Promise<Record<string, Record<string, unknown>[]>> {
  const records: Record<string, Record<string, unknown>[]> = {};
  let total = 0;
  for (const formKey of formKeys) {
    const list: Record<string, unknown>[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await recordsAfter(db, formKey, after, 500);
      if (page.length === 0) break;
      total += page.length;
      if (total > PACKAGE_LIMITS.maxRecords) {
        throw new ValidationError(`The app has more than ${PACKAGE_LIMITS.maxRecords} records: export it without records`, [{ pointer: 'records', message: 'too many records' }], 'too_many_records');
      }
      list.push(...page.map((record) => record.data));
      after = page[page.length - 1]!.id;
    }
    if (list.length) records[formKey] = list;
  }
  return records;
}
