/**
 * Public links (外链, engine/publicLinks/): a form or a flow's start form published at an
 * unguessable URL (`form` / `start`), or a single-use link bound to a waiting instance
 * (`instance`: the revisit survey, the complaint confirmation) whose answer is correlated as
 * a message to that instance.
 * - `public_links.token`: 256 random bits, base64url; the URL is `/p/<token>`.
 * - `use_count` against `max_uses` (null: unlimited), `expires_at` (null: never), `revoked_at`:
 *   the answer command locks the row, so two answers at once cannot both count.
 * - `prefill`: field values the link fixes (the survey's customer), evaluated when it is made.
 * - `public_link_answers`: one row per accepted answer, with the record it created and the
 *   channel it came through (the link's defaults merged with the page's query parameters).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('public_links', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('token').notNullable().unique();
    t.text('kind').notNullable().checkIn(['form', 'start', 'instance']);
    t.text('form_key').notNullable();
    t.text('process_key');
    t.uuid('instance_id').references('id').inTable('process_instances').onDelete('CASCADE');
    t.text('element_id');
    t.text('message_name');
    t.text('business_key');
    t.text('title');
    t.timestamp('expires_at', { useTz: true });
    t.integer('max_uses');
    t.integer('use_count').notNullable().defaultTo(0);
    t.jsonb('channel').notNullable().defaultTo('{}');
    // Field values fixed by the link (the survey's customer): shown read-only, they win over the answer.
    t.jsonb('prefill').notNullable().defaultTo('{}');
    t.uuid('created_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('revoked_at', { useTz: true });
    t.index(['form_key', 'created_at']);
    t.index(['instance_id']);
  });
  await db.schema.createTable('public_link_answers', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('link_id').notNullable().references('id').inTable('public_links').onDelete('CASCADE');
    t.uuid('record_id').references('id').inTable('records').onDelete('SET NULL');
    t.uuid('instance_id');
    t.jsonb('channel').notNullable().defaultTo('{}');
    t.timestamp('answered_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['link_id', 'answered_at']);
    t.index(['record_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('public_link_answers');
  await db.schema.dropTableIfExists('public_links');
}
