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
  definitionId: string;
  definitionKey: string;
  definitionName: string | null;
  version: number;
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
