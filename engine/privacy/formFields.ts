/**
 * The personal fields of a stored form version. Versions never change once written, so the
 * answer is cached per database (keyed by the connection's config, which a transaction shares)
 * and costs one query per form version per process.
 */
import type { Knex } from 'knex';
import { personalFields, type PersonalKind } from './personal.ts';

const caches = new WeakMap<object, Map<string, Map<string, PersonalKind>>>();

function cacheOf(db: Knex): Map<string, Map<string, PersonalKind>> {
  const owner = (db.client as { config: object }).config;
  let cache = caches.get(owner);
  if (!cache) caches.set(owner, (cache = new Map()));
  return cache;
}

export async function personalFieldsOf(db: Knex, formKey: string, version: number): Promise<Map<string, PersonalKind>> {
  const cache = cacheOf(db);
  const id = `${formKey}\u0000${version}`;
  const known = cache.get(id);
  if (known) return known;
  const row = await db('form_versions').where({ form_key: formKey, version }).first('schema');
  const fields = personalFields(row?.schema);
  // An unknown version (a record written before its form, in a test) is not cached: it may come later.
  if (row) cache.set(id, fields);
  return fields;
}

/** Form keys whose some version marks a personal field, with the union of those fields. */
export async function formsWithPersonalFields(db: Knex): Promise<Map<string, Map<string, PersonalKind>>> {
  const rows: Array<{ form_key: string; schema: unknown }> = await db('form_versions')
    .whereRaw(`schema::text LIKE '%x-personal%'`)
    .select('form_key', 'schema');
  const forms = new Map<string, Map<string, PersonalKind>>();
  for (const row of rows) {
    const fields = personalFields(row.schema);
    if (fields.size === 0) continue;
    const union = forms.get(row.form_key) ?? new Map<string, PersonalKind>();
    for (const [name, kind] of fields) union.set(name, kind);
    forms.set(row.form_key, union);
  }
  return forms;
}
