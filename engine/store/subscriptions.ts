/** Queries on `event_subscriptions`: what waiting tokens and start events listen for. */
import type { Db } from '../db/connection.ts';
import { insertChunked } from './chunks.ts';
import type { NewSubscription } from '../runtime/instanceRun.ts';

export interface SubscriptionRow {
  id: string;
  type: 'message' | 'signal';
  eventName: string;
  correlationKey: string | null;
  instanceId: string | null;
  executionId: string | null;
  definitionId: string | null;
  elementId: string;
}

function toRow(row: any): SubscriptionRow {
  return {
    id: row.id,
    type: row.type,
    eventName: row.event_name,
    correlationKey: row.correlation_key,
    instanceId: row.instance_id,
    executionId: row.execution_id,
    definitionId: row.definition_id,
    elementId: row.element_id,
  };
}

export async function insertSubscriptions(trx: Db, subscriptions: NewSubscription[]): Promise<void> {
  await insertChunked(
    (chunk) => trx('event_subscriptions').insert(chunk),
    subscriptions.map((subscription) => ({
      id: subscription.id,
      type: subscription.type,
      event_name: subscription.eventName,
      correlation_key: subscription.correlationKey,
      instance_id: subscription.instanceId,
      execution_id: subscription.executionId,
      element_id: subscription.elementId,
    })),
  );
}

/** Instance subscriptions for a message, matched by correlation key or business key. */
export async function findMessageSubscriptions(
  db: Db,
  messageName: string,
  correlationKey: string | undefined,
): Promise<SubscriptionRow[]> {
  const query = db('event_subscriptions as s')
    .join('process_instances as i', 'i.id', 's.instance_id')
    .where({ 's.type': 'message', 's.event_name': messageName })
    .select('s.*')
    .orderBy('s.created_at');
  if (correlationKey !== undefined) {
    query.andWhere((where) =>
      where.where('s.correlation_key', correlationKey).orWhere((inner) =>
        inner.whereNull('s.correlation_key').andWhere('i.business_key', correlationKey),
      ),
    );
  }
  return (await query).map(toRow);
}

export async function findSignalSubscriptions(db: Db, signalName: string): Promise<SubscriptionRow[]> {
  const rows = await db('event_subscriptions')
    .where({ type: 'signal', event_name: signalName })
    .whereNotNull('instance_id')
    .orderBy('created_at');
  return rows.map(toRow);
}

/** Start-event subscriptions of the latest definition versions. */
export async function findStartSubscriptions(db: Db, type: 'message' | 'signal', name: string): Promise<SubscriptionRow[]> {
  const rows = await db('event_subscriptions').where({ type, event_name: name }).whereNotNull('definition_id');
  return rows.map(toRow);
}

export async function replaceStartSubscriptions(
  trx: Db,
  definitionKey: string,
  definitionId: string,
  starts: Array<{ type: 'message' | 'signal'; eventName: string; elementId: string; id: string }>,
): Promise<void> {
  // Only the newest version of a process is started by messages and signals, as in Camunda.
  await trx('event_subscriptions')
    .whereIn('definition_id', trx('process_definitions').select('id').where({ key: definitionKey }))
    .delete();
  if (starts.length === 0) return;
  await trx('event_subscriptions').insert(
    starts.map((start) => ({
      id: start.id,
      type: start.type,
      event_name: start.eventName,
      definition_id: definitionId,
      element_id: start.elementId,
    })),
  );
}

export async function subscriptionExists(trx: Db, id: string): Promise<boolean> {
  return Boolean(await trx('event_subscriptions').where({ id }).first('id'));
}
