/** Queries on `process_definitions`. Compiled models are immutable, so they are cached by id. */
import type { CompiledProcess } from '../bpmn/model.ts';
import type { Db } from '../db/connection.ts';
import { preparedName } from '../db/prepared.ts';

export interface DefinitionRow {
  id: string;
  key: string;
  version: number;
  name: string | null;
  deployedAt: Date;
}

export interface LoadedDefinition extends DefinitionRow {
  process: CompiledProcess;
}

const compiledById = new Map<string, LoadedDefinition>();

function toLoaded(row: any): LoadedDefinition {
  return { id: row.id, key: row.key, version: row.version, name: row.name, deployedAt: row.deployed_at, process: row.compiled };
}

export async function insertDefinition(
  db: Db,
  values: { key: string; name: string | null; xml: string; process: CompiledProcess; deployedBy: string | null },
): Promise<LoadedDefinition> {
  // Versions increment per key; the unique (key, version) index turns a race into an error.
  const [{ next }] = await db('process_definitions')
    .where({ key: values.key })
    .select(db.raw('coalesce(max(version), 0) + 1 AS next'));
  const [row] = await db('process_definitions')
    .insert({
      key: values.key,
      version: next,
      name: values.name,
      xml: values.xml,
      compiled: JSON.stringify(values.process),
      deployed_by: values.deployedBy,
    })
    .returning('*');
  const loaded = toLoaded(row);
  compiledById.set(loaded.id, loaded);
  return loaded;
}

export async function definitionById(db: Db, id: string): Promise<LoadedDefinition | null> {
  const cached = compiledById.get(id);
  if (cached) return cached;
  const row = await db('process_definitions').where({ id }).first();
  if (!row) return null;
  const loaded = toLoaded(row);
  compiledById.set(id, loaded);
  return loaded;
}

// Every start runs it: prepared per connection (db/prepared.ts).
const LATEST_DEFINITION_ID = 'SELECT id FROM process_definitions WHERE key = ? ORDER BY version DESC LIMIT 1';
const LATEST_DEFINITION_ID_NAME = preparedName(LATEST_DEFINITION_ID);

export async function latestDefinition(db: Db, key: string): Promise<LoadedDefinition | null> {
  const { rows } = await db.raw(LATEST_DEFINITION_ID, [key]).options({ name: LATEST_DEFINITION_ID_NAME });
  return rows[0] ? definitionById(db, rows[0].id) : null;
}

export async function listDefinitions(db: Db, options: { latestOnly?: boolean } = {}): Promise<DefinitionRow[]> {
  const query = db('process_definitions as d').select('d.id', 'd.key', 'd.version', 'd.name', 'd.deployed_at');
  if (options.latestOnly) {
    query.whereRaw('d.version = (SELECT max(version) FROM process_definitions WHERE key = d.key)');
  }
  const rows = await query.orderBy([{ column: 'd.key' }, { column: 'd.version', order: 'desc' }]);
  return rows.map((row: any) => ({ id: row.id, key: row.key, version: row.version, name: row.name, deployedAt: row.deployed_at }));
}

export async function definitionXml(db: Db, id: string): Promise<string | null> {
  const row = await db('process_definitions').where({ id }).select('xml').first();
  return row?.xml ?? null;
}
