/** Reading a template app from `templates/<app>/`: its manifest and form files. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const templatesDir = path.dirname(fileURLToPath(import.meta.url));

export type Localised = { 'zh-CN': string; en: string };

export interface TemplateForm {
  key: string;
  title: Localised;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  /**
   * Fingerprints (templates/formFingerprint.ts) of the versions this app shipped before: an
   * installed form still equal to one of them is upgraded to this one by the loader.
   */
  replaces?: string[];
}

export interface TemplateApp {
  key: string;
  name: Localised;
  description?: Localised;
  forms: TemplateForm[];
  /** Process ids whose models the app deploys from the top-level `workflows/<id>.bpmn`. */
  workflows: string[];
}

/** The top-level `workflows/` folder: one BPMN file per process id, shared by the apps. */
export const workflowsDir = path.join(templatesDir, '..', 'workflows');

/** `workflows/<id>.bpmn` as text. */
export function readWorkflowXml(processId: string): string {
  return readFileSync(path.join(workflowsDir, `${processId}.bpmn`), 'utf8');
}

function readJson(file: string): any {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** Reads `app.json` and each `forms/<key>.json` it lists, in the listed order. */
export function readTemplateApp(appKey: string): TemplateApp {
  const dir = path.join(templatesDir, appKey);
  const manifest = readJson(path.join(dir, 'app.json')) as Omit<TemplateApp, 'forms' | 'workflows'> & { forms: string[]; workflows?: string[] };
  const forms = manifest.forms.map((key) => {
    const form = readJson(path.join(dir, 'forms', `${key}.json`)) as TemplateForm;
    if (form.key !== key) throw new Error(`templates/${appKey}/forms/${key}.json declares key "${form.key}"`);
    return form;
  });
  return { ...manifest, forms, workflows: manifest.workflows ?? [] };
}
