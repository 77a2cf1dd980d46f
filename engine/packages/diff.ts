/**
 * What importing a package would add and change: each part of the package against what is
 * installed under the same keys (engine/packages/export.ts `readInstalledParts`). Pure.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AppPackage, PackageForm } from './format.ts';

export type PartStatus = 'new' | 'changed' | 'unchanged';

export interface FormChange {
  key: string;
  status: PartStatus;
  /** The version installed now (a change is saved as the next one). */
  installedVersion: number | null;
  fieldsAdded: string[];
  fieldsRemoved: string[];
  fieldsChanged: string[];
}

export interface PartChange {
  key: string;
  status: PartStatus;
  installedVersion?: number | null;
}

export interface PackageDiff {
  forms: FormChange[];
  workflows: PartChange[];
  routing: PartChange[];
  automations: PartChange[];
  messageTemplates: PartChange[];
  printTemplates: PartChange[];
  dashboards: PartChange[];
  roles: PartChange[];
  permissions: PartChange[];
  /** Records per form key the import adds. */
  records: Record<string, number>;
}

function fieldsOf(form: PackageForm | undefined): Record<string, unknown> {
  return ((form?.schema as { properties?: Record<string, unknown> })?.properties ?? {}) as Record<string, unknown>;
}

/** A schema with every `required` list sorted: its order means nothing, and a merge may rebuild it in another. */
function canonicalSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalSchema);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      key,
      key === 'required' && Array.isArray(inner) && inner.every((item) => typeof item === 'string') ? [...inner].sort() : canonicalSchema(inner),
    ]),
  );
}

function status<T>(incoming: T, installed: T | undefined): PartStatus {
  if (installed === undefined) return 'new';
  return isDeepStrictEqual(incoming, installed) ? 'unchanged' : 'changed';
}

/** The BPMN text compared without line-ending and edge-whitespace noise. */
const normalisedXml = (xml: string) => xml.replace(/\r\n/g, '\n').trim();

function byKey<T>(items: T[], keyOf: (item: T) => string): Map<string, T> {
  return new Map(items.map((item) => [keyOf(item), item]));
}

export function diffPackage(incoming: AppPackage, installed: AppPackage): PackageDiff {
  const forms = byKey(installed.forms, (form) => form.key);
  const workflows = byKey(installed.workflows, (workflow) => workflow.processId);
  const parts = <T>(list: T[], installedList: T[], keyOf: (item: T) => string): PartChange[] => {
    const there = byKey(installedList, keyOf);
    return list.map((item) => ({ key: keyOf(item), status: status(item, there.get(keyOf(item))) }));
  };
  const installedRoles = installed.permissions?.roles ?? [];
  return {
    forms: incoming.forms.map((form) => {
      const current = forms.get(form.key);
      const before = fieldsOf(current);
      const after = fieldsOf(form);
      const same =
        current !== undefined &&
        isDeepStrictEqual({ s: canonicalSchema(form.schema), u: form.uiSchema, t: form.title }, { s: canonicalSchema(current.schema), u: current.uiSchema, t: current.title });
      return {
        key: form.key,
        status: current === undefined ? 'new' : same ? 'unchanged' : 'changed',
        installedVersion: current?.version ?? null,
        fieldsAdded: current ? Object.keys(after).filter((name) => !(name in before)) : [],
        fieldsRemoved: current ? Object.keys(before).filter((name) => !(name in after)) : [],
        fieldsChanged: current ? Object.keys(after).filter((name) => name in before && !isDeepStrictEqual(canonicalSchema(after[name]), canonicalSchema(before[name]))) : [],
      };
    }),
    workflows: incoming.workflows.map((workflow) => {
      const current = workflows.get(workflow.processId);
      return {
        key: workflow.processId,
        status: current === undefined ? 'new' : normalisedXml(current.xml) === normalisedXml(workflow.xml) ? 'unchanged' : 'changed',
        installedVersion: current?.version ?? null,
      };
    }),
    routing: Object.entries(incoming.routing).map(([formKey, routing]) => ({ key: formKey, status: status(normaliseRouting(routing), installed.routing[formKey] && normaliseRouting(installed.routing[formKey]!)) })),
    automations: parts(incoming.automations.map(normaliseAutomation), installed.automations.map(normaliseAutomation), (a) => a.name),
    messageTemplates: parts(incoming.messageTemplates.map((t) => ({ config: {}, ...t })), installed.messageTemplates.map((t) => ({ config: {}, ...t })), (t) => t.key),
    printTemplates: parts(incoming.printTemplates, installed.printTemplates, (t) => t.key),
    dashboards: parts(incoming.dashboards.map(normaliseDashboard), installed.dashboards.map(normaliseDashboard), (d) => d.key),
    roles: parts(incoming.permissions?.roles ?? [], installedRoles, (role) => role.code),
    permissions: Object.entries(incoming.permissions?.forms ?? {}).map(([formKey, setup]) => ({
      key: formKey,
      status: status(normalisePermissions(setup), installed.permissions?.forms?.[formKey] && normalisePermissions(installed.permissions.forms[formKey]!)),
    })),
    records: Object.fromEntries(Object.entries(incoming.records ?? {}).map(([formKey, list]) => [formKey, list.length])),
  };
}

/** Defaults written out, so a file that omits them equals what the database gives back. */
function normaliseRouting(routing: AppPackage['routing'][string]) {
  return { defaultDepartment: routing.defaultDepartment, rules: routing.rules.map((rule) => ({ ...rule, enabled: rule.enabled ?? true })) };
}

function normaliseAutomation(a: AppPackage['automations'][number]) {
  return { formKey: null, definitionKey: null, filter: null, schedule: null, enabled: true, ...a, ...(a.formKey === undefined ? {} : {}) } as AppPackage['automations'][number];
}

function normaliseDashboard(d: AppPackage['dashboards'][number]) {
  const { sharing: _sharing, version: _version, ...rest } = d;
  return { filters: [], ...rest } as AppPackage['dashboards'][number];
}

function normalisePermissions(setup: NonNullable<NonNullable<AppPackage['permissions']>['forms']>[string]) {
  return {
    ownerField: setup.ownerField ?? null,
    groups: setup.groups.map((group) => ({
      ...group,
      nameEn: group.nameEn ?? null,
      filter: group.filter ?? null,
      members: { users: [], departments: [], roles: [], everyone: false, owner: false, creator: false, ownerDepartmentHead: false, ...group.members },
    })),
  };
}

/** True when applying the package changes nothing (records aside). */
export function diffIsEmpty(diff: PackageDiff): boolean {
  const lists = [diff.forms, diff.workflows, diff.routing, diff.automations, diff.messageTemplates, diff.printTemplates, diff.dashboards, diff.roles, diff.permissions];
  return lists.every((list) => list.every((part) => part.status === 'unchanged'));
}
