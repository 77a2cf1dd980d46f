/**
 * The app package file (`<app>-<version>.lzapp.json`): one app — its forms, processes, routing,
 * automations, message and print templates, dashboards, data permissions and optionally its
 * records — as one versioned JSON document that another server can import.
 *
 * Every part is a list keyed by a stable identity (form key, process id, rule name, automation
 * name, template key, dashboard key): an upgrade merges three packages (the installed base, the
 * incoming one, what is installed now) part by part and element by element on these keys
 * (engine/packages/merge/). Departments, users and roles are named by code / username, never by
 * database id, so a package works on any server.
 *
 * This module checks the SHAPE and the SIZES only (`parseAppPackage`); what each part means
 * (a schema that compiles, a model that parses, a department that exists) is checked by the
 * engine's own commands when the package is previewed or imported.
 *
 * Compatibility: the shape is shared with other modules — change it only additively.
 */
import { Ajv, type ErrorObject } from 'ajv';
import { ValidationError, type ErrorDetail } from '../errors.ts';

export const PACKAGE_FORMAT = 'liuzhuan-app';
export const PACKAGE_FORMAT_VERSION = 1;

/** Bounds a package file may not pass: an upload is refused before any of it is parsed further. */
export const PACKAGE_LIMITS = {
  /** Bytes of the JSON text (records included). */
  maxFileBytes: 20 * 1024 * 1024,
  maxForms: 100,
  maxWorkflows: 100,
  /** Bytes of one BPMN model's XML. */
  maxWorkflowXmlBytes: 2 * 1024 * 1024,
  maxRoutingRulesPerForm: 200,
  maxAutomations: 200,
  maxMessageTemplates: 200,
  maxPrintTemplates: 200,
  maxDashboards: 50,
  maxRoles: 100,
  maxGroupsPerForm: 50,
  /** Records over all forms. */
  maxRecords: 20_000,
} as const;

export type Localised = { 'zh-CN': string; en: string };

export interface PackageAppInfo {
  key: string;
  name: Localised;
  description?: Localised;
  /** Semantic version of the package (`1.2.0`); an upgrade compares it with the installed one. */
  version: string;
}

export interface PackageForm {
  key: string;
  /** The form's stored title (what `saveForm` keeps). */
  title: string;
  /** The title in both languages, when the app has it (template apps do). */
  titleI18n?: Localised;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  /** The form's version on the exporting server (informative: an import saves its own next version). */
  version?: number;
}

export interface PackageWorkflow {
  /** The BPMN process id (the definition key). */
  processId: string;
  xml: string;
  /** The definition's version on the exporting server (informative). */
  version?: number;
}

export interface PackageRoutingRule {
  /** The rule's identity within its form. */
  name: string;
  /** FEEL condition over the record. */
  condition: string;
  /** Department code. */
  department: string;
  enabled?: boolean;
}

export interface PackageFormRouting {
  /** Department code. */
  defaultDepartment: string;
  /** In order: the first true condition wins. */
  rules: PackageRoutingRule[];
}

/** A body exactly as `POST /api/automations` takes it; `name` is its identity. */
export interface PackageAutomation {
  name: string;
  [setting: string]: unknown;
}

export interface PackageMessageTemplate {
  key: string;
  channel: 'inApp' | 'email' | 'chatRobot';
  subject: string;
  body: string;
  config?: Record<string, string>;
}

export interface PackagePrintTemplate {
  key: string;
  formKey: string;
  title: string;
  body: string;
}

/** A body exactly as `POST /api/dashboards` takes it, with its `key`. */
export interface PackageDashboard {
  key: string;
  [setting: string]: unknown;
}

/** A permission group; members named by username / department code / role code. */
export interface PackagePermissionGroup {
  name: string;
  nameEn?: string;
  members: {
    users?: string[];
    departments?: string[];
    roles?: string[];
    everyone?: boolean;
    owner?: boolean;
    creator?: boolean;
    ownerDepartmentHead?: boolean;
  };
  actions: string[];
  fields: { visible: '*' | string[]; editable: '*' | string[] };
  filter?: unknown;
}

export interface PackagePermissions {
  roles?: { code: string; name: string; nameEn?: string }[];
  forms?: Record<string, { ownerField?: string | null; groups: PackagePermissionGroup[] }>;
}

export interface AppPackage {
  format: typeof PACKAGE_FORMAT;
  formatVersion: typeof PACKAGE_FORMAT_VERSION;
  app: PackageAppInfo;
  /** ISO time of the export. */
  exportedAt: string;
  forms: PackageForm[];
  workflows: PackageWorkflow[];
  /** Per form key. */
  routing: Record<string, PackageFormRouting>;
  automations: PackageAutomation[];
  messageTemplates: PackageMessageTemplate[];
  printTemplates: PackagePrintTemplate[];
  dashboards: PackageDashboard[];
  permissions?: PackagePermissions;
  /** Record data per form key (each validated against its form on import). */
  records?: Record<string, Record<string, unknown>[]>;
}

