/**
 * Installed app packages (engine/packages/): every import of an app keeps the package as it
 * was installed, newest last. The latest row of an app is the BASE of its next upgrade's
 * three-way merge (base package, incoming package, what is installed now), and the app's
 * membership (which forms, processes, templates… belong to it) for a later export.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('app_packages', (t) => {
    t.bigIncrements('id').primary();
    t.text('app_key').notNullable();
    t.text('version').notNullable();
    t.jsonb('package').notNullable();
    t.timestamp('installed_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.uuid('installed_by').references('id').inTable('users').onDelete('SET NULL');
    t.index(['app_key', 'id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('app_packages');
}
