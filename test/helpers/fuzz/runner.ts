/**
 * Runs generated hostile requests at one write route and checks each answer:
 *   - never a 5xx, and never a hang (each request has a deadline);
 *   - a 4xx carries `{error: {code, message}}` naming the problem, and left the database as it
 *     was (row counts and contents of the main tables before and after: no partial write);
 *   - a 2xx left stored data that validates: every record it wrote matches its form version's
 *     schema, every form version it saved compiles; after the route, the process invariants
 *     of `npm run check:consistency` hold.
 * A failing case throws with the seed, the case and the answer, so it replays
 * (`npm run fuzz -- --seed S --route R`, or FUZZ_SEED for the test files).
 */
import fc from 'fast-check';
import type { Knex } from 'knex';
import { checkConsistency } from '../../../engine/consistency/index.ts';
import { compiledForm } from '../../../engine/forms/compiled.ts';
import { compileSchema } from '../../../engine/forms/validator.ts';
import { decryptPersonal } from '../../../engine/privacy/crypto.ts';
import type { Fixture } from './fixtures.ts';
import { describeBody, garbageSegment, hostileBody, wire, type WireBody } from './hostile.ts';
import { fillPath } from './routes.ts';
import type { FuzzTarget } from './targets.ts';

/** Tables whose rows a refused request must not touch. (Sessions, the audit log and socket.io's table legitimately change.) */
const WATCHED = [
  'users', 'user_roles', 'roles', 'departments', 'department_members', 'forms', 'form_versions', 'form_access', 'form_retention',
  'records', 'process_definitions', 'process_instances', 'tasks', 'task_actions', 'activity_history', 'event_subscriptions', 'jobs',
  'incidents', 'cc_entries', 'tickets', 'routing_forms', 'routing_rules', 'automations', 'print_templates', 'message_templates',
  'public_links', 'public_link_answers', 'dashboards', 'permission_groups', 'notifications', 'import_jobs', 'webhook_subscriptions', 'webhook_hooks',
];

/** Columns that change on a read or a background tick, left out of the content hash. */
const VOLATILE: Record<string, string[]> = { users: ['last_login_at', 'failed_logins', 'locked_until'], jobs: ['locked_by', 'locked_until'], import_jobs: ['updated_at'] };

export interface FuzzStats {
  route: string;
  runs: number;
  statuses: Record<string, number>;
}

export interface FuzzOptions {
  seed: number;
  runs: number;
  timeoutMs?: number;
  /** Shrink a failure to a smaller case (slower: each try is more requests). */
  shrink?: boolean;
  warn?: (line: string) => void;
}

