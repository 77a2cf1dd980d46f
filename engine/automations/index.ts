/** What the server needs of automations: the record hook and the process.finished listener. */
import type { Knex } from 'knex';
import type { EventBus } from '../events.ts';
import type { RecordView } from '../store/records.ts';
import type { AutomationDeps } from './actions.ts';
import { subscribeProcessFinished } from './processFinished.ts';
import { fireRecordAutomations } from './runner.ts';

export { MAX_CHAIN } from './runner.ts';

interface Ctx {
  db: Knex;
  events: EventBus;
  engine: { startInstance: AutomationDeps['startInstance'] };
}

const depsOf = (ctx: Ctx): AutomationDeps => ({ db: ctx.db, events: ctx.events, startInstance: (input) => ctx.engine.startInstance(input) });

/**
 * Call after a record change has committed. Never throws: failures are recorded as failed
 * runs (or logged), because the change itself has succeeded.
 */
export function recordChanged(
  ctx: Ctx,
  trigger: 'record.created' | 'record.updated',
  record: RecordView,
  actorId: string | null,
  log: (error: unknown) => void,
): Promise<void> {
  return fireRecordAutomations(depsOf(ctx), trigger, record, actorId, [], log);
}

export function startAutomations(ctx: Ctx, log: (error: unknown) => void): { stop(): Promise<void> } {
  return subscribeProcessFinished(depsOf(ctx), log);
}
