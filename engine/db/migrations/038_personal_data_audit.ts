/**
 * Personal data and the audit log (issue 14; engine/audit/, engine/privacy/):
 * - `audit_log`: who read personal data (unmask), exported, erased, changed permissions, roles,
 *   users or definitions. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE, so not even
 *   the application can rewrite history (an operator with the database owner can still drop the
 *   trigger; that is outside what the application can promise). `actor_id` has no foreign key on
 *   purpose: a user's deletion must not try to rewrite (SET NULL) the rows naming them.
 * - `form_retention`: per form, erase or anonymise records once `after` (ISO-8601 duration) has
 *   passed since `basis` (created_at / updated_at); run daily by the `privacy:retention` job.
 * Encrypted personal values live inside `records.data` (`{"$enc": "<key id>:<iv>:<tag>:<data>",
 * "$bi": "<blind index>"}`, engine/privacy/crypto.ts), so no column is needed for them.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.uuid('actor_id');
    t.text('actor').notNullable();
    t.text('action').notNullable();
    t.text('form_key');
    t.uuid('record_id');
    t.text('subject');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.text('ip');
    t.index(['at']);
    t.index(['actor', 'at']);
    t.index(['action', 'at']);
    t.index(['form_key', 'record_id']);
  });
  await db.raw(`
    CREATE FUNCTION liuzhuan_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await db.raw(`CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION liuzhuan_audit_append_only()`);
  await db.raw(`CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION liuzhuan_audit_append_only()`);

  await db.schema.createTable('form_retention', (t) => {
    t.text('form_key').primary();
    t.text('after').notNullable();
    t.text('basis').notNullable().checkIn(['createdAt', 'updatedAt']);
    t.text('action').notNullable().checkIn(['erase', 'anonymise']);
    t.uuid('updated_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('last_run_at', { useTz: true });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('form_retention');
  await db.raw('DROP TABLE IF EXISTS audit_log');
  await db.raw('DROP FUNCTION IF EXISTS liuzhuan_audit_append_only()');
}
