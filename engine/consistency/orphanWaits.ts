/**
 * Jobs and subscriptions owned by a token (execution_id set) exist only while that token
 * does: none of a finished instance, none of a token no longer in the state. Jobs without an
 * owner (an effect queued by a service task, engine/runtime/behaviors/serviceTask.ts) must
 * run even after the instance ends, so they are not counted. Waits of an event sub-process
 * are owned by `<scope>/event-sub-processes` (engine/runtime/state.ts): the scope must exist.
 */
import type { Db } from '../db/connection.ts';
import { LIVE_STATUSES, type Violation } from './violations.ts';

const OWNED_WAITS = `
  SELECT 'job' AS kind, j.id, j.type, j.instance_id, j.execution_id, j.element_id FROM jobs j
  WHERE j.instance_id IS NOT NULL AND j.execution_id IS NOT NULL
  UNION ALL
  SELECT 'subscription', s.id, s.type, s.instance_id, s.execution_id, s.element_id FROM event_subscriptions s
  WHERE s.instance_id IS NOT NULL AND s.execution_id IS NOT NULL`;

export async function orphanWaits(db: Db): Promise<Violation[]> {
  const { rows } = await db.raw(
    `SELECT w.*, i.status,
            EXISTS (SELECT 1 FROM jsonb_array_elements(i.state->'executions') e
                    WHERE e.value->>'id' = regexp_replace(w.execution_id, '/event-sub-processes$', '')) AS owner_exists
     FROM (${OWNED_WAITS}) w JOIN process_instances i ON i.id = w.instance_id
     ORDER BY w.instance_id`,
  );
  const violations: Violation[] = [];
  for (const row of rows as { kind: string; id: string; type: string; instance_id: string; execution_id: string; element_id: string | null; status: string; owner_exists: boolean }[]) {
    const what = `${row.kind} ${row.id} (${row.type}${row.element_id ? ` at "${row.element_id}"` : ''})`;
    if (!LIVE_STATUSES.includes(row.status)) {
      violations.push({ invariant: 'wait-of-finished-instance', instanceId: row.instance_id, detail: `${what} is left of a ${row.status} instance` });
    } else if (!row.owner_exists) {
      violations.push({ invariant: 'wait-without-token', instanceId: row.instance_id, detail: `${what} belongs to token ${row.execution_id}, which is not in the instance's state` });
    }
  }
  return violations;
}
