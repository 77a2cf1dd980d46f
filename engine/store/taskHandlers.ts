/**
 * Who handled a node (the `nodeHandler` approver rule, engine/approval/assignees.ts): the
 * tasks of one element of an instance, each with the time the element was last entered
 * before the task was created — its *visit* — so the caller can keep the latest visit's.
 */
import type { Db } from '../db/connection.ts';

export interface ElementTask {
  id: string;
  status: 'open' | 'completed' | 'cancelled';
  completedBy: string | null;
  /** When the visit of the element this task belongs to began (null: no history row). */
  visitStartedAt: Date | null;
}

/** The element's tasks in the instance, in completion order (open ones last). One round trip. */
export async function tasksOfElement(db: Db, instanceId: string, elementId: string): Promise<ElementTask[]> {
  const { rows } = await db.raw<{
    rows: Array<{ id: string; status: ElementTask['status']; completed_by: string | null; visit: Date | null }>;
  }>(
    `select t.id, t.status, t.completed_by,
            (select max(h.started_at) from activity_history h
              where h.instance_id = t.instance_id and h.element_id = t.element_id and h.started_at <= t.created_at) as visit
       from tasks t
      where t.instance_id = :instanceId and t.element_id = :elementId
      order by t.ended_at nulls last, t.created_at, t.id`,
    { instanceId, elementId },
  );
  return rows.map((row) => ({ id: row.id, status: row.status, completedBy: row.completed_by, visitStartedAt: row.visit }));
}
