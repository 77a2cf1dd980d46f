/** Queries on `automations` (智能助手) and `automation_runs`. */
import type { Knex } from 'knex';

export type AutomationTrigger = 'record.created' | 'record.updated' | 'process.finished';

export interface AutomationInput {
  name: string;
  trigger: AutomationTrigger;
  formKey: string | null;
  definitionKey: string | null;
  filter: string | null;
  actions: Array<Record<string, any>>;
  enabled: boolean;
}

export interface Automation extends AutomationInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface AutomationRun {
  id: string;
  automationId: string;
  trigger: string;
  recordId: string | null;
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
  actions: row.actions,
  enabled: row.enabled,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const toRow = (a: AutomationInput) => ({
  name: a.name,
  trigger: a.trigger,
  form_key: a.formKey,
  definition_key: a.definitionKey,
  filter: a.filter,
  actions: JSON.stringify(a.actions),
  enabled: a.enabled,
});

export async function listAutomations(db: Knex): Promise<Automation[]> {
  return (await db('automations').orderBy('created_at')).map(toAutomation);
}

export async function getAutomation(db: Knex, id: string): Promise<Automation | undefined> {
  const row = await db('automations').where({ id }).first();
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

export async function insertAutomationRun(
  db: Knex,
  run: { automationId: string; trigger: string; recordId: string | null; status: AutomationRun['status']; chain: string[]; error: string | null },
): Promise<void> {
  await db('automation_runs').insert({
    automation_id: run.automationId,
    trigger: run.trigger,
    record_id: run.recordId,
    status: run.status,
    chain: JSON.stringify(run.chain),
    error: run.error,
  });
}

export async function listAutomationRuns(db: Knex, automationId: string, limit = 100): Promise<AutomationRun[]> {
  const rows = await db('automation_runs').where({ automation_id: automationId }).orderBy('created_at', 'desc').limit(limit);
  return rows.map((row: any) => ({
    id: row.id,
    automationId: row.automation_id,
    trigger: row.trigger,
    recordId: row.record_id,
    status: row.status,
    chain: row.chain,
    error: row.error,
    createdAt: row.created_at.toISOString(),
  }));
}
