/**
 * Queuing automation runs: a trigger becomes an `automation:run` job inserted in the SAME
 * transaction as the change that fired it (the record write, the instance completion), so a
 * committed change always has its run waiting, whatever happens to the node afterwards.
 * A job is queued only when at least one enabled automation matches: record writes probe first
 * (one indexed query); an instance completion decides it inside its INSERT, which goes out with
 * the command's other writes.
 *
 * Kept free of the runner and the actions: record writes import this file, and the runner
 * imports the commands.
 */
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { InstanceRun } from '../runtime/instanceRun.ts';
import { hasEnabledAutomations, queueProcessFinished, setInstanceAutomationChain, type AutomationTrigger } from '../store/automations.ts';
import { insertJobs, JOBS_CHANNEL } from '../store/jobs.ts';
import type { RecordView } from '../store/records.ts';

export const AUTOMATION_JOB_TYPE = 'automation:run';

/** What a job carries: a snapshot of the trigger, so a late run sees the change as it was. */
export interface AutomationJobPayload {
  trigger: AutomationTrigger;
  /** Form key (record triggers) or definition key (process.finished). */
  key: string;
  /** Record triggers: the record as written. */
  record?: RecordView;
  /** process.finished: the completed instance and its final variables. */
  instance?: { id: string; definitionKey: string; businessKey: string | null; startedBy: string | null; variables: Record<string, unknown> };
  /** Who the changes are attributed to: the user whose change started the chain. */
  actorId: string | null;
  /** Ids of the automations whose actions led here, oldest first. */
  chain: string[];
}

async function queue(trx: Knex, payload: AutomationJobPayload, dueAt: Date, instanceId: string | null): Promise<string> {
  const id = randomUUID();
  // No execution id: nothing a token releases may drop it. The instance id (process.finished)
  // lets a job that runs out of retries open an incident on that instance.
  await insertJobs(trx, [{ id, type: AUTOMATION_JOB_TYPE, instanceId, executionId: null, elementId: null, dueAt, payload: payload as unknown as Record<string, unknown> }]);
  return id;
}

/** Record created/updated: queue a run when the form has automations. Call inside the write's transaction. */
export async function queueRecordAutomations(
  trx: Knex,
  trigger: 'record.created' | 'record.updated',
  record: RecordView,
  actorId: string | null,
  chain: string[] = [],
  dueAt: Date = new Date(),
): Promise<string | null> {
  if (!(await hasEnabledAutomations(trx, trigger, record.formKey))) return null;
  return queue(trx, { trigger, key: record.formKey, record, actorId, chain }, dueAt, null);
}

const completedHere = (run: InstanceRun) =>
  run.record.status === 'completed' &&
  run.events.some((event) => event.type === 'instance.updated' && event.payload.instanceId === run.id && event.payload.status === 'completed');

/**
 * The automations' flush participant, after every instance row is written: store the chain
 * of each instance an automation started, and queue the process.finished run of each
 * instance that completed in this command.
 */
export async function flushAutomationWork(trx: Knex, runs: Iterable<InstanceRun>, dueAt: Date): Promise<void> {
  for (const run of runs) if (run.automationChain) await setInstanceAutomationChain(trx, run.id, run.automationChain);
  for (const run of runs) {
    if (!completedHere(run)) continue;
    const { id, definitionKey, businessKey, startedBy } = run.record;
    const instance = { id, definitionKey, businessKey, startedBy, variables: run.root.variables ?? {} };
    const payload: AutomationJobPayload = { trigger: 'process.finished', key: definitionKey, instance, actorId: null, chain: [] };
    // A called instance continues the chain of the instance that (transitively) called it (the SQL looks it up).
    await queueProcessFinished(
      trx,
      { id: randomUUID(), type: AUTOMATION_JOB_TYPE, instanceId: id, dueAt, payload: payload as unknown as Record<string, unknown>, chain: run.automationChain, definitionKey },
      JOBS_CHANNEL,
    );
  }
}
