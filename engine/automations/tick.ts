/**
 * Scheduled automations (定时触发): each tick is one `automation:tick` job. Running it:
 *
 * 1. Start (once): in one transaction that still holds the job's lease, insert the NEXT tick's
 *    job and mark this one `started`. The next tick is therefore scheduled exactly when a tick
 *    runs, and a unique index on (automation, tick time) makes a second insert a no-op.
 * 2. Walk the form's records in id order, in batches of TICK_BATCH. For each record the FEEL
 *    filter runs in the expression sandbox; for each match one command claims the run row
 *    (automation, tick, record) — unique (migration 035) — and runs the actions with the
 *    record as context, committing with the row or not at all. A retry, an expired lease
 *    taken over by another node, or an admin's "execute now" therefore never runs a
 *    (tick, record) twice: the claim finds the row and skips it. A filter that fails for a
 *    record is recorded as that record's failed run (the automation's run log), not a crash.
 * 3. After each batch the cursor is saved with the job; past TICK_SLICE_MS the job hands
 *    itself back to the executors (due now), so a long list never holds one lease or node.
 *    Between records the walk lets other work run once it has held the event loop for
 *    YIELD_AFTER_MS (loopHeld.ts): the filters run on the event loop, one after another.
 *
 * Bound: at most engineLimits().maxRecordsPerTick records run per tick; past it a failed run row without a
 * record says how many were left out, and the tick ends. The automation is read again at each
 * batch: deleted or disabled mid-tick stops the walk (its pending ticks were removed by the
 * command that changed it, engine/commands/*Automation.ts).
 */
import { runCommand, type CommandDeps } from '../commands/runCommand.ts';
import { deadlineIn, letOthersRun } from '../expressions/budget.ts';
import { evaluateCondition } from '../expressions/index.ts';
import { engineLimits, limitEnvName } from '../limits.ts';
import { formShape, recordContext } from '../printing/recordContext.ts';
import { getAutomation, type Automation } from '../store/automations.ts';
import {
  claimTickRun,
  countTickRuns,
  deletePendingTicks,
  insertTickJob,
  requeueTick,
  saveTickProgress,
  TICK_JOB_TYPE,
  type TickPayload,
} from '../store/automationTicks.ts';
import { deleteLeasedJob, lockJob, type JobRow } from '../store/jobs.ts';
import { recordsAfter, type RecordView } from '../store/records.ts';
import { feel } from './definition.ts';
import { messageOf, runActions } from './runner.ts';
import { nextTickAfter } from './schedule.ts';
import type { TriggerScope } from './actions.ts';

export { TICK_JOB_TYPE };

export const TICK_BATCH = 100;
/** Work one lease does at most before handing the rest of the tick back (and never past half the lease). */
const TICK_SLICE_MS = 10_000;

/** The walking time of one lease: well inside it, so the saved cursor is always this holder's. */
export function tickSliceMs(leaseMs: number): number {
  return Math.min(TICK_SLICE_MS, Math.floor(leaseMs / 2));
}

/**
 * After an automation was created or changed, in its command's transaction: its pending tick
 * goes, and an enabled schedule gets its first tick after `now`.
 */
export async function rescheduleAutomation(trx: CommandDeps['db'], automation: Automation, now: Date): Promise<void> {
  await deletePendingTicks(trx, automation.id);
  if (automation.trigger === 'schedule' && automation.enabled && automation.schedule) {
    await insertTickJob(trx, automation.id, nextTickAfter(automation.schedule, now));
  }
}

/** Step 1: schedule the next tick and mark this one started, while holding the lease. */
async function startTick(deps: CommandDeps, job: JobRow, owner: string, automation: Automation | undefined, payload: TickPayload): Promise<boolean> {
  return runCommand(deps, async (_uow, { trx }) => {
    const row = await lockJob(trx, job.id);
    if (!row || row.lockedBy !== owner) return false;
    if (automation?.trigger === 'schedule' && automation.enabled && automation.schedule) {
      const tickAt = new Date(payload.tickAt);
      const now = deps.clock();
      await insertTickJob(trx, automation.id, nextTickAfter(automation.schedule, now > tickAt ? now : tickAt, tickAt));
    }
    return saveTickProgress(trx, job.id, owner, { ...payload, started: true });
  });
}

