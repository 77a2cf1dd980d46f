/**
 * Dashboards (仪表盘, engine/analytics/): a grid of chart widgets and dashboard-level filters.
 * - `definition`: `{filters, widgets}` as the designer saves it (validated by
 *   engine/analytics/dashboards.ts; each widget's query is a chart query).
 * - `sharing`: `{users, roles, departments, everyone}` — who besides the creator and admins
 *   may open it; the numbers each viewer sees are still limited by their data permissions.
 * - `key`: set for dashboards a template installs (`key-account-kpi`), so a restart does
 *   not install a second copy; `version` guards concurrent edits (the second save gets 409).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('dashboards', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('key').unique();
    t.text('app');
    t.jsonb('title').notNullable();
    t.jsonb('definition').notNullable();
    t.jsonb('sharing').notNullable().defaultTo('{}');
    t.integer('version').notNullable().defaultTo(1);
    t.uuid('created_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('dashboards');
}
