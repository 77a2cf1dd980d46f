/**
 * Runs the automations of one `automation:run` job (queued by queue.ts in the transaction of
 * the change that triggered it; engine/jobs/runJob.ts dispatches here).
 *
 * Guarantee: a committed record write or instance completion whose trigger has an enabled
 * automation has its job committed with it, so the run survives a node dying at any point;
 * the job executor retries a crashed handler with back-off (then the job is dead: an incident
 * on the instance for process.finished, `last_error` on the job for record triggers).
 *
 * Exactly once in effect per (job, automation): each automation runs in ONE transaction that
 * first claims its run row — `automation_runs` is unique on (job_id, automation_id) — then
 * runs the actions and settles the row. Its writes (records, follow-up jobs, a started
 * instance, effect jobs, notifications) commit with the row or not at all, so a retry after a
 * partial success skips the automations already done and redoes only the rest. Two holders
 * of one job (an expired lease) serialize on the claim; the second finds the row and skips.
 *
 * Loops: every run carries the chain of automation ids that led to it. An automation that
 * is already in its chain, or a chain already MAX_CHAIN long, is not run: a `loop_stopped`
 * row says so. The chain travels through records an action writes (their jobs carry it) and
 * through instances an action starts (`process_instances.automation_chain`, continued by the
 * instance's process.finished run and by instances it calls). A failing action is recorded
 * (`failed`, with the message); its own writes roll back (a savepoint per action) and the
 * remaining actions still run. Follow-up runs are jobs of their own, so the order across
 * levels is the executor's, not depth first.
 *
 * Time: the filter and every action's expressions of one run share one budget
 * (expressions/sequenceBudget.ts), and the run lets other work on the node go on between
 * them; an action stopped by it fails like any other, naming the budget.
 */
import { runCommand, type CommandDeps, type CommandScope } from '../commands/runCommand.ts';
import { ValidationError } from '../errors.ts';
import { EventBus, type DomainEvent } from '../events.ts';
import { evaluateCondition } from '../expressions/index.ts';
import { withSequenceBudget } from '../expressions/sequenceBudget.ts';
import { formShape, recordContext } from '../printing/recordContext.ts';
import { automationsFor, claimAutomationRun, settleAutomationRun, type Automation, type AutomationTrigger } from '../store/automations.ts';
import { deleteLeasedJob, type JobRow } from '../store/jobs.ts';
import { runAction, type TriggerScope } from './actions.ts';
import { feel } from './definition.ts';
import type { AutomationJobPayload } from './queue.ts';

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

export function messageOf(error: unknown): string {
  if (error instanceof ValidationError && error.details?.length) {
    return `${error.message} (${error.details.map((d) => `${d.pointer}: ${d.message}`).join('; ')})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** What the filter and the actions see, rebuilt from the job's snapshot. */
async function triggerEventOf(deps: CommandDeps, payload: AutomationJobPayload): Promise<TriggerEvent> {
  const { trigger, key, actorId, chain } = payload;
  if (payload.record) {
    const record = payload.record;
    // A form version is immutable, so this is the shape the record was written with.
    const form = await formShape(deps.db, record.formKey, record.formVersion);
    const meta = { id: record.id, formKey: record.formKey, createdBy: record.createdBy, createdAt: record.createdAt, updatedAt: record.updatedAt };
    return { trigger, key, recordId: record.id, variables: { ...record.data, record: meta }, templateData: recordContext(form, record), form, actorId, chain };
  }
  if (payload.instance) {
    const { variables: instanceVariables, ...meta } = payload.instance;
    // Not `instance`: that is a FEEL keyword (`instance of`).
    const variables = { ...instanceVariables, processInstance: meta };
    return { trigger, key, recordId: null, variables, templateData: variables, actorId, chain };
  }
  throw new Error('automation job payload has neither a record nor an instance');
}

function loopReason(chain: string[], automationId: string): string | null {
  if (chain.includes(automationId)) return 'The automation is already in its own chain';
  if (chain.length >= MAX_CHAIN) return `The chain is deeper than ${MAX_CHAIN}`;
  return null;
}

/** One automation for one job: one command, so its events are published only after the commit (see the header). */
async function runAutomation(deps: CommandDeps, jobId: string, automation: Automation, event: TriggerEvent): Promise<void> {
  const chain = [...event.chain, automation.id];
  const row = { jobId, automationId: automation.id, trigger: event.trigger, recordId: event.recordId, chain };
  await runCommand(deps, async (_uow, command) => {
    const trx = command.trx;
    const stopped = loopReason(event.chain, automation.id);
    if (stopped) {
      await claimAutomationRun(trx, { ...row, status: 'loop_stopped', error: stopped });
      return;
    }
    await withSequenceBudget(runExpressions(automation), async (sequence) => {
      let passes: boolean;
      try {
        passes = !automation.filter || (await sequence.evaluate('filter', () => evaluateCondition(feel(automation.filter!), event.variables)));
      } catch (error) {
        await claimAutomationRun(trx, { ...row, status: 'failed', error: `filter: ${messageOf(error)}` });
        return;
      }
      if (!passes) return;
      const runId = await claimAutomationRun(trx, { ...row, status: 'done', error: null });
      if (!runId) return; // this job already ran it
      const scope: TriggerScope = { ...event, automationId: automation.id, chain };
      // The same series as the filter: runActions finds it in force.
      const errors = await runActions(deps, command, automation, scope);
      if (errors.length) await settleAutomationRun(trx, runId, 'failed', errors.join('\n'));
    });
  });
}

/** What one run's series of expressions is called when its budget runs out. */
function runExpressions(automation: Automation): string {
  return `The expressions of automation "${automation.name}"`;
}

/**
 * The actions of one run, in the command's transaction, each in its own savepoint: a failing
 * action rolls back only its own writes and is returned as a message; the rest still run.
 * Their expressions share the run's time budget (the filter's too, when one is in force).
 */
export async function runActions(deps: CommandDeps, command: CommandScope, automation: Automation, scope: TriggerScope): Promise<string[]> {
  return withSequenceBudget(runExpressions(automation), async (sequence) => {
    const errors: string[] = [];
    for (const [index, action] of automation.actions.entries()) {
      // Events of an action are published after the commit, and only if the action stood.
      const events = new EventBus();
      const mine: DomainEvent[] = [];
      events.subscribe((e) => mine.push(e));
      try {
        await command.trx.transaction((savepoint) => runAction({ db: savepoint, events, clock: deps.clock, sequence }, action, scope, `actions/${index}`));
        command.emit(...mine);
      } catch (error) {
        errors.push(`actions/${index} (${String(action.type)}): ${messageOf(error)}`);
      }
    }
    return errors;
  });
}

/**
 * The job handler. Returns false when the lease was lost before the job row could be deleted
 * (whoever holds it now finds every automation claimed and only deletes the row). Throws on a
 * crash of the handler itself, which the job's retry policy handles.
 */
export async function runAutomationJob(deps: CommandDeps, job: JobRow, owner: string): Promise<boolean> {
  const payload = job.payload as AutomationJobPayload;
  const event = await triggerEventOf(deps, payload);
  // Read at run time: an automation disabled or deleted since the change no longer runs.
  for (const automation of await automationsFor(deps.db, payload.trigger, payload.key)) {
    await runAutomation(deps, job.id, automation, event);
  }
  return deleteLeasedJob(deps.db, job.id, owner);
}
