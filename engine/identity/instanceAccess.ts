/**
 * Who may read a process instance (and the record it travels with): admins and the people
 * involved in it, nobody else. Involved means one of
 *
 * - started it;
 * - worked on it: assignee, completer, candidate user or candidate group member of any of its
 *   tasks (open or closed — a task offered to the group `staff` involves all staff), or the
 *   actor of a row in its `task_actions`;
 * - was CC'd on it;
 * - a member of the department whose queue holds the ticket of its record;
 * - the head of a department (or of a department above it) that is involved: the starter's
 *   or a worker's department, a department offered one of its tasks, the ticket's department.
 *
 * One SQL condition over an instance id expression, so the single-instance check
 * (`mayReadInstance`) and list filters (records of flow forms) share one definition.
 */
import type { Knex } from 'knex';
import { NotFoundError } from '../errors.ts';
import type { AuthUser } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Reader = Pick<AuthUser, 'id' | 'username' | 'role' | 'groups'>;

/**
 * SQL that is true when `reader` is involved in the instance whose id `instanceIdSql` names
 * (a column such as `records.instance_id`, or `?::uuid`). Only the reader's identity is bound.
 */
export function involvementCondition(instanceIdSql: string, reader: Reader): { sql: string; bindings: Knex.RawBinding[] } {
  const sql = `EXISTS (
    SELECT 1 FROM process_instances inv_i WHERE inv_i.id = ${instanceIdSql} AND (
      inv_i.started_by = :username
      OR EXISTS (SELECT 1 FROM tasks inv_t WHERE inv_t.instance_id = inv_i.id AND (
        inv_t.assignee = :username OR inv_t.completed_by = :username
        OR :username = ANY (inv_t.candidate_users) OR inv_t.candidate_groups && :groups::text[]))
      OR EXISTS (SELECT 1 FROM task_actions inv_a WHERE inv_a.instance_id = inv_i.id AND inv_a.actor = :username)
      OR EXISTS (SELECT 1 FROM cc_entries inv_c WHERE inv_c.instance_id = inv_i.id AND inv_c.username = :username)
      OR EXISTS (SELECT 1 FROM records inv_r JOIN tickets inv_k ON inv_k.record_id = inv_r.id
                 JOIN department_members inv_m ON inv_m.department_id = inv_k.department_id
                 WHERE inv_r.instance_id = inv_i.id AND inv_m.user_id = :userId)
      OR EXISTS (
        WITH RECURSIVE headed AS (
          SELECT id, code FROM departments WHERE head_user_id = :userId
          UNION SELECT d.id, d.code FROM departments d JOIN headed h ON d.parent_id = h.id
        )
        SELECT 1 FROM headed h WHERE
          EXISTS (SELECT 1 FROM department_members hm JOIN users hu ON hu.id = hm.user_id
                  WHERE hm.department_id = h.id AND (
                    hu.username = inv_i.started_by
                    OR EXISTS (SELECT 1 FROM tasks ht WHERE ht.instance_id = inv_i.id
                               AND hu.username IN (ht.assignee, ht.completed_by))))
          OR EXISTS (SELECT 1 FROM tasks hg WHERE hg.instance_id = inv_i.id AND h.code = ANY (hg.candidate_groups))
          OR EXISTS (SELECT 1 FROM records hr JOIN tickets hk ON hk.record_id = hr.id
                     WHERE hr.instance_id = inv_i.id AND hk.department_id = h.id)
      )
    ))`;
  // Named bindings become positional ones in the order they appear.
  const values: Record<string, Knex.RawBinding> = { username: reader.username, userId: reader.id, groups: reader.groups };
  const bindings: Knex.RawBinding[] = [];
  const positional = sql.replace(/:(username|userId|groups)\b/g, (_match, name: string) => {
    bindings.push(values[name]);
    return '?';
  });
  return { sql: positional, bindings };
}

/** Whether `reader` may read the instance: an admin, or involved in it (one query). */
export async function mayReadInstance(db: Knex, reader: Reader, instanceId: string): Promise<boolean> {
  if (!UUID.test(instanceId)) return false;
  if (reader.role === 'admin') {
    return (await db('process_instances').where({ id: instanceId }).first('id')) !== undefined;
  }
  const condition = involvementCondition('?::uuid', reader);
  const { rows } = await db.raw(`SELECT ${condition.sql} AS involved`, [instanceId, ...condition.bindings]);
  return rows[0]?.involved === true;
}

/**
 * Throws 404 unless `reader` may read the instance. An instance the reader is not involved in
 * answers exactly like one that does not exist, so its existence is not revealed.
 */
export async function assertMayReadInstance(db: Knex, reader: Reader, instanceId: string): Promise<void> {
  if (!(await mayReadInstance(db, reader, instanceId))) {
    throw new NotFoundError(`Process instance ${instanceId} does not exist`);
  }
}
