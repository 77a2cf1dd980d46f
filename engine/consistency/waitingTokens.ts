/**
 * Every waiting token of a live instance waits on something that exists: a user task on an
 * open task it owns, a call activity on a called instance still running, a catch event or an
 * event-based gateway on a subscription or a timer job it owns. Only leaves
 * count — a waiting scope (the root, a sub-process, a multi-instance body) waits on its
 * children — and `joining` tokens wait on siblings, not on the outside. A receive task
 * without a message waits for an explicit trigger (catchEvents.ts): nothing to find there.
 */
import type { Db } from '../db/connection.ts';
import { LIVE_STATUSES, type Violation } from './violations.ts';

export async function tokensWaitingOnNothing(db: Db): Promise<Violation[]> {
  const { rows } = await db.raw(
    `WITH tokens AS (
       SELECT i.id AS instance_id, i.definition_id, e.value AS execution
       FROM process_instances i CROSS JOIN LATERAL jsonb_array_elements(i.state->'executions') e
       WHERE i.status = ANY(:live::text[])
     ), leaves AS (
       SELECT t.* FROM tokens t
       WHERE t.execution->>'status' = 'waiting' AND t.execution->>'parentId' IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM tokens c WHERE c.instance_id = t.instance_id AND c.execution->>'parentId' = t.execution->>'id')
     )
     SELECT l.instance_id, l.execution->>'id' AS execution_id, l.execution->>'elementId' AS element_id, n.node->>'type' AS type
     FROM leaves l JOIN process_definitions d ON d.id = l.definition_id
     CROSS JOIN LATERAL (SELECT d.compiled->'nodes'->(l.execution->>'elementId') AS node) n
     WHERE CASE
       -- A user task (an approval node too) waits on its open task: its boundary timers do not stand in for it.
       WHEN n.node->>'type' = 'userTask' THEN NOT EXISTS (
         SELECT 1 FROM tasks k WHERE k.instance_id = l.instance_id AND k.execution_id = l.execution->>'id' AND k.status = 'open')
       WHEN n.node->>'type' = 'callActivity' THEN NOT EXISTS (
         SELECT 1 FROM process_instances c WHERE c.id::text = l.execution->>'calledInstanceId' AND c.status = ANY(:live::text[]))
       WHEN n.node->>'type' = 'receiveTask' AND n.node->'event' IS NULL THEN false
       -- Catch events, receive tasks with a message, event-based gateways: a subscription or a timer job of the token.
       ELSE NOT EXISTS (SELECT 1 FROM event_subscriptions s WHERE s.instance_id = l.instance_id AND s.execution_id = l.execution->>'id')
        AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.instance_id = l.instance_id AND j.execution_id = l.execution->>'id')
     END
     ORDER BY l.instance_id`,
    { live: LIVE_STATUSES },
  );
  const missing: Record<string, string> = { userTask: 'no open task', callActivity: 'no running called instance' };
  return (rows as { instance_id: string; execution_id: string; element_id: string; type: string | null }[]).map((row) => ({
    invariant: 'token-waits-on-nothing',
    instanceId: row.instance_id,
    detail: `token ${row.execution_id} waits at ${row.type ?? 'unknown node'} "${row.element_id}" but ${missing[row.type ?? ''] ?? 'no subscription or job'} is there for it`,
  }));
}
