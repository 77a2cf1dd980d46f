/**
 * Record imports from Excel/CSV (engine/imports/): one row per uploaded file — its columns,
 * the mapping to form fields, the mode and the progress — and one row per refused line for the
 * downloadable report. The refused lines live outside the import's own transaction, so an
 * all-or-nothing import that rolls back still reports why.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('import_jobs', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('form_key').notNullable();
    t.uuid('created_by').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('file_name').notNullable();
    t.text('file_type').notNullable().checkIn(['xlsx', 'csv']);
    // The upload, on the disk of the node that received it (a temp folder): gone once the run ends.
    t.text('file_path').notNullable();
    t.jsonb('headers').notNullable();
    t.jsonb('preview').notNullable();
    t.jsonb('mapping');
    t.integer('total_rows').notNullable();
    t.text('status').notNullable().defaultTo('uploaded').checkIn(['uploaded', 'running', 'cancelling', 'done', 'failed', 'cancelled']);
    t.text('mode').checkIn(['all_or_nothing', 'skip_bad_rows']);
    t.boolean('run_automations').notNullable().defaultTo(false);
    t.integer('rows_done').notNullable().defaultTo(0);
    t.integer('imported').notNullable().defaultTo(0);
    t.integer('refused').notNullable().defaultTo(0);
    t.text('error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('started_at', { useTz: true });
    // Moved on every progress step: a running job whose heartbeat stopped was cut off (node crash).
    t.timestamp('heartbeat_at', { useTz: true });
    t.timestamp('finished_at', { useTz: true });
    t.index(['form_key', 'created_at']);
  });
  await db.schema.createTable('import_job_errors', (t) => {
    t.uuid('job_id').notNullable().references('id').inTable('import_jobs').onDelete('CASCADE');
    t.integer('row_number').notNullable();
    t.jsonb('errors').notNullable();
    t.jsonb('cells').notNullable();
    t.primary(['job_id', 'row_number']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('import_job_errors');
  await db.schema.dropTableIfExists('import_jobs');
}
