/**
 * The admin's list of process instances (流程实例): filter by status and definition key,
 * newest first, offset paging. The order ends on the id, so equal start times still page
 * stably (no row shows on two pages, none is skipped).
 */
import type { Db } from '../db/connection.ts';
import type { InstanceStatus } from '../runtime/instanceRun.ts';

export const INSTANCE_STATUSES: InstanceStatus[] = ['active', 'completed', 'terminated', 'incident'];

export interface InstanceListItem {
  id: string;
  definitionKey: string;
  definitionName: string | null;
  definitionVersion: number;
  status: InstanceStatus;
  businessKey: string | null;
  startedBy: string | null;
  startedAt: string;
  endedAt: string | null;
  /** Set for an instance a call activity started. */
  parentInstanceId: string | null;
}

export interface InstanceListFilter {
  status?: InstanceStatus;
  definitionKey?: string;
  limit: number;
  offset: number;
}

function filtered(db: Db, filter: InstanceListFilter) {
  const query = db('process_instances as i');
  if (filter.status) query.where('i.status', filter.status);
  if (filter.definitionKey) query.where('i.definition_key', filter.definitionKey);
  return query;
}

export async function listInstancePage(db: Db, filter: InstanceListFilter): Promise<{ items: InstanceListItem[]; total: number }> {
  const [rows, [{ count }]] = await Promise.all([
    filtered(db, filter)
      .join('process_definitions as d', 'd.id', 'i.definition_id')
      .select(
        'i.id',
        'i.definition_key',
        'd.name as definition_name',
        'd.version as definition_version',
        'i.status',
        'i.business_key',
        'i.started_by',
        'i.started_at',
        'i.ended_at',
        'i.parent_instance_id',
      )
      .orderBy([
        { column: 'i.started_at', order: 'desc' },
        { column: 'i.id', order: 'desc' },
      ])
      .limit(filter.limit)
      .offset(filter.offset),
    filtered(db, filter).count({ count: '*' }),
  ]);
  return {
    total: Number(count),
    items: rows.map((row: any) => ({
      id: row.id,
      definitionKey: row.definition_key,
      definitionName: row.definition_name,
      definitionVersion: row.definition_version,
      status: row.status,
      businessKey: row.business_key,
      startedBy: row.started_by,
      startedAt: new Date(row.started_at).toISOString(),
      endedAt: row.ended_at ? new Date(row.ended_at).toISOString() : null,
      parentInstanceId: row.parent_instance_id,
    })),
  };
}
