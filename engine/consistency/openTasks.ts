/**
 * Every open task belongs to a token of a live instance that waits at the task's node: an
 * open task of a finished instance, or of a token that moved on, is work nobody can finish
 * (completing it would move a token that is not there).
 */
import type { Db } from '../db/connection.ts';
import { LIVE_STATUSES, type Violation } from './violations.ts';

export async function tasksWithoutWaitingToken(db: Db): Promise<Violation[]> {
  const { rows } = await db.raw(
    `SELECT k.id, k.instance_id, k.execution_id, k.element_id, i.status,
            (SELECT e.value->>'elementId' FROM jsonb_array_elements(i.state->'executions') e
             WHERE e.value->>'id' = k.execution_id AND e.value->>'status' = 'waiting' LIMIT 1) AS token_element
     FROM tasks k JOIN process_instances i ON i.id = k.instance_id
     WHERE k.status = 'open'
     ORDER BY k.instance_id, k.created_at`,
  );
  const violations: Violation[] = [];
  for (const row of rows as { id: string; instance_id: string; execution_id: string; element_id: string; status: string; token_element: string | null }[]) {
    let problem: string | null = null;
    if (!LIVE_STATUSES.includes(row.status)) problem = `the instance is ${row.status}`;
    else if (row.token_element === null) problem = `no waiting token ${row.execution_id} is in the instance's state`;
    else if (row.token_element !== row.element_id) problem = `its token ${row.execution_id} waits at "${row.token_element}"`;
    if (problem) {
      violations.push({ invariant: 'task-without-waiting-token', instanceId: row.instance_id, detail: `open task ${row.id} at "${row.element_id}": ${problem}` });
    }
  }
  return violations;
}
