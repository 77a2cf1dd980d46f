/** Queries on `incidents`: a job that ran out of retries, until an admin resolves it. */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.ts';

export interface IncidentRow {
  id: string;
  instanceId: string;
  jobId: string | null;
  elementId: string | null;
  message: string;
  createdAt: Date;
  resolvedAt: Date | null;
}

function toIncidentRow(row: any): IncidentRow {
  return {
    id: row.id,
    instanceId: row.instance_id,
    jobId: row.job_id,
    elementId: row.element_id,
    message: row.message,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
  };
}

/**
 * Opens an incident for a job, or refreshes the message of the one already open for it
 * (an admin executing a dead job by hand must not pile up duplicates).
 */
export async function openIncident(
  trx: Db,
  incident: { instanceId: string; jobId: string; elementId: string | null; message: string; at: Date },
): Promise<string> {
  const open = await trx('incidents').where({ job_id: incident.jobId }).whereNull('resolved_at').first();
  if (open) {
    await trx('incidents').where({ id: open.id }).update({ message: incident.message });
    return open.id;
  }
  const id = randomUUID();
  await trx('incidents').insert({
    id,
    instance_id: incident.instanceId,
    job_id: incident.jobId,
    element_id: incident.elementId,
    message: incident.message,
    created_at: incident.at,
  });
  return id;
}

export async function lockIncident(trx: Db, id: string): Promise<IncidentRow | null> {
  const row = await trx('incidents').where({ id }).forUpdate().first();
  return row ? toIncidentRow(row) : null;
}

export async function resolveIncidents(trx: Db, ids: string[], at: Date): Promise<void> {
  if (ids.length > 0) await trx('incidents').whereIn('id', ids).whereNull('resolved_at').update({ resolved_at: at });
}

export async function openIncidentsOfJob(db: Db, jobId: string): Promise<IncidentRow[]> {
  return (await db('incidents').where({ job_id: jobId }).whereNull('resolved_at')).map(toIncidentRow);
}

export async function countOpenIncidents(db: Db, instanceId: string): Promise<number> {
  const [{ count }] = await db('incidents').where({ instance_id: instanceId }).whereNull('resolved_at').count({ count: '*' });
  return Number(count);
}

export async function listIncidents(
  db: Db,
  query: { instanceId?: string; includeResolved?: boolean; limit?: number },
): Promise<IncidentRow[]> {
  const builder = db('incidents');
  if (query.instanceId) builder.where({ instance_id: query.instanceId });
  if (!query.includeResolved) builder.whereNull('resolved_at');
  const rows = await builder.orderBy('created_at', 'desc').limit(Math.min(query.limit ?? 200, 1000));
  return rows.map(toIncidentRow);
}

/** The instance's unresolved incidents, oldest first (the instance view lists them). */
export async function openIncidentsOfInstance(
  db: Db,
  instanceId: string,
): Promise<Array<{ id: string; elementId: string | null; message: string; createdAt: Date }>> {
  const rows = await db('incidents').where({ instance_id: instanceId }).whereNull('resolved_at').orderBy('created_at');
  return rows.map((incident: any) => ({
    id: incident.id,
    elementId: incident.element_id,
    message: incident.message,
    createdAt: incident.created_at,
  }));
}
