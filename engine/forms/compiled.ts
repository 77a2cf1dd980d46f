/**
 * Compiled validators keyed by (form key, version). Versions are immutable, so entries never
 * go stale; the map is bounded and per database (tests run several databases in one
 * process, where the same key and version can mean different schemas). A transaction shares
 * its pool's cache: callers inside one pass their `trx` and still hit the cache.
 */
import type { Knex } from 'knex';
import { NotFoundError } from '../errors.ts';
import { getFormVersion, latestVersionOf } from '../store/forms.ts';
import { formValidator } from './schemaWorker.ts';
import type { DataErrors } from './validator.ts';

export interface CompiledForm {
  key: string;
  version: number;
  schema: Record<string, unknown>;
  /** ajv's errors for data (null when valid): give it to `assertValidData`. Large schemas run in the model worker (schemaWorker.ts). */
  errorsOf: DataErrors;
}

const MAX_ENTRIES = 500;
const caches = new WeakMap<object, Map<string, CompiledForm>>();

function cacheOf(db: Knex): Map<string, CompiledForm> {
  // knex gives a transaction's client the pool client's own config object: one key for both.
  const owner = (db.client as { config: object }).config;
  let cache = caches.get(owner);
  if (!cache) caches.set(owner, (cache = new Map()));
  return cache;
}

/** The given version of a form, or its latest; 404 when there is none. */
export async function compiledForm(db: Knex, key: string, version?: number): Promise<CompiledForm> {
  const wanted = version ?? (await latestVersionOf(db, key));
  if (wanted === undefined) throw new NotFoundError(`No form "${key}"`);
  const cache = cacheOf(db);
  const id = `${key}@${wanted}`;
  const hit = cache.get(id);
  if (hit) {
    // Least recently used goes first: re-insert moves the entry to the end.
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const form = await getFormVersion(db, key, wanted);
  if (!form) throw new NotFoundError(`No version ${wanted} of form "${key}"`);
  const compiled = { key, version: wanted, schema: form.schema, errorsOf: await formValidator(form.schema) };
  cache.set(id, compiled);
  if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  return compiled;
}