const KEY = { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' };
const NAME = { type: 'string', minLength: 1, maxLength: 200 };
const LOCALISED = {
  type: 'object',
  additionalProperties: false,
  required: ['zh-CN', 'en'],
  properties: { 'zh-CN': { type: 'string', maxLength: 2000 }, en: { type: 'string', maxLength: 2000 } },
};
const TEXT = (maxLength: number) => ({ type: 'string', maxLength });
const NAMES = { type: 'array', maxItems: 500, items: { type: 'string', minLength: 1, maxLength: 200 } };
const L = PACKAGE_LIMITS;

export const appPackageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['format', 'formatVersion', 'app', 'exportedAt', 'forms', 'workflows', 'routing', 'automations', 'messageTemplates', 'printTemplates', 'dashboards'],
  properties: {
    format: { const: PACKAGE_FORMAT },
    formatVersion: { const: PACKAGE_FORMAT_VERSION },
    app: {
      type: 'object',
      additionalProperties: false,
      required: ['key', 'name', 'version'],
      properties: {
        key: KEY,
        name: LOCALISED,
        description: LOCALISED,
        // Semantic versioning 2.0 (pre-release and build parts allowed).
        version: { type: 'string', maxLength: 64, pattern: '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$' },
      },
    },
    exportedAt: { type: 'string', maxLength: 40 },
    forms: {
      type: 'array',
      maxItems: L.maxForms,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'title', 'schema', 'uiSchema'],
        properties: {
          key: { type: 'string', pattern: '^[a-z][a-z0-9_-]{1,63}$' },
          title: { type: 'string', minLength: 1, maxLength: 200 },
          titleI18n: LOCALISED,
          schema: { type: 'object' },
          uiSchema: { type: 'object' },
          version: { type: 'integer', minimum: 1 },
        },
      },
    },
    workflows: {
      type: 'array',
      maxItems: L.maxWorkflows,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['processId', 'xml'],
        properties: { processId: KEY, xml: { type: 'string', minLength: 1, maxLength: L.maxWorkflowXmlBytes }, version: { type: 'integer', minimum: 1 } },
      },
    },
    routing: {
      type: 'object',
      maxProperties: L.maxForms,
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['defaultDepartment', 'rules'],
        properties: {
          defaultDepartment: KEY,
          rules: {
            type: 'array',
            maxItems: L.maxRoutingRulesPerForm,
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['name', 'condition', 'department'],
              properties: { name: NAME, condition: TEXT(4000), department: KEY, enabled: { type: 'boolean' } },
            },
          },
        },
      },
    },
    automations: {
      type: 'array',
      maxItems: L.maxAutomations,
      items: { type: 'object', required: ['name'], properties: { name: NAME } },
    },
    messageTemplates: {
      type: 'array',
      maxItems: L.maxMessageTemplates,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'channel', 'subject', 'body'],
        properties: {
          key: KEY,
          channel: { enum: ['inApp', 'email', 'chatRobot'] },
          subject: TEXT(2000),
          body: TEXT(100_000),
          config: { type: 'object', maxProperties: 50, additionalProperties: { type: 'string', maxLength: 2000 } },
        },
      },
    },
    printTemplates: {
      type: 'array',
      maxItems: L.maxPrintTemplates,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key', 'formKey', 'title', 'body'],
        properties: { key: KEY, formKey: KEY, title: NAME, body: TEXT(200_000) },
      },
    },
    dashboards: {
      type: 'array',
      maxItems: L.maxDashboards,
      items: { type: 'object', required: ['key'], properties: { key: KEY } },
    },
    permissions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        roles: {
          type: 'array',
          maxItems: L.maxRoles,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['code', 'name'],
            properties: { code: KEY, name: NAME, nameEn: NAME },
          },
        },
        forms: {
          type: 'object',
          maxProperties: L.maxForms,
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['groups'],
            properties: {
              ownerField: { type: ['string', 'null'], maxLength: 200 },
              groups: {
                type: 'array',
                maxItems: L.maxGroupsPerForm,
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['name', 'members', 'actions', 'fields'],
                  properties: {
                    name: NAME,
                    nameEn: NAME,
                    members: {
                      type: 'object',
                      additionalProperties: false,
                      properties: {
                        users: NAMES,
                        departments: NAMES,
                        roles: NAMES,
                        everyone: { type: 'boolean' },
                        owner: { type: 'boolean' },
                        creator: { type: 'boolean' },
                        ownerDepartmentHead: { type: 'boolean' },
                      },
                    },
                    actions: NAMES,
                    fields: {
                      type: 'object',
                      additionalProperties: false,
                      required: ['visible', 'editable'],
                      properties: {
                        visible: { anyOf: [{ const: '*' }, NAMES] },
                        editable: { anyOf: [{ const: '*' }, NAMES] },
                      },
                    },
                    filter: {},
                  },
                },
              },
            },
          },
        },
      },
    },
    records: {
      type: 'object',
      maxProperties: L.maxForms,
      additionalProperties: { type: 'array', maxItems: L.maxRecords, items: { type: 'object' } },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: false });
