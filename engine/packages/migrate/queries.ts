/** The reads and writes instance migration needs, one named function each. */
import type { Db } from '../../db/connection.ts';
import type { InstanceState } from '../../runtime/state.ts';
import type { InstanceWait } from './compatibility.ts';

export interface RunningInstance {
  id: string;
  businessKey: string | null;
  status: string;
  state: InstanceState;
}

export async function definitionIdOfVersion(db: Db, key: string, version: number): Promise<string | null> {
  const row = await db('process_definitions').where({ key, version }).first('id');
  return row?.id ?? null;
}

/** Active (or incident) instances of one definition, oldest first, at most `limit`. */
export async function runningInstancesOf(
  db: Db,
  definitionId: string,
  options: { limit: number; ids?: string[] },
): Promise<RunningInstance[]> {
  const query = db('process_instances')
    .where({ definition_id: definitionId })
    .whereIn('status', ['active', 'incident'])
    .orderBy([{ column: 'started_at' }, { column: 'id' }])
    .limit(options.limit)
    .select('id', 'business_key', 'status', 'state');
  if (options.ids) query.whereIn('id', options.ids);
  return (await query).map((row: any) => ({ id: row.id, businessKey: row.business_key, status: row.status, state: row.state }));
}

/** Jobs and subscriptions of the given instances, grouped by instance (two round trips). */
export async function waitsOfInstances(db: Db, instanceIds: string[]): Promise<Map<string, InstanceWait[]>> {
  const byInstance = new Map<string, InstanceWait[]>(instanceIds.map((id) => [id, []]));
  if (instanceIds.length === 0) return byInstance;
  const [jobs, subscriptions] = await Promise.all([
    db('jobs').whereIn('instance_id', instanceIds).select('instance_id', 'type', 'element_id'),
    db('event_subscriptions').whereIn('instance_id', instanceIds).select('instance_id', 'type', 'element_id', 'event_name'),
  ]);
  for (const job of jobs) byInstance.get(job.instance_id)?.push({ kind: 'job', type: job.type, elementId: job.element_id });
  for (const sub of subscriptions) {
    byInstance.get(sub.instance_id)?.push({ kind: 'subscription', type: sub.type, elementId: sub.element_id, eventName: sub.event_name });
  }
  return byInstance;
}

/** Points the instance at the new version; everything else refers to elements by id. */
export async function setInstanceDefinition(trx: Db, instanceId: string, definitionId: string): Promise<void> {
  await trx('process_instances').where({ id: instanceId }).update({ definition_id: definitionId, rev: trx.raw('rev + 1') });
}

/** Open tasks take the new version's name and form of their user task. */
export async function retitleOpenTasks(
  trx: Db,
  instanceId: string,
  elements: Array<{ elementId: string; name: string | null; formKey: string | null }>,
): Promise<void> {
  for (const element of elements) {
    await trx('tasks')
      .where({ instance_id: instanceId, element_id: element.elementId, status: 'open' })
      .update({ name: element.name, form_key: element.formKey });
  }
}
