/**
 * The first schema: organisation and auth, forms and records, and the process engine.
 * docs/architecture.md describes each table; keep the two in step.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('users', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('username').notNullable().unique();
    t.text('display_name').notNullable();
    t.text('email');
    t.text('password_hash').notNullable();
    t.text('role').notNullable().checkIn(['admin', 'staff']);
    t.text('locale').notNullable().defaultTo('zh-CN');
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('departments', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    // A stable code (e.g. `finance`) that models use as a candidate group.
    t.text('code').notNullable().unique();
    t.text('name').notNullable();
    t.text('name_en');
    t.uuid('parent_id').references('id').inTable('departments').onDelete('SET NULL');
    t.uuid('head_user_id').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('department_members', (t) => {
    t.uuid('department_id').notNullable().references('id').inTable('departments').onDelete('CASCADE');
    t.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.primary(['department_id', 'user_id']);
    t.index(['user_id']);
  });

  // Bearer tokens and browser sessions; only a SHA-256 of the token is stored.
  await db.schema.createTable('sessions', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('token_hash').notNullable().unique();
    t.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });

  await db.schema.createTable('forms', (t) => {
    t.text('key').primary();
    t.text('title').notNullable();
    t.integer('latest_version').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });

  await db.schema.createTable('form_versions', (t) => {
    t.text('form_key').notNullable().references('key').inTable('forms').onDelete('CASCADE');
    t.integer('version').notNullable();
    t.text('title').notNullable();
    t.jsonb('schema').notNullable();
    t.jsonb('ui_schema').notNullable().defaultTo('{}');
    t.uuid('created_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.primary(['form_key', 'version']);
  });

  await db.schema.createTable('records', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('form_key').notNullable().references('key').inTable('forms').onDelete('CASCADE');
    t.integer('form_version').notNullable();
    t.jsonb('data').notNullable();
    t.uuid('instance_id');
    t.uuid('created_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.uuid('updated_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['form_key', 'created_at']);
  });
  // Containment filters (`data @> {...}`) on any field admins filter on.
  await db.raw('CREATE INDEX records_data_gin ON records USING gin (data jsonb_path_ops)');

  await db.schema.createTable('process_definitions', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('key').notNullable();
    t.integer('version').notNullable();
    t.text('name');
    t.text('xml').notNullable();
    t.jsonb('compiled').notNullable();
    t.uuid('deployed_by').references('id').inTable('users').onDelete('SET NULL');
    t.timestamp('deployed_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['key', 'version']);
  });

  // One row per instance; `state` is the token tree (see engine/runtime/state.ts).
  await db.schema.createTable('process_instances', (t) => {
    t.uuid('id').primary();
    t.uuid('definition_id').notNullable().references('id').inTable('process_definitions');
    t.text('definition_key').notNullable();
    t.text('business_key');
    t.text('status').notNullable().checkIn(['active', 'completed', 'terminated', 'incident']);
    t.jsonb('variables').notNullable().defaultTo('{}');
    t.jsonb('state').notNullable();
    t.uuid('parent_instance_id');
    t.text('parent_execution_id');
    t.text('started_by');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('ended_at', { useTz: true });
    t.integer('rev').notNullable().defaultTo(1);
    t.index(['definition_key', 'status']);
    t.index(['business_key']);
    t.index(['parent_instance_id']);
  });

  await db.schema.createTable('tasks', (t) => {
    t.uuid('id').primary();
    t.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    t.text('execution_id').notNullable();
    t.text('element_id').notNullable();
    t.text('name');
    t.text('form_key');
    t.text('assignee');
    t.specificType('candidate_users', 'text[]').notNullable().defaultTo('{}');
    t.specificType('candidate_groups', 'text[]').notNullable().defaultTo('{}');
    t.integer('priority').notNullable().defaultTo(50);
    t.timestamp('due_at', { useTz: true });
    t.text('status').notNullable().checkIn(['open', 'completed', 'cancelled']);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('ended_at', { useTz: true });
    t.text('completed_by');
    t.index(['instance_id']);
    t.index(['status', 'assignee']);
  });
  await db.raw('CREATE INDEX tasks_candidate_groups ON tasks USING gin (candidate_groups)');

  // What waiting tokens (and message/signal start events) listen for.
  await db.schema.createTable('event_subscriptions', (t) => {
    t.uuid('id').primary();
    t.text('type').notNullable().checkIn(['message', 'signal']);
    t.text('event_name').notNullable();
    t.text('correlation_key');
    t.uuid('instance_id').references('id').inTable('process_instances').onDelete('CASCADE');
    t.text('execution_id');
    // Start-event subscriptions belong to a definition instead of an instance.
    t.uuid('definition_id').references('id').inTable('process_definitions').onDelete('CASCADE');
    t.text('element_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['type', 'event_name']);
    t.index(['instance_id']);
  });

  await db.schema.createTable('jobs', (t) => {
    t.uuid('id').primary();
    t.text('type').notNullable();
    t.uuid('instance_id').references('id').inTable('process_instances').onDelete('CASCADE');
    t.uuid('definition_id').references('id').inTable('process_definitions').onDelete('CASCADE');
    t.text('execution_id');
    t.text('element_id');
    t.timestamp('due_at', { useTz: true }).notNullable();
    t.jsonb('payload').notNullable().defaultTo('{}');
    t.integer('retries_left').notNullable().defaultTo(3);
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('locked_by');
    t.timestamp('locked_until', { useTz: true });
    t.text('last_error');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['due_at']);
    t.index(['instance_id']);
  });

  await db.schema.createTable('incidents', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    t.uuid('job_id');
    t.text('element_id');
    t.text('message').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('resolved_at', { useTz: true });
    t.index(['instance_id']);
  });

  // Every element entered and left: the audit log behind monitoring and KPIs.
  await db.schema.createTable('activity_history', (t) => {
    t.bigIncrements('seq');
    t.uuid('id').notNullable().unique();
    t.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    t.text('execution_id').notNullable();
    t.text('element_id').notNullable();
    t.text('element_type').notNullable();
    t.text('element_name');
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true });
    t.boolean('cancelled').notNullable().defaultTo(false);
    t.index(['instance_id', 'seq']);
  });

  // Every task action (complete, claim, transfer, return…) with actor, time and comment.
  await db.schema.createTable('task_actions', (t) => {
    t.bigIncrements('seq');
    t.uuid('task_id').notNullable();
    t.uuid('instance_id').notNullable().references('id').inTable('process_instances').onDelete('CASCADE');
    t.text('action').notNullable();
    t.text('actor');
    t.text('comment');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['instance_id', 'seq']);
  });
}

export async function down(db: Knex): Promise<void> {
  for (const table of [
    'task_actions',
    'activity_history',
    'incidents',
    'jobs',
    'event_subscriptions',
    'tasks',
    'process_instances',
    'process_definitions',
    'records',
    'form_versions',
    'forms',
    'sessions',
    'department_members',
    'departments',
    'users',
  ]) {
    await db.schema.dropTableIfExists(table);
  }
}