const checkPackage = ajv.compile<AppPackage>(appPackageSchema);

function detailsOf(errors: ErrorObject[] | null | undefined): ErrorDetail[] {
  return (errors ?? []).slice(0, 20).map((error) => {
    const extra = error.keyword === 'additionalProperties' ? `/${(error.params as { additionalProperty: string }).additionalProperty}` : '';
    return { pointer: `${error.instancePath}${extra}` || '/', message: error.message ?? 'invalid' };
  });
}

function invalid(pointer: string, message: string): ValidationError {
  return new ValidationError(`Invalid app package at ${pointer}: ${message}`, [{ pointer, message }], 'invalid_package');
}

/** Duplicate keys within one part would make the merge and the import ambiguous. */
function assertUnique<T>(items: T[], keyOf: (item: T) => string, pointer: string): void {
  const seen = new Set<string>();
  for (const [index, item] of items.entries()) {
    const key = keyOf(item);
    if (seen.has(key)) throw invalid(`${pointer}/${index}`, `duplicate key "${key}"`);
    seen.add(key);
  }
}

/**
 * Checks a package's shape and bounds; throws 422 `invalid_package` naming the JSON pointer.
 * `text` (the file as read) is checked for size before parsing.
 */
export function parseAppPackage(input: unknown): AppPackage {
  if (typeof input === 'string') {
    if (Buffer.byteLength(input) > PACKAGE_LIMITS.maxFileBytes) {
      throw invalid('/', `the file is larger than ${PACKAGE_LIMITS.maxFileBytes} bytes`);
    }
    try {
      input = JSON.parse(input);
    } catch (error) {
      throw invalid('/', `not JSON: ${(error as Error).message.slice(0, 200)}`);
    }
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw invalid('/', 'must be a JSON object');
  const raw = input as Record<string, unknown>;
  if (raw.format !== PACKAGE_FORMAT) throw invalid('/format', `must be "${PACKAGE_FORMAT}"`);
  if (raw.formatVersion !== PACKAGE_FORMAT_VERSION) {
    throw invalid('/formatVersion', `this server reads format version ${PACKAGE_FORMAT_VERSION}, the file is ${JSON.stringify(raw.formatVersion)}`);
  }
  if (!checkPackage(input)) {
    const details = detailsOf(checkPackage.errors);
    throw new ValidationError(`Invalid app package at ${details[0]?.pointer ?? '/'}: ${details[0]?.message ?? 'invalid'}`, details, 'invalid_package');
  }
  const pkg = input;
  assertUnique(pkg.forms, (form) => form.key, '/forms');
  assertUnique(pkg.workflows, (workflow) => workflow.processId, '/workflows');
  assertUnique(pkg.automations, (automation) => automation.name, '/automations');
  assertUnique(pkg.messageTemplates, (template) => template.key, '/messageTemplates');
  assertUnique(pkg.printTemplates, (template) => template.key, '/printTemplates');
  assertUnique(pkg.dashboards, (dashboard) => dashboard.key, '/dashboards');
  assertUnique(pkg.permissions?.roles ?? [], (role) => role.code, '/permissions/roles');
  for (const [formKey, routing] of Object.entries(pkg.routing)) assertUnique(routing.rules, (rule) => rule.name, `/routing/${formKey}/rules`);
  const formKeys = new Set(pkg.forms.map((form) => form.key));
  for (const formKey of Object.keys(pkg.routing)) {
    if (!formKeys.has(formKey)) throw invalid(`/routing/${formKey}`, `no form "${formKey}" in the package`);
  }
  let recordCount = 0;
  for (const [formKey, records] of Object.entries(pkg.records ?? {})) {
    if (!formKeys.has(formKey)) throw invalid(`/records/${formKey}`, `no form "${formKey}" in the package`);
    recordCount += records.length;
  }
  if (recordCount > PACKAGE_LIMITS.maxRecords) throw invalid('/records', `more than ${PACKAGE_LIMITS.maxRecords} records`);
  return pkg;
}

/** `<key>-<version>.lzapp.json`. */
export function packageFileName(pkg: Pick<AppPackage, 'app'>): string {
  return `${pkg.app.key}-${pkg.app.version}.lzapp.json`;
}

/** Compares two semantic versions by major.minor.patch (pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('+')[0]!.split(/-(.*)/s);
    return { parts: core!.split('.').map(Number), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i += 1) {
    const diff = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}
