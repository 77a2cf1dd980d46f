/**
 * Message and print templates (handlebars), in-app notifications, automations (智能助手) and
 * the log of their runs. docs/architecture.md ("Templates, notifications, automations").
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('message_templates', (t) => {
    t.text('key').primary();
    t.text('channel').notNullable().checkIn(['inApp', 'email', 'chatRobot']);
    t.text('subject').notNullable().defaultTo('');
    t.text('body').notNullable();
    // Channel settings that are not text, e.g. a chat robot's provider and url.
    t.jsonb('config').notNullable().defaultTo('{}');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('print_templates', (t) => {
    t.text('key').primary();
    t.text('form_key').notNullable();
    t.text('title').notNullable();
    t.text('body').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('notifications', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('username').notNullable();
    t.text('title').notNullable();
    t.text('body').notNullable();
    t.text('link');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('read_at', { useTz: true });
    t.index(['username', 'created_at']);
  });

  await db.schema.createTable('automations', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.text('trigger').notNullable().checkIn(['record.created', 'record.updated', 'process.finished']);
    t.text('form_key');
    t.text('definition_key');
    t.text('filter');
    t.jsonb('actions').notNullable().defaultTo('[]');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['trigger', 'form_key']);
  });

  await db.schema.createTable('automation_runs', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('automation_id').notNullable().references('id').inTable('automations').onDelete('CASCADE');
    t.text('trigger').notNullable();
    t.text('record_id');
    t.text('status').notNullable().checkIn(['done', 'failed', 'loop_stopped']);
    t.jsonb('chain').notNullable().defaultTo('[]');
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['automation_id', 'created_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of ['automation_runs', 'automations', 'notifications', 'print_templates', 'message_templates']) {
    await db.schema.dropTableIfExists(table);
  }
}
