/**
 * Runs generated hostile models (hostileModels.ts) against a live server and checks what it
 * did with each:
 *   - deploy (POST /api/definitions) answers 201 or a 4xx `{error: {code, message}}`; a refused
 *     model left no definition row;
 *   - a deployed model's start (POST /api/instances) answers 201 or a 4xx naming the problem;
 *     a refused start left no instance;
 *   - a started instance is waiting, finished or in an incident, and holds a bounded number of
 *     tasks and jobs (the token limit) — after its timers had time to fire;
 *   - never a 5xx, never a hang: every request has a deadline;
 * while a health watcher (healthWatch.ts) records GET /api/health's answer times; the caller
 * judges those. A failure names the seed and the case (`npm run fuzz -- --suite models --seed S`).
 */
import fc from 'fast-check';
import type { Knex } from 'knex';
import { buildModel, describeSpec, hostileModelSpec, type HostileModel, type HostileModelSpec } from './hostileModels.ts';
import type { HealthWatch } from './healthWatch.ts';

export interface ModelApi {
  url: string;
  token: string;
  db: Knex;
}

export interface ModelCaseResult {
  spec: HostileModelSpec;
  deploy: number;
  start?: number;
  /** The refusal's or the incident's code and message, cut short. */
  said?: string;
  instanceStatus?: string;
  ms: number;
}

export interface ModelRunOptions {
  seed: number;
  runs: number;
  /** Deadline of one request; a command's own budget is 3 s by default. */
  requestTimeoutMs?: number;
  /** How long a started instance's timers get to fire before it is judged. */
  settleMs?: number;
  watch?: HealthWatch;
  /** Each finished case, for progress lines. */
  onCase?: (result: ModelCaseResult, index: number) => void;
  /** Only this arbitrary (default: every family). */
  arbitrary?: fc.Arbitrary<HostileModelSpec>;
}

/**
 * A request this large is parsed (JSON, then the XML by bpmn-moddle) on the event loop in one
 * go, in time that grows with its size: its case is labelled `[large]` so that the health
 * figures can be read apart (docs/security.md: not fixed).
 */
export const LARGE_REQUEST_BYTES = 100_000;

export function isLarge(model: HostileModel): boolean {
  return model.xml.length + JSON.stringify(model.variables).length >= LARGE_REQUEST_BYTES;
}

/** Tasks or jobs one instance may have made: the token limit, and a little slack. */
const MAX_ROWS_PER_INSTANCE = 10_001;

class CaseFailure extends Error {}

async function post(api: ModelApi, path: string, body: unknown, timeoutMs: number): Promise<{ status: number; body: any }> {
  const started = Date.now();
  let response: Response;
  try {
    response = await fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${api.token}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new CaseFailure(`POST ${path} did not answer within ${timeoutMs} ms (${(error as Error).message}); after ${Date.now() - started} ms`);
  }
  const text = await response.text();
  try {
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: response.status, body: text };
  }
}

function said(body: any): string {
  const error = body?.error;
  return `${error?.code}: ${String(error?.message ?? '').slice(0, 160)}`;
}

