/**
 * Flow forms (流程表单): a record submitted through its form starts the bound process, and
 * `records.instance_id` links the two. The column exists since 001; this adds the index the
 * record-follows-instance update (engine/forms/flowRecords.ts) looks records up by, and one
 * on the bound form key of compiled definitions (engine/forms/flowQueries.ts).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.raw('CREATE INDEX IF NOT EXISTS records_instance_id ON records (instance_id) WHERE instance_id IS NOT NULL');
  await db.raw(
    `CREATE INDEX IF NOT EXISTS process_definitions_form_key ON process_definitions ((compiled->>'formKey'))
     WHERE compiled->>'formKey' IS NOT NULL`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP INDEX IF EXISTS process_definitions_form_key');
  await db.raw('DROP INDEX IF EXISTS records_instance_id');
}
