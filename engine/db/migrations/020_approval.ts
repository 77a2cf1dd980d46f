/**
 * Approval nodes (engine/approval/flow.ts): a task can be put on hold while a signer added
 * before its assignee (前加签) acts. A held task stays `open` — so when its token moves on or
 * is interrupted it is cancelled with the node's other tasks — but is in nobody's todo.
 *
 * An approval node entered by the command that starts its instance may log a `task_actions`
 * row (skip / fallback) before the unit of work inserts the instance row at flush; the
 * foreign key to the instance is therefore checked at commit (DEFERRABLE INITIALLY DEFERRED).
 */
import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('tasks', (t) => {
    t.boolean('held').notNullable().defaultTo(false);
  });
  await db.raw(`ALTER TABLE task_actions
    DROP CONSTRAINT task_actions_instance_id_foreign,
    ADD CONSTRAINT task_actions_instance_id_foreign FOREIGN KEY (instance_id)
      REFERENCES process_instances (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`ALTER TABLE task_actions
    DROP CONSTRAINT task_actions_instance_id_foreign,
    ADD CONSTRAINT task_actions_instance_id_foreign FOREIGN KEY (instance_id)
      REFERENCES process_instances (id) ON DELETE CASCADE`);
  await db.schema.alterTable('tasks', (t) => {
    t.dropColumn('held');
  });
}
