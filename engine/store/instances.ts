/** Queries on `process_instances`: the row lock every command starts with, and writes. */
import type { Db } from '../db/connection.ts';
import type { InstanceRecord, InstanceStatus } from '../runtime/instanceRun.ts';
import type { InstanceState } from '../runtime/state.ts';

export interface InstanceRow extends InstanceRecord {
  variables: Record<string, unknown>;
  state: InstanceState;
  rev: number;
}

export function toInstanceRow(row: any): InstanceRow {
  return {
    id: row.id,
    definitionId: row.definition_id,
    definitionKey: row.definition_key,
    businessKey: row.business_key,
    status: row.status as InstanceStatus,
    parentInstanceId: row.parent_instance_id,
    parentExecutionId: row.parent_execution_id,
    startedBy: row.started_by,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    variables: row.variables,
    state: row.state,
    rev: row.rev,
  };
}

/** Locks the instance row for the rest of the transaction (concurrent commands queue here). */
export async function lockInstance(trx: Db, id: string): Promise<InstanceRow | null> {
  const row = await trx('process_instances').where({ id }).forUpdate().first();
  return row ? toInstanceRow(row) : null;
}

export async function findInstance(db: Db, id: string): Promise<InstanceRow | null> {
  const row = await db('process_instances').where({ id }).first();
  return row ? toInstanceRow(row) : null;
}

export async function insertInstance(
  trx: Db,
  record: InstanceRecord,
  variables: Record<string, unknown>,
  state: InstanceState,
): Promise<void> {
  await trx('process_instances').insert({
    id: record.id,
    definition_id: record.definitionId,
    definition_key: record.definitionKey,
    business_key: record.businessKey,
    status: record.status,
    variables: JSON.stringify(variables),
    state: JSON.stringify(state),
    parent_instance_id: record.parentInstanceId,
    parent_execution_id: record.parentExecutionId,
    started_by: record.startedBy,
    started_at: record.startedAt,
    ended_at: record.endedAt,
  });
}

export async function updateInstance(
  trx: Db,
  record: InstanceRecord,
  variables: Record<string, unknown>,
  state: InstanceState,
): Promise<void> {
  await trx('process_instances')
    .where({ id: record.id })
    .update({
      status: record.status,
      variables: JSON.stringify(variables),
      state: JSON.stringify(state),
      ended_at: record.endedAt,
      rev: trx.raw('rev + 1'),
    });
}

export async function setInstanceStatus(db: Db, id: string, status: InstanceStatus): Promise<void> {
  await db('process_instances').where({ id }).update({ status, rev: db.raw('rev + 1') });
}
