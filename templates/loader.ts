/**
 * Installs a template app: each of its forms whose key is not taken yet, and — for a form
 * installed just now — the app's demo records. Re-running installs nothing twice, and never
 * overwrites a form an admin has since changed.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { compiledForm } from '../engine/forms/compiled.ts';
import { saveForm } from '../engine/forms/forms.ts';
import { assertValid } from '../engine/forms/validator.ts';
import { installAppTemplates } from '../engine/notifications/install.ts';
import { installRoutingDefaults, type RoutingDefaults } from '../engine/routing/defaults.ts';
import { latestVersionOf } from '../engine/store/forms.ts';
import { insertRecord } from '../engine/store/records.ts';
import { readTemplateApp, templatesDir } from './app.ts';
import { demoRecords as keyAccountDemo } from './key-account/demo.ts';

const DEMO_RECORDS: Record<string, Record<string, object[]>> = {
  'key-account': keyAccountDemo,
};

export interface InstallResult {
  installedForms: string[];
  demoRecords: number;
  /** Forms whose default routing rules (templates/<app>/routing.json) were installed now. */
  routedForms: string[];
}

/** Call inside the bootstrap transaction; `createdBy` is the admin the rows are attributed to. */
export async function installTemplateApp(db: Knex, appKey: string, createdBy: string | null): Promise<InstallResult> {
  const app = readTemplateApp(appKey);
  const result: InstallResult = { installedForms: [], demoRecords: 0, routedForms: [] };
  for (const form of app.forms) {
    if ((await latestVersionOf(db, form.key)) !== undefined) continue;
    const { version } = await saveForm(
      db,
      { key: form.key, title: form.title['zh-CN'], schema: form.schema, uiSchema: form.uiSchema },
      createdBy,
    );
    result.installedForms.push(form.key);

    const compiled = await compiledForm(db, form.key, version);
    for (const data of DEMO_RECORDS[appKey]?.[form.key] ?? []) {
      // Demo data goes through the same validation as user input: a broken template fails loudly.
      assertValid(compiled.validate, data, 'en');
      await insertRecord(db, { formKey: form.key, formVersion: version, data, createdBy });
      result.demoRecords += 1;
    }
  }
  result.routedForms = await installTemplateRouting(db, appKey);
  // Message and print templates (notifications/, print/); existing keys are left alone.
  await installAppTemplates(db, path.join(templatesDir, appKey));
  return result;
}

/** `templates/<app>/routing.json`, when the app ships default routing rules. */
export async function installTemplateRouting(db: Knex, appKey: string): Promise<string[]> {
  const file = path.join(templatesDir, appKey, 'routing.json');
  if (!existsSync(file)) return [];
  return installRoutingDefaults(db, JSON.parse(readFileSync(file, 'utf8')) as RoutingDefaults);
}
