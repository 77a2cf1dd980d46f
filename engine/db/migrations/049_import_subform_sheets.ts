/**
 * Sub-form sheets in record imports (engine/imports/subformSheets.ts): an .xlsx may carry one
 * extra sheet per sub-form, joined to the main sheet's rows by a key column. `sheets` holds
 * what the upload's scan found on them (name, headers, first rows, row count), `sheet_mapping`
 * the join chosen at start. A refused line may now be a sub-form sheet's (a row whose key
 * matches no record), so a refused line is named by its sheet too ('' = the main sheet).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('import_jobs', (t) => {
    t.jsonb('sheets').notNullable().defaultTo(db.raw(`'[]'::jsonb`));
    t.jsonb('sheet_mapping');
  });
  await db.schema.alterTable('import_job_errors', (t) => {
    t.dropPrimary();
  });
  await db.schema.alterTable('import_job_errors', (t) => {
    t.text('sheet').notNullable().defaultTo('');
    t.primary(['job_id', 'sheet', 'row_number']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db('import_job_errors').whereNot('sheet', '').delete();
  await db.schema.alterTable('import_job_errors', (t) => {
    t.dropPrimary();
  });
  await db.schema.alterTable('import_job_errors', (t) => {
    t.dropColumn('sheet');
    t.primary(['job_id', 'row_number']);
  });
  await db.schema.alterTable('import_jobs', (t) => {
    t.dropColumn('sheet_mapping');
    t.dropColumn('sheets');
  });
}
