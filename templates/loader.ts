/**
 * Installs a template app: each of its forms whose key is not taken yet, and — for a form
 * installed just now — the app's demo records. Re-running installs nothing twice, and never
 * overwrites a form an admin has since changed. A form installed from an earlier version of
 * the template (its latest version's fingerprint is in the template's `replaces`) is upgraded:
 * the template is saved as its next version; records keep theirs and move to the new one on
 * their next update, so nothing is lost (a template adds fields as optional for that reason).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { compiledForm } from '../engine/forms/compiled.ts';
import { saveForm } from '../engine/forms/forms.ts';
import { assertValidData } from '../engine/forms/validator.ts';
import { installAppTemplates } from '../engine/notifications/install.ts';
import { installRoutingDefaults, type RoutingDefaults } from '../engine/routing/defaults.ts';
import { getFormVersion, latestVersionOf } from '../engine/store/forms.ts';
import { insertRecord } from '../engine/store/records.ts';
import { ensureTieringSchedule } from '../engine/tiering/job.ts';
import { readTemplateApp, templatesDir, type TemplateForm } from './app.ts';
import { formFingerprint } from './formFingerprint.ts';
import { installTemplateAutomations } from './automations.ts';
import { installTemplateWorkflows, type WorkflowInstall } from './workflows.ts';
import type { CommandDeps } from '../engine/commands/runCommand.ts';
import { demoRecords as keyAccountDemo } from './key-account/demo.ts';

const DEMO_RECORDS: Record<string, Record<string, object[]>> = {
  'key-account': keyAccountDemo,
};

export interface InstallResult {
  installedForms: string[];
  demoRecords: number;
  /** Forms whose default routing rules (templates/<app>/routing.json) were installed now. */
  routedForms: string[];
  /** Installed forms upgraded to the template's newer version now. */
  upgradedForms: string[];
  /** Whether the app's daily tiering job was scheduled now (engine/tiering/job.ts). */
  tieringScheduled: boolean;
}

/** Call inside the bootstrap transaction; `createdBy` is the admin the rows are attributed to. */
export async function installTemplateApp(db: Knex, appKey: string, createdBy: string | null): Promise<InstallResult> {
  const app = readTemplateApp(appKey);
  const result: InstallResult = { installedForms: [], demoRecords: 0, routedForms: [], upgradedForms: [], tieringScheduled: false };
  for (const form of app.forms) {
    const installed = await latestVersionOf(db, form.key);
    if (installed !== undefined) {
      if (await upgradeTemplateForm(db, form, installed, createdBy)) result.upgradedForms.push(form.key);
      continue;
    }
    const { version } = await saveForm(
      db,
      { key: form.key, title: form.title['zh-CN'], schema: form.schema, uiSchema: form.uiSchema },
      createdBy,
    );
    result.installedForms.push(form.key);

    const compiled = await compiledForm(db, form.key, version);
    for (const data of DEMO_RECORDS[appKey]?.[form.key] ?? []) {
      // Demo data goes through the same validation as user input: a broken template fails loudly.
      await assertValidData(compiled.errorsOf, data, 'en');
      await insertRecord(db, { formKey: form.key, formVersion: version, data, createdBy });
      result.demoRecords += 1;
    }
  }
  result.routedForms = await installTemplateRouting(db, appKey);
  // Message and print templates (notifications/, print/); existing keys are left alone.
  await installAppTemplates(db, path.join(templatesDir, appKey));
  // Apps with customer tiering get its daily job, once (the bootstrap lock serializes nodes).
  result.tieringScheduled = await ensureTieringSchedule(db, appKey, createdBy, new Date());
  return result;
}

/** Saves the template as the form's next version while the installed one is an earlier template version. */
async function upgradeTemplateForm(db: Knex, form: TemplateForm, version: number, createdBy: string | null): Promise<boolean> {
  if (!form.replaces?.length) return false;
  const stored = await getFormVersion(db, form.key, version);
  if (!stored || !form.replaces.includes(formFingerprint(stored))) return false;
  await saveForm(db, { key: form.key, title: form.title['zh-CN'], schema: form.schema, uiSchema: form.uiSchema }, createdBy);
  return true;
}

/** `templates/<app>/routing.json`, when the app ships default routing rules. */
export async function installTemplateRouting(db: Knex, appKey: string): Promise<string[]> {
  const file = path.join(templatesDir, appKey, 'routing.json');
  if (!existsSync(file)) return [];
  return installRoutingDefaults(db, JSON.parse(readFileSync(file, 'utf8')) as RoutingDefaults);
}

export interface ProcessInstall extends WorkflowInstall {
  automations: string[];
}

/**
 * The app's processes (workflows/<id>.bpmn, templates/workflows.ts) and then its automations
 * (automations.json, templates/automations.ts), which may start those processes. Call inside
 * the bootstrap transaction (`deps.db`), after the forms the models are bound to and the
 * departments they route to exist.
 */
export async function installTemplateProcesses(deps: CommandDeps, appKey: string, createdBy: string | null): Promise<ProcessInstall> {
  const workflows = await installTemplateWorkflows(deps, appKey, createdBy);
  const automations = await installTemplateAutomations(deps.db, appKey, deps.clock());
  return { ...workflows, automations };
}
