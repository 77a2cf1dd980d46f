/**
 * Durable automations (docs/architecture.md, "Templates, notifications, automations"):
 * - `automation_runs.job_id`: the `automation:run` job a run belongs to. Unique with the
 *   automation id, so a retried job never runs an automation a second time (the run row and
 *   the automation's writes commit together; see engine/automations/runner.ts). Runs from
 *   before this migration have no job id (NULLs are distinct, so they don't collide).
 * - `process_instances.automation_chain`: the chain of automation ids that started the
 *   instance (null when no automation did). Kept out of `variables`, which is user data; the
 *   instance's `process.finished` automations continue from it, so loops through a started
 *   process are stopped too.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('automation_runs', (t) => {
    t.uuid('job_id');
    t.unique(['job_id', 'automation_id'], { indexName: 'automation_runs_job_automation_unique' });
  });
  await db.schema.alterTable('process_instances', (t) => {
    t.jsonb('automation_chain');
  });
  // The per-completion "any process.finished automation for this key?" probe.
  await db.schema.alterTable('automations', (t) => {
    t.index(['trigger', 'definition_key'], 'automations_trigger_definition_key_index');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('automations', (t) => {
    t.dropIndex(['trigger', 'definition_key'], 'automations_trigger_definition_key_index');
  });
  await db.schema.alterTable('process_instances', (t) => {
    t.dropColumn('automation_chain');
  });
  await db.schema.alterTable('automation_runs', (t) => {
    t.dropUnique(['job_id', 'automation_id'], 'automation_runs_job_automation_unique');
    t.dropColumn('job_id');
  });
}
