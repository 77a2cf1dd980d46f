/**
 * Data permissions (权限组, engine/access/) and roles as data.
 * - `roles`: the roles admins edit; `admin` and `staff` are builtin (the system roles of
 *   `users.role`, which stays the superuser switch). Template apps add their own (sales, …).
 * - `user_roles`: extra roles of a user, beside the system role.
 * - `permission_groups`: per form, who (`members`), may do what (`actions`) with which fields
 *   (`fields`) on which records (`filter`). A form without any keeps the implicit default.
 * - `form_access`: per form, the field naming a record's owner (a username); null = `owner`
 *   when the schema has it.
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('roles', (t) => {
    t.text('code').primary();
    t.text('name').notNullable();
    t.text('name_en');
    t.boolean('builtin').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db('roles').insert([
    { code: 'admin', name: '系统管理员', name_en: 'Administrator', builtin: true },
    { code: 'staff', name: '员工', name_en: 'Staff', builtin: true },
  ]);
  await db.schema.createTable('user_roles', (t) => {
    t.uuid('user_id').notNullable().references('id').inTable('users').onDelete('CASCADE');
    t.text('role_code').notNullable().references('code').inTable('roles').onDelete('CASCADE').onUpdate('CASCADE');
    t.primary(['user_id', 'role_code']);
    t.index(['role_code']);
  });
  await db.schema.createTable('permission_groups', (t) => {
    t.uuid('id').primary().defaultTo(db.raw('gen_random_uuid()'));
    t.text('form_key').notNullable();
    t.text('name').notNullable();
    t.text('name_en');
    t.integer('position').notNullable().defaultTo(0);
    t.jsonb('members').notNullable().defaultTo('{}');
    t.specificType('actions', 'text[]').notNullable().defaultTo('{}');
    t.jsonb('fields').notNullable().defaultTo('{"visible":"*","editable":"*"}');
    t.jsonb('filter');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.uuid('updated_by').references('id').inTable('users').onDelete('SET NULL');
    t.index(['form_key', 'position']);
  });
  await db.schema.createTable('form_access', (t) => {
    t.text('form_key').primary();
    t.text('owner_field');
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTableIfExists('form_access');
  await db.schema.dropTableIfExists('permission_groups');
  await db.schema.dropTableIfExists('user_roles');
  await db.schema.dropTableIfExists('roles');
}
