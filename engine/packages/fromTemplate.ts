/**
 * A template app (`templates/<app>/` + the top-level `workflows/`) as an app package: the same
 * format an export produces, so a template can be shipped, previewed and imported like any
 * package, and serves as the base of an upgrade for an app the bootstrap installed from it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readTemplateApp, readWorkflowXml, templatesDir } from '../../templates/app.ts';
import { readTemplateAutomations } from '../../templates/automations.ts';
import { readTemplateDashboards } from '../../templates/dashboards.ts';
import { readTemplatePermissions } from '../../templates/permissions.ts';
import { demoRecords as keyAccountDemo } from '../../templates/key-account/demo.ts';
import { NotFoundError } from '../errors.ts';
import { PACKAGE_FORMAT, PACKAGE_FORMAT_VERSION, type AppPackage, type PackageAutomation, type PackageDashboard, type PackageMessageTemplate, type PackagePermissions, type PackagePrintTemplate, type PackageFormRouting } from './format.ts';

/** The version of a template whose app.json names none. */
export const DEFAULT_TEMPLATE_VERSION = '1.0.0';

const DEMO_RECORDS: Record<string, Record<string, object[]>> = { 'key-account': keyAccountDemo };

export function templateAppKeys(): string[] {
  return readdirSync(templatesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(templatesDir, entry.name, 'app.json')))
    .map((entry) => entry.name)
    .sort();
}

export function isTemplateApp(appKey: string): boolean {
  return /^[a-z0-9][a-z0-9_-]*$/.test(appKey) && existsSync(path.join(templatesDir, appKey, 'app.json'));
}

function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function templateEntries(appKey: string, folder: 'notifications' | 'print'): Array<Record<string, unknown> & { key: string; body: string }> {
  const dir = path.join(templatesDir, appKey, folder);
  const manifest = path.join(dir, 'templates.json');
  if (!existsSync(manifest)) return [];
  return (readJson(manifest) as Array<Record<string, unknown> & { key: string; file: string }>).map(({ file, ...entry }) => ({
    ...entry,
    body: readFileSync(path.join(dir, file), 'utf8'),
  }));
}

export function packageFromTemplate(appKey: string, options: { records?: boolean } = {}): AppPackage {
  if (!isTemplateApp(appKey)) throw new NotFoundError(`No template app "${appKey}"`);
  const app = readTemplateApp(appKey);
  const manifest = readJson(path.join(templatesDir, appKey, 'app.json')) as { version?: string };
  const routingFile = path.join(templatesDir, appKey, 'routing.json');
  const routing = existsSync(routingFile) ? ((readJson(routingFile) as { forms: Record<string, PackageFormRouting> }).forms ?? {}) : {};
  const permissions = readTemplatePermissions(appKey);
  const pkg: AppPackage = {
    format: PACKAGE_FORMAT,
    formatVersion: PACKAGE_FORMAT_VERSION,
    app: { key: app.key, name: app.name, ...(app.description ? { description: app.description } : {}), version: manifest.version ?? DEFAULT_TEMPLATE_VERSION },
    exportedAt: new Date().toISOString(),
    forms: app.forms.map((form) => ({ key: form.key, title: form.title['zh-CN'], titleI18n: form.title, schema: form.schema, uiSchema: form.uiSchema })),
    workflows: app.workflows.map((processId) => ({ processId, xml: readWorkflowXml(processId) })),
    routing,
    automations: readTemplateAutomations(appKey) as PackageAutomation[],
    messageTemplates: templateEntries(appKey, 'notifications') as unknown as PackageMessageTemplate[],
    printTemplates: templateEntries(appKey, 'print') as unknown as PackagePrintTemplate[],
    dashboards: readTemplateDashboards(appKey).map(({ body }) => body as PackageDashboard),
  };
  if (permissions.roles?.length || Object.keys(permissions.forms ?? {}).length) {
    // Which demo users hold a role is the demo organisation's business, not the app's.
    pkg.permissions = {
      ...(permissions.roles ? { roles: permissions.roles.map(({ code, name, nameEn }) => ({ code, name, ...(nameEn ? { nameEn } : {}) })) } : {}),
      ...(permissions.forms ? { forms: permissions.forms as PackagePermissions['forms'] } : {}),
    };
  }
  if (options.records) pkg.records = structuredClone(DEMO_RECORDS[appKey] ?? {}) as AppPackage['records'];
  return pkg;
}
