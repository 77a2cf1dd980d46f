/**
 * What the database holds for a template app's forms: installed version, record count,
 * routing configuration, and the latest process definitions bound to them. The app
 * manifests themselves are files (templates/<app>/app.json); server/routes/apps.ts joins both.
 */
import type { Db } from '../db/connection.ts';

export interface AppFormFacts {
  key: string;
  title: string;
  version: number;
  recordCount: number;
  /** null when the form does not route its records (自动分派). */
  routing: { defaultDepartmentId: string; ruleCount: number } | null;
}

export interface AppDefinitionFacts {
  id: string;
  key: string;
  name: string | null;
  version: number;
  formKey: string | null;
  deployedAt: string;
}

/** The installed forms among `keys` (forms not installed are left out). */
export async function appFormFacts(db: Db, keys: string[]): Promise<AppFormFacts[]> {
  if (keys.length === 0) return [];
  const [forms, counts, routing, rules] = await Promise.all([
    db('forms as f')
      .join('form_versions as fv', (join) => join.on('fv.form_key', 'f.key').andOn('fv.version', 'f.latest_version'))
      .whereIn('f.key', keys)
      .select('f.key', 'fv.title', 'f.latest_version'),
    db('records').whereIn('form_key', keys).groupBy('form_key').select('form_key', db.raw('count(*)::int AS n')),
    db('routing_forms').whereIn('form_key', keys).select('form_key', 'default_department_id'),
    db('routing_rules').whereIn('form_key', keys).groupBy('form_key').select('form_key', db.raw('count(*)::int AS n')),
  ]);
  const countOf = new Map(counts.map((row: any) => [row.form_key as string, row.n as number]));
  const ruleCountOf = new Map(rules.map((row: any) => [row.form_key as string, row.n as number]));
  const routingOf = new Map(routing.map((row: any) => [row.form_key as string, row.default_department_id as string]));
  return forms.map((row: any) => {
    const defaultDepartmentId = routingOf.get(row.key);
    return {
      key: row.key,
      title: row.title,
      version: row.latest_version,
      recordCount: countOf.get(row.key) ?? 0,
      routing: defaultDepartmentId ? { defaultDepartmentId, ruleCount: ruleCountOf.get(row.key) ?? 0 } : null,
    };
  });
}

/** Latest version of each definition bound to one of the app's forms (`compiled->>'formKey'`). */
export async function appDefinitions(db: Db, formKeys: string[]): Promise<AppDefinitionFacts[]> {
  if (formKeys.length === 0) return [];
  const rows = await db('process_definitions as d')
    .whereRaw('d.version = (SELECT max(version) FROM process_definitions WHERE key = d.key)')
    .whereRaw(`d.compiled->>'formKey' = ANY(?)`, [formKeys])
    .orderBy('d.key')
    .select('d.id', 'd.key', 'd.name', 'd.version', 'd.deployed_at', db.raw(`d.compiled->>'formKey' AS form_key`));
  return rows.map((row: any) => ({
    id: row.id,
    key: row.key,
    name: row.name,
    version: row.version,
    formKey: row.form_key,
    deployedAt: new Date(row.deployed_at).toISOString(),
  }));
}
