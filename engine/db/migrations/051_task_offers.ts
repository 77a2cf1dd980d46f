/**
 * The 待办 (todo) box's first page in index order (issue 16, bench/inbox.ts). The box is the
 * caller's open tasks (assigned to them) plus the unclaimed open tasks offered to them or to
 * one of their groups. Migration 043's GIN indexes find the offered ones but give them in no
 * order, so every request fetched the caller's whole department queue (~600 rows) from the
 * heap to sort it by created_at and keep 20.
 *
 * `task_offers` holds one row per (candidate, unclaimed open task): `principal` is `u:` and a
 * username or `g:` and a group (role or department code), in a primary key of (principal,
 * created_at, task_id) — each principal's queue in the box's order, so the page reads 20 index
 * entries per principal and the count is an index-only scan. Triggers on `tasks` keep it in the
 * same transaction as the task's row: a row exists while its task is open, unassigned, not on
 * hold (前加签) and names the candidate, exactly what engine/store/inbox.ts's old condition
 * selected. They fire only for tasks that are or were offered (`WHEN`, evaluated without calling
 * the function): a task assigned directly, as most are, costs nothing more.
 *
 * The assigned arm is read in order from `tasks_status_assignee_created`, which replaces the
 * (status, assignee) index with (status, assignee, created_at, id): the same index, wider, so a
 * task write maintains no more indexes than before.
 */
import type { Knex } from 'knex';

/** The condition under which a task row has offers: open, unclaimed, not held, with candidates. */
const offered = (row: 'NEW' | 'OLD') =>
  `(${row}.status = 'open' AND ${row}.assignee IS NULL AND NOT ${row}.held AND (cardinality(${row}.candidate_users) > 0 OR cardinality(${row}.candidate_groups) > 0))`;

export async function up(db: Knex): Promise<void> {
  await db.raw(`
    CREATE TABLE task_offers (
      principal text NOT NULL,
      created_at timestamptz NOT NULL,
      task_id uuid NOT NULL,
      PRIMARY KEY (principal, created_at, task_id)
    )`);
  await db.raw(`
    CREATE FUNCTION liuzhuan_task_offers() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' AND OLD.status = 'open' AND OLD.assignee IS NULL AND NOT OLD.held THEN
        DELETE FROM task_offers
         WHERE task_id = OLD.id AND created_at = OLD.created_at
           AND principal IN (SELECT 'u:' || u FROM unnest(OLD.candidate_users) u UNION ALL SELECT 'g:' || g FROM unnest(OLD.candidate_groups) g);
      END IF;
      IF TG_OP <> 'DELETE' AND NEW.status = 'open' AND NEW.assignee IS NULL AND NOT NEW.held THEN
        INSERT INTO task_offers (principal, created_at, task_id)
        SELECT p, NEW.created_at, NEW.id
          FROM (SELECT 'u:' || u FROM unnest(NEW.candidate_users) u UNION SELECT 'g:' || g FROM unnest(NEW.candidate_groups) g) s(p)
        ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$`);
  await db.raw(`CREATE TRIGGER liuzhuan_task_offers_inserted AFTER INSERT ON tasks FOR EACH ROW WHEN ${offered('NEW')} EXECUTE FUNCTION liuzhuan_task_offers()`);
  await db.raw(`
    CREATE TRIGGER liuzhuan_task_offers_updated
      AFTER UPDATE OF status, assignee, held, candidate_users, candidate_groups, created_at ON tasks FOR EACH ROW
      WHEN ((${offered('OLD')} OR ${offered('NEW')})
        AND (OLD.status, OLD.assignee, OLD.held, OLD.candidate_users, OLD.candidate_groups, OLD.created_at)
            IS DISTINCT FROM (NEW.status, NEW.assignee, NEW.held, NEW.candidate_users, NEW.candidate_groups, NEW.created_at))
      EXECUTE FUNCTION liuzhuan_task_offers()`);
  // Deleting an instance cascades to its tasks; row triggers fire for those deletes too.
  await db.raw(`CREATE TRIGGER liuzhuan_task_offers_deleted AFTER DELETE ON tasks FOR EACH ROW WHEN ${offered('OLD')} EXECUTE FUNCTION liuzhuan_task_offers()`);
  await db.raw(`
    INSERT INTO task_offers (principal, created_at, task_id)
    SELECT DISTINCT s.p, t.created_at, t.id
      FROM tasks t, LATERAL (SELECT 'u:' || u FROM unnest(t.candidate_users) u UNION SELECT 'g:' || g FROM unnest(t.candidate_groups) g) s(p)
     WHERE t.status = 'open' AND t.assignee IS NULL AND NOT t.held`);
  await db.raw('CREATE INDEX tasks_status_assignee_created ON tasks (status, assignee, created_at, id)');
  await db.raw('DROP INDEX IF EXISTS tasks_status_assignee_index');
}

export async function down(db: Knex): Promise<void> {
  await db.raw('CREATE INDEX IF NOT EXISTS tasks_status_assignee_index ON tasks (status, assignee)');
  await db.raw('DROP INDEX IF EXISTS tasks_status_assignee_created');
  await db.raw('DROP TRIGGER IF EXISTS liuzhuan_task_offers_deleted ON tasks');
  await db.raw('DROP TRIGGER IF EXISTS liuzhuan_task_offers_updated ON tasks');
  await db.raw('DROP TRIGGER IF EXISTS liuzhuan_task_offers_inserted ON tasks');
  await db.raw('DROP FUNCTION IF EXISTS liuzhuan_task_offers()');
  await db.raw('DROP TABLE IF EXISTS task_offers');
}
