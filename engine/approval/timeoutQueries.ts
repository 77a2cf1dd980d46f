/**
 * The reads timeout actions need from `activity_history`, `departments`,
 * `department_members` and `users`. Like queries.ts they live here only because the store
 * files belong to other work in progress; move them into `engine/store/` later.
 */
import type { Db } from '../db/connection.ts';

/**
 * The user tasks this instance completed (not cancelled), most recently finished first,
 * except `currentElementId`: candidates for "return to the previous node".
 */
export async function passedUserTasks(db: Db, instanceId: string, currentElementId: string): Promise<string[]> {
  const rows: Array<{ element_id: string }> = await db('activity_history')
    .where({ instance_id: instanceId, element_type: 'userTask', cancelled: false })
    .whereNotNull('ended_at')
    .whereNot({ element_id: currentElementId })
    .orderBy([
      { column: 'ended_at', order: 'desc' },
      { column: 'seq', order: 'desc' },
    ])
    .select('element_id');
  return rows.map((row) => row.element_id);
}

/**
 * The head above `username`: starting from each department the user belongs to (or heads),
 * the first active head who is not the user themself, walking up the parent chain — so a
 * head's task goes to the head of the parent department. With several departments, the one
 * whose code sorts first wins, for a deterministic answer. Null when nobody is found.
 */
export async function departmentHeadAbove(db: Db, username: string): Promise<string | null> {
  const result = await db.raw(
    `WITH RECURSIVE me AS (
       SELECT id FROM users WHERE username = :username
     ), chain AS (
       SELECT d.id, d.parent_id, d.head_user_id, d.code AS start_code, 0 AS depth
       FROM departments d
       WHERE d.head_user_id = (SELECT id FROM me)
          OR d.id IN (SELECT department_id FROM department_members WHERE user_id = (SELECT id FROM me))
       UNION ALL
       SELECT p.id, p.parent_id, p.head_user_id, chain.start_code, chain.depth + 1
       FROM departments p JOIN chain ON p.id = chain.parent_id
       WHERE chain.depth < 32
     )
     SELECT u.username
     FROM chain JOIN users u ON u.id = chain.head_user_id
     WHERE u.id <> (SELECT id FROM me) AND u.active
     ORDER BY chain.start_code, chain.depth
     LIMIT 1`,
    { username },
  );
  return (result.rows[0]?.username as string | undefined) ?? null;
}

/** Active members of the departments with these codes (candidate groups that are departments). */
export async function membersOfDepartmentCodes(db: Db, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  return db('users as u')
    .join('department_members as m', 'm.user_id', 'u.id')
    .join('departments as d', 'd.id', 'm.department_id')
    .whereIn('d.code', codes)
    .andWhere('u.active', true)
    .distinct('u.username')
    .orderBy('u.username')
    .pluck('u.username');
}

/** Ids of the active users among `usernames` (in-app messages go to `user:<id>` rooms). */
export async function activeUsersNamed(db: Db, usernames: string[]): Promise<Array<{ id: string; username: string }>> {
  if (usernames.length === 0) return [];
  return db('users').select('id', 'username').whereIn('username', usernames).andWhere({ active: true });
}
