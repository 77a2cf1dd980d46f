/**
 * Automations' registrations (called once by engine/features.ts): at flush, the chains of
 * instances they started and the process.finished runs (queue.ts); the `automation:run` job
 * handler (runner.ts).
 */
import { registerFlushParticipant } from '../extensions/flushParticipants.ts';
import { registerJobHandler } from '../extensions/jobHandlers.ts';
import { AUTOMATION_JOB_TYPE, flushAutomationWork } from './queue.ts';
import { runAutomationJob } from './runner.ts';
import { runTickJob, TICK_JOB_TYPE, tickSliceMs } from './tick.ts';

export function registerAutomations(): void {
  // After every instance row is written: the chain rows and process.finished jobs refer to them.
  registerFlushParticipant({ name: 'automations', afterInstances: ({ trx, runs, at }) => flushAutomationWork(trx, runs, at) });
  // Each automation commits with its (job, automation) run row: a retry skips those done.
  registerJobHandler(AUTOMATION_JOB_TYPE, async ({ deps, job, owner }) =>
    (await runAutomationJob(deps, job, owner)) ? { ran: true } : { ran: false, reason: 'lease_lost' },
  );
  // A schedule tick: each (tick, record) commits with its run row, so a retry skips those done.
  registerJobHandler(TICK_JOB_TYPE, async ({ deps, job, owner, settings }) =>
    (await runTickJob(deps, job, owner, tickSliceMs(settings.leaseMs))) ? { ran: true } : { ran: false, reason: 'lease_lost' },
  );
}
