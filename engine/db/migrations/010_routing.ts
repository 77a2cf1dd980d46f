/**
 * Auto-routing (routing rules → department queues of tickets), CC entries, and the indexes
 * the inbox boxes need. docs/architecture.md ("Auto-routing and inbox") describes each table.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  // One row per form that routes its records; the default department catches every record
  // no rule matches, so a routed form never drops a ticket.
  await db.schema.createTable('routing_forms', (t) => {
    t.text('form_key').primary().references('key').inTable('forms').onDelete('CASCADE');
    t.uuid('default_department_id').notNullable().references('id').inTable('departments');
    t.text('updated_by');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('routing_rules', (t) => {
    t.uuid('id').primary();
    t.text('form_key').notNullable().references('form_key').inTable('routing_forms').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('name').notNullable();
    t.text('condition').notNullable();
    t.uuid('department_id').notNullable().references('id').inTable('departments');
    t.boolean('enabled').notNullable().defaultTo(true);
    t.unique(['form_key', 'position']);
  });

  await db.schema.createTable('tickets', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('form_key').notNullable();
    t.uuid('record_id').notNullable().references('id').inTable('records').onDelete('CASCADE');
    t.uuid('department_id').notNullable().references('id').inTable('departments');
    // No foreign key: saving rules replaces them, and a ticket keeps the id of the rule that routed it.
    t.uuid('rule_id');
    t.text('status').notNullable().checkIn(['queued', 'claimed', 'closed']);
    t.text('claimed_by');
    t.timestamp('routed_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('claimed_at', { useTz: true });
    t.timestamp('closed_at', { useTz: true });
    t.index(['department_id', 'status', 'routed_at']);
    t.index(['record_id']);
  });

  await db.schema.createTable('cc_entries', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    t.uuid('task_id');
    t.text('username').notNullable();
    t.text('from_username').notNullable();
    t.text('comment');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('read_at', { useTz: true });
    t.index(['username', 'created_at']);
  });
  // The unread count in every inbox badge.
  await db.raw('CREATE INDEX cc_entries_unread ON cc_entries (username) WHERE read_at IS NULL');

  // Inbox boxes: 已办 by completer, 我发起的 by starter, 待办 by candidate user.
  await db.raw('CREATE INDEX tasks_completed_by ON tasks (completed_by, ended_at) WHERE completed_by IS NOT NULL');
  await db.raw("CREATE INDEX tasks_open_candidate_users ON tasks USING gin (candidate_users) WHERE status = 'open'");
  await db.raw('CREATE INDEX process_instances_started_by ON process_instances (started_by, started_at)');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP INDEX IF EXISTS process_instances_started_by');
  await db.raw('DROP INDEX IF EXISTS tasks_open_candidate_users');
  await db.raw('DROP INDEX IF EXISTS tasks_completed_by');
  for (const table of ['cc_entries', 'tickets', 'routing_rules', 'routing_forms']) {
    await db.schema.dropTableIfExists(table);
  }
}