async function scopeFor(deps: CommandDeps, automation: Automation, record: RecordView, tickAt: string): Promise<TriggerScope> {
  const form = await formShape(deps.db, record.formKey, record.formVersion);
  const meta = { id: record.id, formKey: record.formKey, createdBy: record.createdBy, createdAt: record.createdAt, updatedAt: record.updatedAt };
  return {
    trigger: 'schedule',
    automationId: automation.id,
    recordId: record.id,
    variables: { ...record.data, record: meta, schedule: { tickAt } },
    templateData: recordContext(form, record),
    form,
    actorId: null,
    chain: [automation.id],
  };
}

/**
 * One record of one tick: filter, then claim and run in one command. 'ran' (a new run row,
 * a failed filter's too) counts against the bound; 'over' is a match when the bound is used up.
 */
async function runForRecord(deps: CommandDeps, automation: Automation, record: RecordView, tickAt: string, boundLeft: boolean): Promise<'skipped' | 'ran' | 'over'> {
  const scope = await scopeFor(deps, automation, record, tickAt);
  const key = { automationId: automation.id, tickAt, recordId: record.id, chain: scope.chain };
  let passes: boolean;
  let filterError: string | null = null;
  try {
    passes = !automation.filter || evaluateCondition(feel(automation.filter), scope.variables);
  } catch (error) {
    passes = false;
    filterError = `filter: ${messageOf(error)}`;
  }
  if (!passes && !filterError) return 'skipped';
  if (!boundLeft) return 'over';
  const claimed = await runCommand(deps, async (_uow, command) => {
    if (filterError) return (await claimTickRun(command.trx, { ...key, status: 'failed', error: filterError })) !== null;
    const runId = await claimTickRun(command.trx, { ...key, status: 'done', error: null });
    if (!runId) return false; // this (tick, record) already ran: counted when the batch began
    const errors = await runActions(deps, command, automation, scope);
    if (errors.length) await command.trx('automation_runs').where({ id: runId }).update({ status: 'failed', error: errors.join('\n') });
    return true;
  });
  return claimed ? 'ran' : 'skipped';
}

/**
 * The `automation:tick` job handler; false when the lease was lost (whoever holds it goes on).
 * `sliceMs`: how long it walks before handing the rest back (default: 10 s, at most half the lease).
 */
export async function runTickJob(deps: CommandDeps, job: JobRow, owner: string, sliceMs = TICK_SLICE_MS): Promise<boolean> {
  let payload = job.payload as TickPayload;
  let automation = await getAutomation(deps.db, payload.automationId);
  if (!payload.started) {
    if (!(await startTick(deps, job, owner, automation, payload))) return false;
    payload = { ...payload, started: true };
  }
  const sliceEnds = Date.now() + sliceMs;
  // Only for letOthersRun: the slice is wall-clock time (a lease's), which pauses do not stop.
  const walk = deadlineIn(sliceMs);
  const limit = engineLimits().maxRecordsPerTick;
  while (automation?.trigger === 'schedule' && automation.enabled && automation.formKey) {
    // Counted from the rows each batch: a retried batch's records are counted once.
    let done = await countTickRuns(deps.db, automation.id, payload.tickAt);
    const records = await recordsAfter(deps.db, automation.formKey, payload.after ?? null, TICK_BATCH);
    for (const record of records) {
      await letOthersRun(walk);
      const outcome = await runForRecord(deps, automation, record, payload.tickAt, done < limit);
      if (outcome === 'ran') done += 1;
      if (outcome === 'over') {
        await runCommand(deps, ({ trx }) =>
          claimTickRun(trx, {
            automationId: automation!.id,
            tickAt: payload.tickAt,
            recordId: null,
            status: 'failed',
            chain: [automation!.id],
            error: `More than ${limit} records matched this tick: it stopped after ${limit}; record ${record.id} and those after it were not run. Narrow the filter or raise ${limitEnvName('maxRecordsPerTick')}.`,
          }),
        );
        return deleteLeasedJob(deps.db, job.id, owner);
      }
    }
    if (records.length < TICK_BATCH) break;
    payload = { ...payload, after: records[records.length - 1]!.id };
    if (Date.now() >= sliceEnds) return requeueTick(deps.db, job.id, owner, payload, deps.clock());
    if (!(await saveTickProgress(deps.db, job.id, owner, payload))) return false;
    automation = await getAutomation(deps.db, payload.automationId);
  }
  return deleteLeasedJob(deps.db, job.id, owner);
}
