/**
 * Which installed things belong to an app. The app's last installed package (app_packages) or,
 * for an app the bootstrap installed from `templates/`, the template names its parts; what an
 * admin added since around them joins: processes bound to its forms, automations on its forms
 * or processes, print templates of its forms, message templates its automations send,
 * dashboards recorded with the app.
 */
import type { Knex } from 'knex';
import { NotFoundError } from '../errors.ts';
import type { AppPackage } from './format.ts';
import { isTemplateApp, packageFromTemplate } from './fromTemplate.ts';
import { latestInstalledPackage } from './store.ts';

/** The keys of each part of an app (a key with nothing installed under it is left out when read). */
export interface PartKeys {
  formKeys: string[];
  processIds: string[];
  automationNames: string[];
  messageTemplateKeys: string[];
  printTemplateKeys: string[];
  dashboardKeys: string[];
  roleCodes?: string[];
}

export interface AppMembership extends Omit<PartKeys, 'roleCodes'> {
  /** The package the app was installed from: its last import, or its template. */
  base: AppPackage;
}

/** The app's base package, or undefined when no such app is installed or shipped. */
export async function basePackageOf(db: Knex, appKey: string): Promise<AppPackage | undefined> {
  const installed = await latestInstalledPackage(db, appKey);
  if (installed) return installed.package;
  return isTemplateApp(appKey) ? packageFromTemplate(appKey) : undefined;
}

export async function appMembership(db: Knex, appKey: string): Promise<AppMembership> {
  const base = await basePackageOf(db, appKey);
  if (!base) throw new NotFoundError(`No app "${appKey}"`);
  const shipped = base.forms.map((form) => form.key);
  const formKeys: string[] = await db('forms').whereIn('key', shipped).pluck('key');
  if (formKeys.length === 0) throw new NotFoundError(`The app "${appKey}" is not installed`);
  const ordered = shipped.filter((key) => formKeys.includes(key));

  const bound: string[] = await db('process_definitions').whereRaw(`compiled->>'formKey' = ANY(?)`, [ordered]).distinct().pluck('key');
  const shippedProcesses: string[] = await db('process_definitions').whereIn('key', base.workflows.map((w) => w.processId)).distinct().pluck('key');
  const processIds = [...new Set([...base.workflows.map((w) => w.processId).filter((id) => shippedProcesses.includes(id)), ...bound.sort()])];

  const automations: { name: string; actions: Array<Record<string, unknown>> }[] = await db('automations')
    .where((q) => {
      q.whereIn('form_key', ordered).orWhereIn('definition_key', processIds).orWhereIn('name', base.automations.map((a) => a.name));
    })
    .orderBy('created_at')
    .select('name', 'actions');
  const sent = automations.flatMap((a) => a.actions.filter((action) => action.type === 'notify' && typeof action.template === 'string').map((action) => action.template as string));
  const messageTemplateKeys: string[] = await db('message_templates')
    .whereIn('key', [...new Set([...base.messageTemplates.map((t) => t.key), ...sent])])
    .orderBy('key')
    .pluck('key');
  const printTemplateKeys: string[] = await db('print_templates')
    .where((q) => {
      q.whereIn('form_key', ordered).orWhereIn('key', base.printTemplates.map((t) => t.key));
    })
    .orderBy('key')
    .pluck('key');
  const dashboardKeys: string[] = await db('dashboards')
    .whereNotNull('key')
    .where((q) => {
      q.where({ app: appKey }).orWhereIn('key', base.dashboards.map((d) => d.key));
    })
    .orderBy('key')
    .pluck('key');
  return {
    base,
    formKeys: ordered,
    processIds,
    automationNames: automations.map((a) => a.name),
    messageTemplateKeys,
    printTemplateKeys,
    dashboardKeys,
  };
}
