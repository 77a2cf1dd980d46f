/** Counters behind serial-number (流水号) fields: one row per form and field. */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('form_serials', (t) => {
    t.text('form_key').notNullable().references('key').inTable('forms').onDelete('CASCADE');
    t.text('field').notNullable();
    t.bigInteger('value').notNullable();
    t.primary(['form_key', 'field']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('form_serials');
}