/** A route's own seed from the run's seed, so one route replays alone with the same seed. */
export function routeSeed(seed: number, route: string): number {
  let h = seed | 0;
  for (const c of route) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

async function snapshot(db: Knex, columns: Map<string, string[]>): Promise<{ at: string; tables: Record<string, string> }> {
  const parts = WATCHED.map((table) => {
    const cols = (columns.get(table) ?? []).filter((c) => !(VOLATILE[table] ?? []).includes(c));
    const row = cols.length ? `jsonb_build_array(${cols.map((c) => `t."${c}"`).join(', ')})::text` : "''";
    return `(SELECT count(*) || ':' || coalesce(md5(string_agg(md5(${row}), '' ORDER BY md5(${row}))), '') FROM "${table}" t) AS "${table}"`;
  });
  const { rows } = await db.raw(`SELECT now()::text AS at, ${parts.join(', ')}`);
  const { at, ...tables } = rows[0];
  return { at, tables };
}

async function columnsOf(db: Knex): Promise<Map<string, string[]>> {
  const { rows } = await db.raw(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY ordinal_position`);
  const out = new Map<string, string[]>();
  for (const row of rows as { table_name: string; column_name: string }[]) {
    out.set(row.table_name, [...(out.get(row.table_name) ?? []), row.column_name]);
  }
  for (const table of WATCHED) if (!out.has(table)) throw new Error(`the fuzz runner watches table ${table}, which no longer exists`);
  return out;
}

/** Records and form versions written at or after `since` validate against their schemas. */
async function storedDataProblems(db: Knex, since: string): Promise<string[]> {
  const problems: string[] = [];
  const records = await db('records').where('updated_at', '>=', since).orWhere('created_at', '>=', since).select('id', 'form_key', 'form_version', 'data', 'instance_id');
  for (const record of records) {
    const form = await compiledForm(db, record.form_key, record.form_version);
    const found = await form.errorsOf(decryptPersonal(record.data));
    if (!found) continue;
    // A flow form's record is filled in by the tasks of its process (engine/forms/flowStartRecords.ts):
    // a required field may still be missing, but what is there must be of the right kind.
    const errors = found.filter((error) => !(record.instance_id && error.keyword === 'required'));
    if (errors.length > 0) problems.push(`record ${record.id} of ${record.form_key}@${record.form_version} does not validate: ${JSON.stringify(errors).slice(0, 400)}`);
  }
  for (const version of await db('form_versions').where('created_at', '>=', since).select('form_key', 'version', 'schema')) {
    try {
      compileSchema(version.schema);
    } catch (error) {
      problems.push(`form ${version.form_key}@${version.version} was saved with a schema that does not compile: ${(error as Error).message}`);
    }
  }
  return problems;
}

export async function fuzzRoute(route: string, target: FuzzTarget, fx: Fixture, options: FuzzOptions): Promise<FuzzStats> {
  const [method, template] = route.split(' ') as [string, string];
  const paramNames = [...template.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const columns = await columnsOf(fx.db);
  const stats: FuzzStats = { route, runs: 0, statuses: {} };
  const bodies = target.body ? target.body(fx) : hostileBody(target.examples?.(fx) ?? []);
  const input = fc.record({
    body: bodies,
    // One case in five garbles one path parameter (when the route has any).
    garble: paramNames.length > 0 ? fc.option(fc.tuple(fc.constantFrom(...paramNames), garbageSegment), { freq: 4 }) : fc.constant(null),
  });
  const token = target.token === 'anonymous' ? undefined : fx.admin;
  const seed = routeSeed(options.seed, route);
  // An example the route refuses makes its mutations shallow (all stopped at the first check): say so.
  for (const example of target.examples?.(fx) ?? []) {
    const params = Object.fromEntries(paramNames.map((name) => [name, encodeURIComponent((target.params?.(fx) ?? {})[name] ?? 'missing')]));
    const response = await fetch(`${fx.api.url}${fillPath(template, params)}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...target.headers?.(fx) },
      body: JSON.stringify(example),
    });
    const answer = { status: response.status, body: await response.text() };
    if (answer.status >= 400 && !(target.exampleRefused ?? []).includes(answer.status)) {
      options.warn?.(`${route}: its example is refused (${answer.status} ${answer.body.slice(0, 300)})`);
    }
    if (answer.status < 300 && target.fresh) await fx.fresh(target.fresh);
  }

  const property = fc.asyncProperty(input, async ({ body, garble }: { body: WireBody; garble: [string, string] | null }) => {
    const params = Object.fromEntries(paramNames.map((name) => [name, encodeURIComponent((target.params?.(fx) ?? {})[name] ?? 'missing')]));
    if (garble) params[garble[0]] = garble[1];
    const path = fillPath(template, params);
    const before = await snapshot(fx.db, columns);
    const { body: payload, contentType } = wire(body);
    const describe = () => `${method} ${path}\n  body: ${describeBody(body)}\n  seed ${options.seed} (route seed ${seed})`;
    let status: number;
    let text: string;
    try {
      const response = await fetch(`${fx.api.url}${path}`, {
        method,
        headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}), ...target.headers?.(fx) },
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw new Error(`no answer (${(error as Error).name}: ${(error as Error).message}) to ${describe()}`);
    }
    stats.runs += 1;
    stats.statuses[status] = (stats.statuses[status] ?? 0) + 1;
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (status >= 500) throw new Error(`${status} ${text.slice(0, 300)} for ${describe()}`);
    if (status >= 400) {
      if (typeof json?.error?.code !== 'string' || typeof json.error.message !== 'string' || json.error.message.length === 0) {
        throw new Error(`${status} without an error naming the problem (${text.slice(0, 300)}) for ${describe()}`);
      }
      const after = await snapshot(fx.db, columns);
      const changed = WATCHED.filter((table) => before.tables[table] !== after.tables[table]);
      if (changed.length > 0) throw new Error(`${status} ${json.error.code} but the request changed ${changed.join(', ')} (a partial write) for ${describe()}`);
      return;
    }
    if (status < 200 || status >= 300) throw new Error(`unexpected ${status} for ${describe()}`);
    const problems = await storedDataProblems(fx.db, before.at);
    if (problems.length > 0) throw new Error(`${status} but stored data is invalid: ${problems.join('; ')} for ${describe()}`);
    if (target.fresh && !garble) await fx.fresh(target.fresh);
  });
  try {
    // fc.check, not fc.assert: the assert message prints the whole counterexample (a 20,000-key object is 250 kB).
    const details = await fc.check(property, { seed, numRuns: options.runs, endOnFailure: !options.shrink });
    if (details.failed) {
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`${route} failed after ${details.numRuns} case(s) (fast-check seed ${details.seed}, path ${details.counterexamplePath}):\n${cause}`);
    }
  } finally {
    await target.cleanUp?.(fx);
  }
  const violations = await checkConsistency(fx.db);
  if (violations.length > 0) throw new Error(`after fuzzing ${route} (seed ${options.seed}) the database breaks its invariants: ${JSON.stringify(violations.slice(0, 5))}`);
  return stats;
}
