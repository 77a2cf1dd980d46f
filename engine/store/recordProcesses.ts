/**
 * What the record pages show of a flow record's process: the instance's status, whether it
 * was withdrawn (撤回 ends an instance as `terminated` and logs a `withdraw` action), and the
 * nodes its open tasks wait at. One query per list page, not one per row.
 */
import type { Db } from '../db/connection.ts';
import type { InstanceStatus } from '../runtime/instanceRun.ts';

export interface InstanceProgress {
  id: string;
  status: InstanceStatus;
  definitionKey: string;
  withdrawn: boolean;
  /** The nodes with an open task (id and name), in the order the tasks were created. */
  openNodes: { id: string; name: string | null }[];
}

export async function progressOfInstances(db: Db, ids: string[]): Promise<Map<string, InstanceProgress>> {
  const result = new Map<string, InstanceProgress>();
  if (ids.length === 0) return result;
  const rows = await db('process_instances as i')
    .whereIn('i.id', ids)
    .select(
      'i.id',
      'i.status',
      'i.definition_key',
      db.raw(`EXISTS (SELECT 1 FROM task_actions a WHERE a.instance_id = i.id AND a.action = 'withdraw') AS withdrawn`),
      db.raw(
        `COALESCE((SELECT json_agg(json_build_object('id', t.element_id, 'name', t.name) ORDER BY t.created_at, t.id)
           FROM tasks t WHERE t.instance_id = i.id AND t.status = 'open'), '[]'::json) AS open_nodes`,
      ),
    );
  for (const row of rows) {
    // Parallel branches can hold several tasks at one node (multi-instance): name it once.
    const seen = new Set<string>();
    const openNodes = (row.open_nodes as { id: string; name: string | null }[]).filter((node) => !seen.has(node.id) && seen.add(node.id));
    result.set(row.id, { id: row.id, status: row.status, definitionKey: row.definition_key, withdrawn: row.withdrawn === true, openNodes });
  }
  return result;
}
