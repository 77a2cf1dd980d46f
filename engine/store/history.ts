/** Queries on `activity_history`: every element entered and left. */
import type { Db } from '../db/connection.ts';
import type { HistoryEntry } from '../runtime/instanceRun.ts';
import { chunked, insertChunked } from './chunks.ts';

export async function writeHistory(trx: Db, instanceId: string, entries: Iterable<HistoryEntry>): Promise<void> {
  const fresh: HistoryEntry[] = [];
  const ended: HistoryEntry[] = [];
  for (const entry of entries) (entry.isNew ? fresh : ended).push(entry);
  await insertChunked(
    (chunk) => trx('activity_history').insert(chunk),
    fresh.map((entry) => ({
      id: entry.id,
      instance_id: instanceId,
      execution_id: entry.executionId,
      element_id: entry.elementId,
      element_type: entry.elementType,
      element_name: entry.elementName,
      started_at: entry.startedAt,
      ended_at: entry.endedAt,
      cancelled: entry.cancelled,
    })),
  );
  // One statement per chunk for all rows that only get their end written.
  for (const chunk of chunked(ended, 3)) {
    const values = chunk.map(() => '(?::uuid, ?::timestamptz, ?::boolean)').join(', ');
    const bindings = chunk.flatMap((entry) => [entry.id, entry.endedAt, entry.cancelled]);
    await trx.raw(
      `UPDATE activity_history AS h SET ended_at = v.ended_at, cancelled = v.cancelled
       FROM (VALUES ${values}) AS v(id, ended_at, cancelled) WHERE h.id = v.id`,
      bindings,
    );
  }
}

export interface HistoryRow {
  elementId: string;
  elementType: string;
  elementName: string | null;
  executionId: string;
  startedAt: Date;
  endedAt: Date | null;
  cancelled: boolean;
}

export async function instanceHistory(db: Db, instanceId: string): Promise<HistoryRow[]> {
  const rows = await db('activity_history').where({ instance_id: instanceId }).orderBy('seq');
  return rows.map((row: any) => ({
    elementId: row.element_id,
    elementType: row.element_type,
    elementName: row.element_name,
    executionId: row.execution_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    cancelled: row.cancelled,
  }));
}

/** Whether a token has entered `elementId` in this instance before. */
export async function elementWasEntered(db: Db, instanceId: string, elementId: string): Promise<boolean> {
  return (await db('activity_history').where({ instance_id: instanceId, element_id: elementId }).first('id')) !== undefined;
}

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
