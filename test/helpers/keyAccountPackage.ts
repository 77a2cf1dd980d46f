/**
 * The key-account template app as an AppPackage, read straight from templates/key-account and
 * workflows/*.bpmn: the base of the package-merge tests, on which an "admin change" and a
 * "package change" are made.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppPackage, PackageForm } from '../../engine/packages/format.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const TEMPLATE = join(ROOT, 'templates', 'key-account');

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

export function keyAccountPackage(): AppPackage {
  const forms: PackageForm[] = readdirSync(join(TEMPLATE, 'forms'))
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => {
      const form = json(join(TEMPLATE, 'forms', file));
      return { key: form.key, title: form.title['zh-CN'], titleI18n: form.title, schema: form.schema, uiSchema: form.uiSchema ?? {} };
    });
  const workflows = readdirSync(join(ROOT, 'workflows'))
    .filter((file) => file.endsWith('.bpmn'))
    .sort()
    .map((file) => ({ processId: file.replace(/\.bpmn$/, ''), xml: readFileSync(join(ROOT, 'workflows', file), 'utf8') }));
  const routing = json(join(TEMPLATE, 'routing.json')).forms;
  const messageTemplates = json(join(TEMPLATE, 'notifications', 'templates.json')).map((template: any) => ({
    key: template.key,
    channel: template.channel,
    subject: template.subject,
    body: readFileSync(join(TEMPLATE, 'notifications', template.file), 'utf8'),
  }));
  const printTemplates = json(join(TEMPLATE, 'print', 'templates.json')).map((template: any) => ({
    key: template.key,
    formKey: template.formKey,
    title: template.title,
    body: readFileSync(join(TEMPLATE, 'print', template.file), 'utf8'),
  }));
  return {
    format: 'liuzhuan-app',
    formatVersion: 1,
    app: { key: 'key-account', name: { 'zh-CN': '大客户管理', en: 'Key accounts' }, version: '1.0.0' },
    exportedAt: '2026-12-01T00:00:00Z',
    forms,
    workflows,
    routing,
    automations: json(join(TEMPLATE, 'automations.json')),
    messageTemplates,
    printTemplates,
    dashboards: [json(join(TEMPLATE, 'dashboards', 'key-account-kpi.json'))],
  };
}

/** A deep copy to edit. */
export function copyPackage(pkg: AppPackage): AppPackage {
  return structuredClone(pkg);
}

/** Replaces `from` by `to` in one workflow's XML, failing when the text is not there. */
export function editXml(pkg: AppPackage, processId: string, from: string | RegExp, to: string): void {
  const workflow = pkg.workflows.find((candidate) => candidate.processId === processId)!;
  const next = workflow.xml.replace(from, to);
  if (next === workflow.xml) throw new Error(`${processId}: ${String(from)} not found`);
  workflow.xml = next;
}

export function form(pkg: AppPackage, key: string): PackageForm {
  return pkg.forms.find((candidate) => candidate.key === key)!;
}
