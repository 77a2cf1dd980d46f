/** Queries on `automations` (智能助手) and `automation_runs`. */
import type { Knex } from 'knex';
import type { AutomationSchedule } from '../automations/schedule.ts';

export type AutomationTrigger = 'record.created' | 'record.updated' | 'process.finished' | 'schedule';

export interface AutomationInput {
  name: string;
  trigger: AutomationTrigger;
  formKey: string | null;
  definitionKey: string | null;
  filter: string | null;
  /** `schedule` trigger only: when it ticks (engine/automations/schedule.ts). */
  schedule: AutomationSchedule | null;
  actions: Array<Record<string, any>>;
  enabled: boolean;
}

export interface Automation extends AutomationInput {
  id: string;
  /** `schedule` trigger: the pending tick (null when disabled or none is pending). */
  nextRunAt?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AutomationRun {
  id: string;
  automationId: string;
  /** The `automation:run` job; null for runs from before runs were jobs. */
  jobId: string | null;
  trigger: string;
  recordId: string | null;
  /** `schedule` trigger: the tick the run belongs to. */
  tickAt: string | null;
  status: 'done' | 'failed' | 'loop_stopped';
  chain: string[];
  error: string | null;
  createdAt: string;
}

const toAutomation = (row: any): Automation => ({
  id: row.id,
  name: row.name,
  trigger: row.trigger,
  formKey: row.form_key,
  definitionKey: row.definition_key,
  filter: row.filter,
  schedule: row.schedule ?? null,
  actions: row.actions,
  enabled: row.enabled,
  ...(row.trigger === 'schedule' ? { nextRunAt: row.next_run_at ? new Date(row.next_run_at).toISOString() : null } : {}),
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const toRow = (a: AutomationInput) => ({
  name: a.name,
  trigger: a.trigger,
  form_key: a.formKey,
  definition_key: a.definitionKey,
  filter: a.filter,
  schedule: a.schedule ? JSON.stringify(a.schedule) : null,
  actions: JSON.stringify(a.actions),
  enabled: a.enabled,
});

/** The pending tick of a scheduled automation (its `automation:tick` job not yet started). */
const nextRunAt = (db: Knex) =>
  db.raw(
    `(SELECT min(due_at) FROM jobs WHERE type = 'automation:tick' AND payload->>'automationId' = automations.id::text AND NOT coalesce((payload->>'started')::boolean, false)) AS next_run_at`,
  );

export async function listAutomations(db: Knex): Promise<Automation[]> {
  return (await db('automations').select('automations.*', nextRunAt(db)).orderBy('created_at')).map(toAutomation);
}

export async function getAutomation(db: Knex, id: string): Promise<Automation | undefined> {
  const row = await db('automations').select('automations.*', nextRunAt(db)).where({ id }).first();
  return row ? toAutomation(row) : undefined;
}

/** The enabled automations a trigger on `key` (form or definition key) concerns. */
export async function automationsFor(db: Knex, trigger: AutomationTrigger, key: string): Promise<Automation[]> {
  const column = trigger === 'process.finished' ? 'definition_key' : 'form_key';
  return (await db('automations').where({ trigger, enabled: true, [column]: key }).orderBy('created_at')).map(toAutomation);
}

export async function insertAutomation(db: Knex, a: AutomationInput): Promise<Automation> {
  const [row] = await db('automations').insert(toRow(a)).returning('*');
  return toAutomation(row);
}

export async function updateAutomation(db: Knex, id: string, a: AutomationInput): Promise<Automation | undefined> {
  const [row] = await db('automations').where({ id }).update({ ...toRow(a), updated_at: db.fn.now() }).returning('*');
  return row ? toAutomation(row) : undefined;
}

export async function deleteAutomation(db: Knex, id: string): Promise<boolean> {
  return (await db('automations').where({ id }).delete()) > 0;
}

/** Whether any enabled automation concerns a trigger on `key`: the probe before queuing a job. */
export async function hasEnabledAutomations(db: Knex, trigger: AutomationTrigger, key: string): Promise<boolean> {
  const column = trigger === 'process.finished' ? 'definition_key' : 'form_key';
  return (await db('automations').where({ trigger, enabled: true, [column]: key }).first(db.raw('1 AS found'))) !== undefined;
}

/**
 * Inserts the run row of (job, automation), or nothing when that pair already has one: the
 * unique index makes this the claim. Returns the new row's id, or null when the automation
 * already ran for this job (a retry) — or a concurrent holder of the job is running it, in
 * which case this insert waits for that transaction and then finds the row.
 */
export async function claimAutomationRun(
  trx: Knex,
  run: { jobId: string; automationId: string; trigger: string; recordId: string | null; status: AutomationRun['status']; chain: string[]; error: string | null },
): Promise<string | null> {
  const rows = await trx('automation_runs')
    .insert({
      job_id: run.jobId,
      automation_id: run.automationId,
      trigger: run.trigger,
      record_id: run.recordId,
      status: run.status,
      chain: JSON.stringify(run.chain),
      error: run.error,
    })
    .onConflict(['job_id', 'automation_id'])
    .ignore()
    .returning('id');
  return rows[0]?.id ?? null;
}

export async function settleAutomationRun(trx: Knex, id: string, status: AutomationRun['status'], error: string | null): Promise<void> {
  await trx('automation_runs').where({ id }).update({ status, error });
}

/**
 * `process_instances.automation_chain` belongs to automations (migration 022), so its two
 * queries live here rather than in instances.ts.
 */
export async function setInstanceAutomationChain(trx: Knex, instanceId: string, chain: string[]): Promise<void> {
  await trx('process_instances').where({ id: instanceId }).update({ automation_chain: JSON.stringify(chain) });
}

/** SQL (one `?`: the instance id) for the automation chain of an instance, else of the nearest calling instance that has one; NULL if none. */
const INSTANCE_CHAIN_SQL = `(WITH RECURSIVE up AS (
       SELECT id, parent_instance_id, automation_chain, 0 AS depth FROM process_instances WHERE id = ?
       UNION ALL
       SELECT p.id, p.parent_instance_id, p.automation_chain, up.depth + 1
       FROM process_instances p JOIN up ON p.id = up.parent_instance_id
       WHERE up.automation_chain IS NULL
     )
     SELECT automation_chain FROM up WHERE automation_chain IS NOT NULL ORDER BY depth LIMIT 1)`;

/**
 * Queues the `process.finished` run of a completed instance only if an enabled automation
 * concerns its definition — decided by PostgreSQL in the INSERT itself, so the common case
 * (no automation) costs no probe of its own and the statement can go with the command's other
 * writes (db/writeBatch.ts). The payload's chain is the run's own, else the instance's (or its
 * nearest caller's) stored one. Executors are woken only when a job was queued.
 */
export async function queueProcessFinished(
  trx: Knex,
  job: { id: string; type: string; instanceId: string; dueAt: Date; payload: Record<string, unknown>; chain: string[] | undefined; definitionKey: string },
  channel: string,
): Promise<void> {
  const automated = `EXISTS (SELECT 1 FROM automations WHERE trigger = 'process.finished' AND enabled AND definition_key = ?)`;
  await trx.raw(
    `INSERT INTO jobs (id, type, instance_id, definition_id, execution_id, element_id, due_at, payload)
     SELECT ?, ?, ?, NULL, NULL, NULL, ?,
            jsonb_set(CAST(? AS jsonb), '{chain}', COALESCE(CAST(? AS jsonb), ${INSTANCE_CHAIN_SQL}, '[]'::jsonb))
      WHERE ${automated}`,
    [job.id, job.type, job.instanceId, job.dueAt, JSON.stringify(job.payload), job.chain ? JSON.stringify(job.chain) : null, job.instanceId, job.definitionKey],
  );
  await trx.raw(`SELECT pg_notify(?, '1') WHERE ${automated}`, [channel, job.definitionKey]);
}

export async function listAutomationRuns(db: Knex, automationId: string, limit = 100): Promise<AutomationRun[]> {
  const rows = await db('automation_runs').where({ automation_id: automationId }).orderBy('created_at', 'desc').limit(limit);
  return rows.map((row: any) => ({
    id: row.id,
    automationId: row.automation_id,
    jobId: row.job_id,
    trigger: row.trigger,
    recordId: row.record_id,
    tickAt: row.tick_at ? row.tick_at.toISOString() : null,
    status: row.status,
    chain: row.chain,
    error: row.error,
    createdAt: row.created_at.toISOString(),
  }));
}
