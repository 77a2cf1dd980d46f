/**
 * Runs the automations a change triggers, after that change has committed.
 *
 * Loops: every run carries the chain of automation ids that led to it. An automation that
 * is already in its chain, or a chain already MAX_CHAIN long, is not run: a `loop_stopped`
 * row in automation_runs says so. A failing action is recorded (`failed`, with the message)
 * and the remaining actions still run; nothing here throws to the caller, because the
 * change that triggered it has already been stored and answered for.
 *
 * Durability gap (chosen deliberately): records are written outside any transaction we
 * could add a job to, and the executor has no handler for a non-effect job type, so runs
 * happen in-process right after commit. A node dying between the commit and the run loses
 * that run (nothing retries it). Webhooks, e-mail and chat-robot sends are jobs, so once a
 * run has happened those are delivered exactly once in effect.
 */
import { ValidationError } from '../errors.ts';
import { evaluateCondition } from '../expressions/index.ts';
import { formShape, recordContext } from '../printing/recordContext.ts';
import { automationsFor, insertAutomationRun, type AutomationTrigger } from '../store/automations.ts';
import type { RecordView } from '../store/records.ts';
import { runAction, type AutomationDeps, type RecordChange, type TriggerScope } from './actions.ts';
import { feel } from './definition.ts';

export const MAX_CHAIN = 5;

export interface TriggerEvent {
  trigger: AutomationTrigger;
  /** Form key (record triggers) or definition key (process.finished). */
  key: string;
  recordId: string | null;
  variables: Record<string, unknown>;
  templateData: Record<string, unknown>;
  form?: TriggerScope['form'];
  actorId: string | null;
  /** Ids of the automations whose actions led here, oldest first. */
  chain: string[];
}

function messageOf(error: unknown): string {
  if (error instanceof ValidationError && error.details?.length) {
    return `${error.message} (${error.details.map((d) => `${d.pointer}: ${d.message}`).join('; ')})`;
  }
  return error instanceof Error ? error.message : String(error);
}

export async function fireAutomations(deps: AutomationDeps, event: TriggerEvent, log: (error: unknown) => void = () => {}): Promise<void> {
  let automations;
  try {
    automations = await automationsFor(deps.db, event.trigger, event.key);
  } catch (error) {
    log(error);
    return;
  }
  for (const automation of automations) {
    const chain = [...event.chain, automation.id];
    const record = (status: 'done' | 'failed' | 'loop_stopped', error: string | null) =>
      insertAutomationRun(deps.db, { automationId: automation.id, trigger: event.trigger, recordId: event.recordId, status, chain, error }).catch(log);
    try {
      if (event.chain.includes(automation.id) || event.chain.length >= MAX_CHAIN) {
        await record('loop_stopped', event.chain.includes(automation.id) ? 'The automation is already in its own chain' : `The chain is deeper than ${MAX_CHAIN}`);
        continue;
      }
      if (automation.filter && !evaluateCondition(feel(automation.filter), event.variables)) continue;
    } catch (error) {
      await record('failed', `filter: ${messageOf(error)}`);
      continue;
    }
    const scope: TriggerScope = { ...event, automationId: automation.id };
    const errors: string[] = [];
    const changes: RecordChange[] = [];
    for (const [index, action] of automation.actions.entries()) {
      try {
        changes.push(...(await runAction(deps, action, scope)));
      } catch (error) {
        errors.push(`actions/${index} (${String(action.type)}): ${messageOf(error)}`);
      }
    }
    await record(errors.length ? 'failed' : 'done', errors.length ? errors.join('\n') : null);
    // Depth first: what this automation's changes trigger runs before the next automation.
    for (const change of changes) await fireRecordAutomations(deps, change.trigger, change.record, event.actorId, chain, log);
  }
}

/** Record created/updated → its automations; the hook the records routes call. */
export async function fireRecordAutomations(
  deps: AutomationDeps,
  trigger: 'record.created' | 'record.updated',
  record: RecordView,
  actorId: string | null,
  chain: string[] = [],
  log: (error: unknown) => void = () => {},
): Promise<void> {
  try {
    // Cheap exit for the common case of a form without automations.
    if ((await automationsFor(deps.db, trigger, record.formKey)).length === 0) return;
    const form = await formShape(deps.db, record.formKey, record.formVersion);
    const meta = { id: record.id, formKey: record.formKey, createdBy: record.createdBy, createdAt: record.createdAt, updatedAt: record.updatedAt };
    await fireAutomations(
      deps,
      {
        trigger,
        key: record.formKey,
        recordId: record.id,
        variables: { ...record.data, record: meta },
        templateData: recordContext(form, record),
        form,
        actorId,
        chain,
      },
      log,
    );
  } catch (error) {
    log(error);
  }
}