/** A 4xx must say what was wrong; a 5xx is a failure. */
function judgeAnswer(what: string, answer: { status: number; body: any }): void {
  if (answer.status >= 500) throw new CaseFailure(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  if (answer.status >= 400 && (typeof answer.body?.error?.code !== 'string' || typeof answer.body?.error?.message !== 'string')) {
    throw new CaseFailure(`${what} answered ${answer.status} without {error: {code, message}}: ${JSON.stringify(answer.body).slice(0, 500)}`);
  }
}

async function count(db: Knex, table: string, where: Record<string, unknown>): Promise<number> {
  const [{ n }] = await db(table).where(where).count({ n: '*' });
  return Number(n);
}

/** One case: deploy, start, judge. Throws CaseFailure naming what went wrong. */
export async function runModelCase(api: ModelApi, spec: HostileModelSpec, key: string, options: { requestTimeoutMs: number; settleMs: number }, model = buildModel(spec, key)): Promise<ModelCaseResult> {
  const started = Date.now();
  const deployed = await post(api, '/api/definitions', { xml: model.xml }, options.requestTimeoutMs);
  judgeAnswer('deploy', deployed);
  const result: ModelCaseResult = { spec, deploy: deployed.status, ms: 0 };
  if (deployed.status !== 201) {
    result.said = said(deployed.body);
    const left = await count(api.db, 'process_definitions', { key });
    if (left !== 0) throw new CaseFailure(`deploy answered ${deployed.status} but left ${left} definition(s) of ${key}`);
  } else if (model.startable) {
    const startedInstance = await post(api, '/api/instances', { definitionKey: key, variables: model.variables }, options.requestTimeoutMs);
    judgeAnswer('start', startedInstance);
    result.start = startedInstance.status;
    if (startedInstance.status !== 201) {
      result.said = said(startedInstance.body);
      const left = await count(api.db, 'process_instances', { definition_key: key });
      if (left !== 0) throw new CaseFailure(`start answered ${startedInstance.status} but left ${left} instance(s) of ${key}`);
    } else {
      const instanceId = startedInstance.body.id as string;
      const due = await api.db('jobs').where({ instance_id: instanceId }).where('due_at', '<=', api.db.raw(`now() + interval '2 seconds'`)).count({ n: '*' });
      // Timers due now get their chance to fire (and to misbehave) before the instance is judged.
      if (Number(due[0]!.n) > 0) await new Promise((resolve) => setTimeout(resolve, options.settleMs));
      const instance = await api.db('process_instances').where({ id: instanceId }).first('status');
      result.instanceStatus = instance?.status;
      if (!['active', 'completed', 'incident', 'terminated'].includes(String(instance?.status))) {
        throw new CaseFailure(`the started instance is in status ${instance?.status}`);
      }
      const incident = await api.db('incidents').where({ instance_id: instanceId }).first('message');
      if (incident) result.said = `incident: ${String(incident.message).slice(0, 160)}`;
      for (const table of ['tasks', 'jobs']) {
        const rows = await count(api.db, table, { instance_id: instanceId });
        if (rows > MAX_ROWS_PER_INSTANCE) throw new CaseFailure(`the instance made ${rows} ${table} (more than the token limit)`);
      }
    }
  }
  result.ms = Date.now() - started;
  return result;
}

/**
 * `runs` generated cases from `seed`, one after another (each alone, so a slow answer is
 * its own). Throws with the seed, the case and what went wrong; no shrinking (a case is
 * already small to describe, and every try costs seconds).
 */
export async function runHostileModels(api: ModelApi, options: ModelRunOptions): Promise<ModelCaseResult[]> {
  const results: ModelCaseResult[] = [];
  const requestTimeoutMs = options.requestTimeoutMs ?? 20_000;
  const settleMs = options.settleMs ?? 1_000;
  let index = 0;
  const property = fc.asyncProperty(options.arbitrary ?? hostileModelSpec, async (spec) => {
    const key = `hostile_${options.seed >>> 0}_${index}`;
    const model = buildModel(spec, key);
    options.watch?.label(`case ${index}${isLarge(model) ? ' [large]' : ''} ${describeSpec(spec).slice(0, 200)}`);
    try {
      const result = await runModelCase(api, spec, key, { requestTimeoutMs, settleMs }, model);
      results.push(result);
      options.onCase?.(result, index);
    } catch (error) {
      if (error instanceof CaseFailure) throw new Error(`case ${index} (${key}) ${describeSpec(spec)}: ${error.message}`);
      throw error;
    } finally {
      options.watch?.label('between cases');
      index += 1;
    }
  });
  const outcome = await fc.check(property, { seed: options.seed, numRuns: options.runs, endOnFailure: true });
  if (outcome.failed) {
    const reason = outcome.errorInstance instanceof Error ? outcome.errorInstance.message : String(outcome.errorInstance);
    throw new Error(`hostile model failed (seed ${options.seed}, replay: npm run fuzz -- --suite models --seed ${options.seed} --runs ${index}):\n${reason}`);
  }
  return results;
}

/** Answer counts by family and outcome, for the run's report. */
export function summarize(results: ModelCaseResult[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const r of results) {
    const outcome = r.deploy !== 201 ? `deploy ${r.deploy}` : r.start === undefined ? 'deployed' : r.start !== 201 ? `start ${r.start}` : `instance ${r.instanceStatus}`;
    const family = (out[r.spec.family] ??= {});
    family[outcome] = (family[outcome] ?? 0) + 1;
  }
  return out;
}
