/** Forms and their immutable versions. */
import type { Knex } from 'knex';

export interface FormVersionView {
  key: string;
  title: string;
  version: number;
  latestVersion: number;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  createdAt: string;
  createdBy: string | null;
}

export interface NewFormVersion {
  key: string;
  title: string;
  schema: Record<string, unknown>;
  uiSchema: Record<string, unknown>;
  createdBy: string | null;
}

interface VersionRow {
  form_key: string;
  version: number;
  title: string;
  schema: Record<string, unknown>;
  ui_schema: Record<string, unknown>;
  created_by: string | null;
  created_at: Date;
  latest_version: number;
}

function toView(row: VersionRow): FormVersionView {
  return {
    key: row.form_key,
    title: row.title,
    version: row.version,
    latestVersion: row.latest_version,
    schema: row.schema,
    uiSchema: row.ui_schema,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
  };
}

/**
 * Stores a new version: 1 for a new key, else latest + 1. The upsert takes the form row's
 * lock, so two concurrent saves of one key get consecutive versions instead of a clash.
 */
export async function insertFormVersion(db: Knex, form: NewFormVersion): Promise<number> {
  return db.transaction(async (trx) => {
    const result = await trx.raw(
      `INSERT INTO forms (key, title, latest_version) VALUES (?, ?, 1)
       ON CONFLICT (key) DO UPDATE SET latest_version = forms.latest_version + 1, title = EXCLUDED.title, updated_at = now()
       RETURNING latest_version`,
      [form.key, form.title],
    );
    const version = result.rows[0].latest_version as number;
    await trx('form_versions').insert({
      form_key: form.key,
      version,
      title: form.title,
      // jsonb via JSON text: node-pg would otherwise send a JS array as a Postgres array.
      schema: JSON.stringify(form.schema),
      ui_schema: JSON.stringify(form.uiSchema),
      created_by: form.createdBy,
    });
    return version;
  });
}

function versionsQuery(db: Knex) {
  return db('form_versions as v')
    .join('forms as f', 'f.key', 'v.form_key')
    .select('v.*', 'f.latest_version');
}

/** The given version, or the latest when `version` is undefined. */
export async function getFormVersion(db: Knex, key: string, version?: number): Promise<FormVersionView | undefined> {
  const row: VersionRow | undefined = await versionsQuery(db)
    .where('v.form_key', key)
    .andWhere('v.version', version ?? db.ref('f.latest_version'))
    .first();
  return row && toView(row);
}

export async function listLatestForms(db: Knex): Promise<FormVersionView[]> {
  const rows: VersionRow[] = await versionsQuery(db).whereRaw('v.version = f.latest_version').orderBy('v.form_key');
  return rows.map(toView);
}

export async function latestVersionOf(db: Knex, key: string): Promise<number | undefined> {
  const row = await db('forms').where({ key }).first('latest_version');
  return row?.latest_version as number | undefined;
}
