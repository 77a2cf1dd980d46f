/**
 * Installs a template app: each of its forms whose key is not taken yet, and — for a form
 * installed just now — the app's demo records. Re-running installs nothing twice, and never
 * overwrites a form an admin has since changed.
 */
import type { Knex } from 'knex';
import { compiledForm } from '../engine/forms/compiled.ts';
import { saveForm } from '../engine/forms/forms.ts';
import { assertValid } from '../engine/forms/validator.ts';
import { latestVersionOf } from '../engine/store/forms.ts';
import { insertRecord } from '../engine/store/records.ts';
import { readTemplateApp } from './app.ts';
import { demoRecords as keyAccountDemo } from './key-account/demo.ts';

const DEMO_RECORDS: Record<string, Record<string, object[]>> = {
  'key-account': keyAccountDemo,
};

export interface InstallResult {
  installedForms: string[];
  demoRecords: number;
}

/** Call inside the bootstrap transaction; `createdBy` is the admin the rows are attributed to. */
export async function installTemplateApp(db: Knex, appKey: string, createdBy: string | null): Promise<InstallResult> {
  const app = readTemplateApp(appKey);
  const result: InstallResult = { installedForms: [], demoRecords: 0 };
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
  return result;
}
