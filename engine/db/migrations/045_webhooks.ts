/**
 * Webhooks (engine/webhooks/): outgoing subscriptions with their delivery log, and incoming
 * hooks that start a flow. A delivery is one event for one subscription; each HTTP try of it
 * is an attempt row, so the log shows a failed first try and the retry that succeeded.
 * Secrets are kept as written (the HMAC needs them); the API shows them once, then masked.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('webhook_subscriptions', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.text('url').notNullable();
    t.text('secret').notNullable();
    t.specificType('events', 'text[]').notNullable();
    // Empty: every form / every process. Record events look at form_keys, task and instance events at definition_keys.
    t.specificType('form_keys', 'text[]').notNullable().defaultTo('{}');
    t.specificType('definition_keys', 'text[]').notNullable().defaultTo('{}');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.uuid('created_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('webhook_deliveries', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('subscription_id').notNullable().references('id').inTable('webhook_subscriptions').onDelete('CASCADE');
    t.text('event').notNullable();
    // What the database trigger saw (ids, a task's or instance's columns); the body is built from it.
    t.jsonb('subject').notNullable();
    // Built at the first attempt and then fixed: every retry and re-send sends the same signed bytes.
    t.text('body');
    t.text('status').notNullable().defaultTo('pending').checkIn(['pending', 'retrying', 'succeeded', 'failed']);
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('last_status_code');
    t.text('last_error');
    t.integer('last_duration_ms');
    t.timestamp('next_attempt_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('delivered_at', { useTz: true });
    t.index(['subscription_id', 'created_at']);
  });
  await db.schema.createTable('webhook_attempts', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('delivery_id').notNullable().references('id').inTable('webhook_deliveries').onDelete('CASCADE');
    t.integer('number').notNullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.integer('duration_ms').notNullable();
    t.integer('status_code');
    t.text('error');
    // The first bytes of the receiver's answer (capped when read).
    t.text('response_excerpt');
    t.index(['delivery_id', 'number']);
  });
  await db.schema.createTable('webhook_hooks', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('name').notNullable();
    t.text('definition_key').notNullable();
    t.text('secret').notNullable();
    // The instance's starter (发起人): the hook acts as this user, with their rights.
    t.uuid('run_as').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.integer('use_count').notNullable().defaultTo(0);
    t.timestamp('last_used_at', { useTz: true });
    t.uuid('created_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('webhook_hooks');
  await db.schema.dropTableIfExists('webhook_attempts');
  await db.schema.dropTableIfExists('webhook_deliveries');
  await db.schema.dropTableIfExists('webhook_subscriptions');
}
