/**
 * Flow forms: which deployed definition a form starts. The binding lives in the compiled
 * model (`compiled->>'formKey'`, indexed by migration 023). Only the latest version of each
 * definition key counts (a redeploy without the binding unbinds it); when several keys are
 * bound to one form, the most recently deployed one starts — as when an admin rebinds a form
 * to a new process.
 */
import type { Db } from '../db/connection.ts';
import { definitionById, type LoadedDefinition } from '../store/definitions.ts';

export interface FlowFormRow {
  formKey: string;
  title: string;
  /** The form's title per language (uiSchema `ui:title`), so a list in English reads in English. */
  titles: FormTitles;
  definitionId: string;
  definitionKey: string;
  definitionName: string | null;
  version: number;
}

export interface FormTitles {
  'zh-CN': string;
  en?: string;
}

/** `ui:title` is a string or `{"zh-CN", "en"}`; the stored plain title is the fallback. */
function titlesOf(uiTitle: unknown, title: string): FormTitles {
  if (typeof uiTitle === 'string' && uiTitle.trim()) return { 'zh-CN': uiTitle };
  const texts = (uiTitle && typeof uiTitle === 'object' ? uiTitle : {}) as Record<string, unknown>;
  const zh = typeof texts['zh-CN'] === 'string' && texts['zh-CN'] ? texts['zh-CN'] : title;
  return typeof texts.en === 'string' && texts.en ? { 'zh-CN': zh, en: texts.en } : { 'zh-CN': zh };
}

/** One row per bound form whose form still exists: the definition that form starts. */
function boundQuery(db: Db) {
  return db
    .select(
      db.raw(`DISTINCT ON (d.compiled->>'formKey') d.compiled->>'formKey' AS form_key`),
      'd.id',
      'd.key',
      'd.name',
      'd.version',
      'fv.title',
      db.raw(`fv.ui_schema->'ui:title' AS ui_title`),
    )
    .from('process_definitions as d')
    .whereRaw(`d.compiled->>'formKey' IS NOT NULL`)
    .whereRaw('d.version = (SELECT max(version) FROM process_definitions WHERE key = d.key)')
    .join('forms as f', 'f.key', db.raw(`d.compiled->>'formKey'`))
    .join('form_versions as fv', (join) => join.on('fv.form_key', 'f.key').andOn('fv.version', 'f.latest_version'))
    .orderByRaw(`d.compiled->>'formKey', d.deployed_at DESC, d.version DESC, d.key`);
}

function toRow(row: any): FlowFormRow {
  return {
    formKey: row.form_key,
    title: row.title,
    titles: titlesOf(row.ui_title, row.title),
    definitionId: row.id,
    definitionKey: row.key,
    definitionName: row.name,
    version: row.version,
  };
}

export async function listBoundForms(db: Db): Promise<FlowFormRow[]> {
  return (await boundQuery(db)).map(toRow);
}

export async function boundForm(db: Db, formKey: string): Promise<FlowFormRow | undefined> {
  const row = await boundQuery(db).whereRaw(`d.compiled->>'formKey' = ?`, [formKey]).first();
  return row ? toRow(row) : undefined;
}

/** The definition a submission of `formKey` starts, or null when no flow is bound. */
export async function boundDefinition(db: Db, formKey: string): Promise<LoadedDefinition | null> {
  const row = await boundForm(db, formKey);
  return row ? definitionById(db, row.definitionId) : null;
}
