/**
 * A routed ticket linked to the process its record started: the instance, the open task of
 * the node assigned to the routed department (null while none is open) and that node, so the
 * queue card says where the work is and claiming on either side claims both.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('tickets', (t) => {
    t.uuid('instance_id').references('id').inTable('process_instances').onDelete('SET NULL');
    // No foreign key: the ticket keeps the last node's task id only while that task is open.
    t.uuid('task_id');
    t.text('element_id');
    t.text('stage_name');
    t.index(['instance_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('tickets', (t) => {
    t.dropIndex(['instance_id']);
    t.dropColumns('instance_id', 'task_id', 'element_id', 'stage_name');
  });
}
