/**
 * Scheduled automations (定时触发, engine/automations/schedule.ts and tick.ts):
 * - `automations.trigger` may be `schedule`; `automations.schedule` holds its cron (5 fields,
 *   a time zone) or interval.
 * - `automation_runs.tick_at`: the schedule tick a run belongs to. Unique with the automation
 *   and the record, so a retried tick job or a second node never runs a (tick, record) twice:
 *   the run row commits with the actions' writes (engine/automations/tick.ts).
 * - One pending tick job per (automation, tick time): the next tick is inserted by the tick
 *   before it, and the index makes a second insert of the same tick a no-op.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw('ALTER TABLE automations DROP CONSTRAINT IF EXISTS automations_trigger_check');
  await db.raw(
    "ALTER TABLE automations ADD CONSTRAINT automations_trigger_check CHECK (trigger IN ('record.created', 'record.updated', 'process.finished', 'schedule'))",
  );
  await db.schema.alterTable('automations', (t) => {
    t.jsonb('schedule');
  });
  await db.schema.alterTable('automation_runs', (t) => {
    t.timestamp('tick_at', { useTz: true });
  });
  await db.raw(
    'CREATE UNIQUE INDEX automation_runs_tick_record_unique ON automation_runs (automation_id, tick_at, record_id) WHERE tick_at IS NOT NULL',
  );
  await db.raw(
    "CREATE UNIQUE INDEX jobs_automation_tick_unique ON jobs ((payload->>'automationId'), (payload->>'tickAt')) WHERE type = 'automation:tick'",
  );
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP INDEX IF EXISTS jobs_automation_tick_unique');
  await db.raw('DROP INDEX IF EXISTS automation_runs_tick_record_unique');
  await db.schema.alterTable('automation_runs', (t) => {
    t.dropColumn('tick_at');
  });
  await db("automations").where({ trigger: 'schedule' }).delete();
  await db.schema.alterTable('automations', (t) => {
    t.dropColumn('schedule');
  });
  await db.raw('ALTER TABLE automations DROP CONSTRAINT IF EXISTS automations_trigger_check');
  await db.raw(
    "ALTER TABLE automations ADD CONSTRAINT automations_trigger_check CHECK (trigger IN ('record.created', 'record.updated', 'process.finished'))",
  );
}
